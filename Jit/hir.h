/* HIR: the JIT's high-level intermediate representation of one code object
 * (docs/jit.md).  Values are Python objects or raw machine integers, in SSA
 * form: every value is defined once, by one instruction; values of the
 * interpreter's value stack that meet at a join become phis.  Locals stay in
 * the interpreter frame's memory (frame->localsplus) and are read and
 * written there (LoadLocal / StoreLocal), so the frame is always as the
 * interpreter would have it except for the value stack; a pass removes
 * redundant loads (Jit/pass_locals.c).
 *
 * Every instruction that can fail or deoptimize carries a frame state: the
 * value stack at that point (values and whether each is an owned reference)
 * and the bytecode positions to resume at (deopt) or report (error).
 *
 * Data: a JitHir owns its blocks, their instruction lists, the instructions,
 * frame states and phi inputs (all malloc'ed, freed by JitHir_Free), and a
 * list of objects (refs) that constants point at and keep alive.
 */
#ifndef EMBER_JIT_HIR_H
#define EMBER_JIT_HIR_H

#include "Python.h"

/* name, has a result, can deoptimize or fail (carries a frame state) */
#define JIT_HIR_OPS(X) \
    X(Param, 1, 0)          /* imm: argument number (0 tstate, 1 frame) */ \
    X(Const, 1, 0)          /* imm: an object (borrowed, kept in refs) */ \
    X(Imm, 1, 0)            /* imm: a raw integer */ \
    X(Phi, 1, 0)            /* inputs from predecessors (phi_in) */ \
    X(LoadLocal, 1, 0)      /* imm: localsplus index; borrowed value */ \
    X(StoreLocal, 0, 0)     /* a0 -> localsplus[imm] (steals a0) */ \
    X(Incref, 0, 0)         /* a0 */ \
    X(Decref, 0, 0)         /* a0 */ \
    X(XDecref, 0, 0)        /* a0, may be NULL */ \
    X(LoadField, 1, 0)      /* raw imm2-byte load at a0 + imm */ \
    X(StoreField, 0, 0)     /* a1 -> imm2 bytes at a0 + imm */ \
    X(CallHelper, 1, 1)     /* helper imm (Jit/helpers.h) with args; \
                               fails on NULL (kind obj) or -1 (kind int) */ \
    X(CallRaw, 1, 1)        /* a0 (a raw function address)(a1..): \
                               imm arguments; the raw result (never a \
                               failure by itself: compiled code's entry, \
                               a builtin's C function); the frame state \
                               only names the instruction (prev_instr) */ \
    X(ErrorIfNull, 0, 1)    /* a0 NULL (an exception is set): fail */ \
    X(GuardType, 0, 1)      /* deopt unless Py_TYPE(a0) == (PyTypeObject*)imm */ \
    X(GuardNotNull, 0, 1)   /* deopt if a0 is NULL */ \
    X(GuardIs, 0, 1)        /* deopt unless a0 == imm */ \
    X(GuardRawEq, 0, 1)     /* deopt unless raw a0 == imm */ \
    X(CheckEvalBreaker, 0, 1) /* eval breaker set: handle, may fail */ \
    X(CheckTracing, 0, 1)   /* tracing switched on: deopt */ \
    X(IntCompare, 1, 1)     /* raw 0/1: exact ints a0 imm(cond) a1; \
                               deopt unless both are compact */ \
    X(PtrEq, 1, 0)          /* raw 0/1: a0 == a1 */ \
    X(RawCmp, 1, 0)         /* raw 0/1: a0 cond(imm, JitLirCond) a1 */ \
    X(RawBin, 1, 0)         /* raw a0 op(imm, JitLirOp) a1 */ \
    X(BoolFromRaw, 1, 0)    /* Py_True/Py_False (borrowed) from raw a0; \
                               imm 1: negated ("not") */ \
    X(IsTrue, 1, 1)         /* raw 0/1 truth of a0, fails on -1 */ \
    X(Deopt, 0, 1)          /* unconditional deoptimization */ \
    X(Branch, 0, 0)         /* raw a0 != 0 ? target : target2 */ \
    X(Jump, 0, 0)           /* target */ \
    X(Return, 0, 0)         /* return a0 (owned) */

typedef enum {
#define JIT_HIR_ENUM(name, res, fs) JitHir_##name,
    JIT_HIR_OPS(JIT_HIR_ENUM)
#undef JIT_HIR_ENUM
    JitHir_COUNT
} JitHirOp;

extern const char *const JitHir_OpNames[JitHir_COUNT];
extern const char JitHir_OpHasResult[JitHir_COUNT];
extern const char JitHir_OpHasFrameState[JitHir_COUNT];

/* The value stack as the interpreter would hold it at one point, and where
 * to go on: a deoptimization resumes the interpreter at code unit resume_at
 * with the whole stack; an error reports instruction error_at with the
 * stack minus the failing instruction's consumed inputs (nconsumed). */
typedef struct {
    int resume_at;
    int error_at;
    int depth;
    int nconsumed;
    int *stack;             /* value numbers, depth of them */
    unsigned char *owned;   /* 0 borrowed, 1 owned, 2 owned or NULL */
} JitFrameState;

typedef struct {
    int block;              /* predecessor HIR block */
    int value;
} JitPhiIn;

#define JIT_HIR_MAX_ARGS 8

typedef struct JitHirInstr {
    JitHirOp op;
    int value;              /* value number, -1 when the op has no result */
    int nargs;
    int args[JIT_HIR_MAX_ARGS];
    int64_t imm;
    int64_t imm2;           /* LoadField/StoreField: size; CallHelper:
                               1 = deoptimize on NULL without exception */
    int target, target2;    /* blocks of Branch / Jump */
    JitFrameState *fs;
    JitPhiIn *phi_in;       /* Phi: inputs (malloc'ed) */
    int nphi_in;
    int deopt_kind;         /* _PyJitDeoptKind of guards */
    int dead;               /* removed by a pass */
} JitHirInstr;

typedef struct {
    JitHirInstr **instrs;
    int ninstrs, cap;
    int bc_start;           /* bytecode code unit it starts at, -1: none */
} JitHirBlock;

typedef struct {
    PyCodeObject *code;     /* borrowed */
    PyObject *globals, *builtins;   /* borrowed */
    JitHirBlock *blocks;
    int nblocks, blocks_cap;
    JitHirInstr **values;   /* value number -> defining instruction */
    int nvalues, values_cap;
    PyObject *refs;         /* list: objects constants point at */
    int cur;                /* block the builder appends to */
    /* Where direct calls of the code to itself find its entry (site-cache
     * memory in refs), written once the code is emitted; NULL if none. */
    void **self_entry_cell;
    /* The counters of the record the code will have (_PyJitCompiled's
     * runs and slow_hits): direct calls of the code to itself add to
     * self_runs, slow paths to slow_hits.  NULL when the HIR is only
     * printed (_PyJit_HirText): no counting code is made. */
    Py_ssize_t *self_runs;
    Py_ssize_t *slow_hits;
    char error[200];        /* why building failed */
    /* Steps the passes took (instructions and phi inputs visited): a
     * count of their work that -X jit-dump-times prints and
     * test_ember_jit_compile_time checks grows linearly. */
    long long work;
} JitHir;

JitHir *JitHir_New(PyCodeObject *co, PyObject *globals, PyObject *builtins);
void JitHir_Free(JitHir *hir);
int JitHir_NewBlock(JitHir *hir);
/* Append an instruction to the current block; NULL when out of memory. */
JitHirInstr *JitHir_Emit(JitHir *hir, JitHirOp op, int nargs, const int *args);
JitFrameState *JitHir_NewFrameState(int depth);
/* Text form of the whole function (malloc'ed); Jit/hir.c describes it. */
char *JitHir_Text(const JitHir *hir);
/* Parse that text back (Jit/hir_parse.c): a new JitHir, or NULL with
 * "line N: ..." in err (an exception may be set too: out of memory).  It
 * owns a dummy code object; see Jit/hir_parse.c for what the result is
 * fit for. */
JitHir *JitHir_Parse(const char *text, char *err, size_t err_size);

/* Names the text uses: IntCompare conditions (imm 0..5), deoptimization
 * kinds (_PyJitDeoptKind, NULL-terminated), and whether an op's lowering
 * reads its deopt_kind (the text shows it for those only). */
#define JIT_HIR_NCONDS 6
extern const char *const JitHir_CondNames[JIT_HIR_NCONDS];
extern const char *const JitHir_DeoptKindNames[];
int JitHir_OpUsesDeoptKind(JitHirOp op);

/* Build from co's quickened bytecode (Jit/hir_builder.c): 0, or -1 with
 * the reason in hir->error (-2: an exception is set). */
int JitHir_Build(JitHir *hir);

/* Passes, each in its own file: Jit/pass_phis.c (trivial phis), Jit/pass_locals.c
 * (redundant local loads), Jit/pass_guards.c (guards already proven),
 * Jit/pass_refcount.c (incref/decref pairs), Jit/pass_dce.c (dead
 * values). */
void JitPass_Phis(JitHir *hir);
void JitPass_Locals(JitHir *hir);
void JitPass_Guards(JitHir *hir);
void JitPass_Refcount(JitHir *hir);
void JitPass_Dce(JitHir *hir);

/* The pipeline, in the order the passes run (Jit/passes.c). */
#define JIT_HIR_PASSES(X) \
    X(phis, JitPass_Phis) \
    X(locals, JitPass_Locals) \
    X(guards, JitPass_Guards) \
    X(refcount, JitPass_Refcount) \
    X(dce, JitPass_Dce)

typedef struct {
    const char *name;
    void (*run)(JitHir *hir);
} JitPassInfo;

/* JIT_HIR_PASSES as a table, ended by {NULL, NULL}. */
extern const JitPassInfo JitHir_Passes[];
/* All of them, in order. */
void JitPass_RunAll(JitHir *hir);
/* All of them, verifying the HIR before the first and after each: 0, or
 * -1 with "after pass NAME: ..." (or "after the builder: ...") in err. */
int JitPass_RunVerified(JitHir *hir, char *err, size_t err_size);

/* Check that hir is well formed (Jit/hir_verify.c says what that means):
 * 0, or -1 with a message naming the block and instruction in err. */
int JitHir_Verify(const JitHir *hir, char *err, size_t err_size);

/* uses[0..nvalues) = the number of uses of each value (Jit/hir.c). */
void JitHir_CountUses(JitHir *hir, int *uses);

/* Replacing values (passes), in one sweep however many are replaced: a
 * pass records "uses of v become w" as repl[v] = w in a map from
 * JitHir_NewReplacements (every value its own; PyMem_RawFree it), reads
 * values through JitHir_Resolve (which follows chains: v -> w -> x), and
 * rewrites every instruction argument, phi input and frame-state entry,
 * of live and dead instructions, once at the end with
 * JitHir_ApplyReplacements. */
int *JitHir_NewReplacements(const JitHir *hir);
int JitHir_Resolve(int *repl, int v);
void JitHir_ApplyReplacements(JitHir *hir, int *repl);

struct JitLir;
/* Lower to LIR (Jit/hir_lower.c): a new JitLir, or NULL with hir->error. */
struct JitLir *JitHir_Lower(JitHir *hir);

#endif /* EMBER_JIT_HIR_H */
