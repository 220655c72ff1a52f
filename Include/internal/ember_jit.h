#ifndef EMBER_JIT_H
#define EMBER_JIT_H
/* The method JIT's interfaces with the rest of the interpreter
 * (docs/jit.md): the compiler (Jit/compiler.c), the run time that decides
 * what to compile and runs it (Jit/runtime.c, Jit/options.c), and the eval
 * loop's hooks (patch 0009-jit-hooks).
 *
 * Data owned here: none; each declaration names the file that owns it.
 */
#ifndef Py_BUILD_CORE
#  error "this header requires Py_BUILD_CORE define"
#endif

#include <stddef.h>

struct _PyInterpreterFrame;

/* ---- Compiled code: the contract between compiled code, the run time
 * and the eval loop.
 *
 * A compiled function runs on the interpreter frame that the eval loop (or
 * a direct call, _PyJit_CallCompiled) pushed for the call: locals, cells
 * and arguments are in frame->localsplus as the interpreter left them
 * after the code's RESUME instruction.  It returns
 *   - the function's result (a new reference): the eval loop returns it
 *     as RETURN_VALUE would;
 *   - NULL with an exception set: frame->prev_instr is the instruction
 *     that raised and the frame's value stack (stacktop) holds what the
 *     interpreter's would at that point; the eval loop goes to its error
 *     path (traceback, exception table, unwinding);
 *   - NULL without an exception: a deoptimization; frame->prev_instr is
 *     the last instruction done and the value stack is complete; the eval
 *     loop goes on interpreting at frame->prev_instr + 1.
 * A generator's compiled code is also entered at the RESUME after a
 * yield (or a yield from's), the value stack then holding what the interpreter's would (the
 * sent value on top).  At a yield it leaves the frame suspended as
 * YIELD_VALUE does (stack, prev_instr, gi_frame_state FRAME_SUSPENDED) and
 * returns the yielded value; the eval loop then returns it as YIELD_VALUE
 * would.  Entered at a RESUME it has no resume point for, it returns NULL
 * without an exception and without touching the frame.
 */
typedef PyObject *(*_PyJitEntryFunc)(PyThreadState *tstate,
                                     struct _PyInterpreterFrame *frame);

/* One compiled code object (Jit/compiler.c allocates and frees it). */
typedef struct {
    _PyJitEntryFunc entry;
    /* The code is valid only for frames with these (compared by address;
     * no references: Jit/compiler.c says why). */
    PyObject *globals;
    PyObject *builtins;
    size_t code_size;           /* bytes of machine code */
    double compile_seconds;     /* wall time that _PyJit_Compile took */
    int direct_calls;           /* direct call sites: compiled Python
                                   and C callees (Jit/hir_builder.c) */
    /* Counted while the code is in use, for the recompilation policy
     * (Jit/runtime.c; docs/jit.md, "Recompilation"): */
    Py_ssize_t runs;            /* entries: the run time's, and direct
                                   calls, which add to it inline */
    Py_ssize_t deopts;          /* returns of NULL without an exception */
    Py_ssize_t slow_hits;       /* generic fallbacks of fast paths taken
                                   (each slow path adds one inline) */
    void *retired_next;         /* the run time's list of retired code */
    /* Where the policy's current windows started (runs, slow_hits; runs,
     * deopts): it judges the share of misses since then. */
    Py_ssize_t slow_window[2], deopt_window[2];
    /* Private to the compiler: */
    void *code;                 /* the code memory (JitLir_Emit) */
    PyObject *refs;             /* a list of objects the code points at */
} _PyJitCompiled;

/* Compile co for frames whose globals and builtins are those given.
 *   0: compiled, *out is new;
 *  -1: refused (generator, unsupported construct...), the reason is in
 *      reason[0..reason_size), no exception set;
 *  -2: failed with an exception set (MemoryError).
 * Never raises for unsupported code.  Prints the stages that
 * _PyJit_Options asks for. */
extern int _PyJit_Compile(PyCodeObject *co, PyObject *globals,
                          PyObject *builtins, _PyJitCompiled **out,
                          char *reason, size_t reason_size);
extern void _PyJit_FreeCompiled(_PyJitCompiled *compiled);

/* The HIR of co as text after the passes (or the builder's output if
 * passes is 0), for tests and -X jit-dump-hir; NULL with an exception if
 * it cannot be built. */
extern PyObject *_PyJit_HirText(PyCodeObject *co, PyObject *globals,
                                PyObject *builtins, int passes);

/* ---- Deoptimization kinds, counted per kind (Jit/runtime.c owns the
 * counts; compiled code adds to them directly). */
#define _PyJit_DEOPT_KINDS(X) \
    X(Unsupported, "unsupported-opcode") \
    X(GuardType, "guard-type") \
    X(GuardVersion, "guard-version") \
    X(GuardValue, "guard-value") \
    X(IntOverflow, "int-overflow") \
    X(Tracing, "tracing") \
    X(EvalBreaker, "eval-breaker") \
    X(Stress, "stress")

typedef enum {
#define _PyJit_DEOPT_ENUM(name, text) _PyJitDeopt_##name,
    _PyJit_DEOPT_KINDS(_PyJit_DEOPT_ENUM)
#undef _PyJit_DEOPT_ENUM
    _PyJitDeopt_COUNT
} _PyJitDeoptKind;

extern Py_ssize_t _PyJit_DeoptCount[_PyJitDeopt_COUNT];

/* ---- Options (Jit/options.c owns them; set from -X jit* and PYTHONJIT*
 * at start-up, before any code runs). */
typedef struct {
    int dump_hir;           /* -X jit-dump-hir */
    int dump_lir;           /* -X jit-dump-lir */
    int dump_asm;           /* -X jit-dump-asm */
    int dump_times;         /* -X jit-dump-times: seconds per stage */
    /* The qualname the dumps are limited to (-X jit-dump-hir=QUALNAME);
     * NULL: every compiled function. */
    const char *dump_filter;
    /* -X jit-stress-deopt: compiled code deoptimizes at guards on purpose
     * (Jit/hir_lower.c: every _PyJit_StressPeriod-th guard executed). */
    int stress_deopt;
    /* -X jit-verify-hir: the HIR verifier runs after the builder and after
     * every pass (Jit/passes.c); a failure is a fatal error. */
    int verify_hir;
} _PyJitOptions;

extern _PyJitOptions _PyJit_Options;
/* Counter that stress-deopt guards decrement (Jit/runtime.c). */
extern Py_ssize_t _PyJit_StressCounter;
#define _PyJit_StressPeriod 7

/* Non-zero once -X jit (or PYTHONJIT=1) switched the JIT on and until
 * cinderjit.disable(): the eval loop's hooks test it first. */
extern int _PyJit_Enabled;

/* ---- The eval loop's hooks (patch 0009-jit-hooks) and the run time
 * (Jit/runtime.c). */

/* At RESUME_QUICK of a function's first entry, or of a generator's resume
 * after a yield or yield from (oparg 0, 1 or 2): counts the call, compiles when due, and
 * runs the compiled code if there is one for this frame.  Returns 0 when nothing ran (interpret as
 * usual), else 1 with *result as the compiled code returned it (see the
 * contract above). */
extern int _PyJit_Enter(PyThreadState *tstate,
                        struct _PyInterpreterFrame *frame,
                        PyObject **result);

/* Frames whose code the JIT never compiles (coroutines and async
 * generators: their RESUME and back edges need no hook call).  A
 * generator's compiled code is entered at its first RESUME and at the
 * RESUME after each yield (oparg 1). */
#define _PyJit_NEVER_COMPILED(frame) \
    (((frame)->f_code->co_flags & (CO_COROUTINE \
      | CO_ASYNC_GENERATOR | CO_ITERABLE_COROUTINE)) != 0)

/* After _PyJit_Enter ran compiled code that returned a value: whether it
 * yielded it (the generator left suspended) rather than returned it. */
#define _PyJit_YIELDED(frame) \
    ((frame)->owner == FRAME_OWNED_BY_GENERATOR \
     && _PyFrame_GetGenerator(frame)->gi_frame_state == FRAME_SUSPENDED)

/* At a loop's back edge (JUMP_BACKWARD_QUICK) of an interpreted frame:
 * counts towards the compile threshold like a call does. */
extern void _PyJit_CountLoop(struct _PyInterpreterFrame *frame);

/* The compiled code of co for these globals, or NULL (no new reference;
 * valid while co lives and the JIT is not disabled). */
extern _PyJitCompiled *_PyJit_CompiledOf(PyCodeObject *co, PyObject *globals);
/* The compiled code of a function that code being compiled calls,
 * compiled now if its calls are still being counted (Jit/runtime.c);
 * NULL if none, never with an exception. */
extern _PyJitCompiled *_PyJit_CompileCallee(PyFunctionObject *func);

/* Call func (a Python function whose code is compiled: compiled is
 * _PyJit_CompiledOf its code) the way the eval loop would, without the
 * eval loop unless the compiled code deoptimizes or raises.  Vectorcall
 * conventions; a new reference or NULL with an exception. */
extern PyObject *_PyJit_CallCompiled(PyThreadState *tstate,
                                     PyFunctionObject *func,
                                     _PyJitCompiled *compiled,
                                     PyObject *const *args, size_t nargsf,
                                     PyObject *kwnames);

/* What the eval loop does at an eval-breaker check (signals, pending
 * calls, GIL drop requests, async exceptions): 0, or -1 with an
 * exception set.  Exported by patch 0009 from ceval.c. */
extern int _PyEmber_HandlePending(PyThreadState *tstate);

/* ---- Self-tests. */

/* Assemble, place and call a few small functions (Jit/asm_selftest.c);
 * binop is the instruction of the two-operand one ("add").  A dict of
 * results, or NULL with RuntimeError carrying the assembler's message. */
extern PyObject *_PyJit_AsmSelfTest(const char *binop);

#endif /* EMBER_JIT_H */
