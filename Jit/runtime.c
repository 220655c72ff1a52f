/* The JIT's run time: what to compile and when, and running compiled code
 * (docs/jit.md, "The run time").
 *
 * Data owned here: _PyJit_Enabled, _PyJit_DeoptCount and
 * _PyJit_StressCounter (ember_jit.h); the per-code-object state kept in
 * each code object's co_extra slot (struct jit_code_state: the call and
 * loop count, the compiled code or why there is none, the code it
 * retired and how often) and the list of the states that hold compiled
 * code; the statistics (counters, and the dict of per-function compile
 * time and size) and the dicts of compile failures and recompilations.
 *
 * Recompilation (docs/jit.md): compiled code counts its runs, its
 * deoptimizations and the fast-path misses (slow paths) it takes.  Code
 * that deoptimizes in a large share of its runs, or whose fast paths keep
 * missing, is retired: the interpreter runs the function again, its
 * specializations follow what it now sees, and the function is compiled
 * again from that profile once warm.  Retired code is kept (a frame may be
 * running it; direct callers enter it by address) until its code object
 * goes.  A function is recompiled at most MAX_RECOMPILES times; code that
 * still deoptimizes too often after that is left to the interpreter.  Everything is used with the GIL held, in the main interpreter
 * only: other interpreters never compile or run compiled code.
 *
 * Compiled code does not keep its code object alive: it lives in the code
 * object's co_extra and is freed (_PyJit_FreeCompiled) with it.  It is
 * never freed before, because a frame running it holds its code object.
 */
#include "Python.h"
#include "pycore_atomic.h"        // _Py_atomic_load_relaxed()
#include "pycore_call.h"
#include "pycore_ceval.h"         // _Py_EnterRecursiveCallTstate()
#include "pycore_code.h"
#include "pycore_frame.h"
#include "pycore_interp.h"
#include "pycore_opcode.h"        // _PyOpcode_Deopt
#include "pycore_pyerrors.h"
#include "pycore_pystate.h"       // _PyThreadState_GET()
#include "internal/ember_jit.h"
#include "internal/ember_jit_runtime.h"

int _PyJit_Enabled = 0;
Py_ssize_t _PyJit_DeoptCount[_PyJitDeopt_COUNT];
Py_ssize_t _PyJit_StressCounter = _PyJit_StressPeriod;

enum jit_status {
    JIT_COUNTING = 0,   /* counting calls and back edges */
    JIT_COMPILED,       /* compiled is set */
    JIT_REFUSED,        /* the compiler (or the run time) said no */
    JIT_FAILED,         /* the compiler raised (-2) */
    JIT_UNLISTED,       /* not in the list file: never compiled */
};

typedef struct jit_code_state {
    Py_ssize_t count;
    Py_ssize_t compile_at;      /* the count that compiles it */
    int status;
    int compiling;              /* _PyJit_Compile is running for it */
    int recompiles;             /* times its code was retired */
    int listed;                 /* in compiled_list (it has or had code) */
    uint64_t profile;           /* profile_hash() at the last compilation */
    _PyJitCompiled *compiled;   /* owned */
    _PyJitCompiled *retired;    /* owned: retired code (retired_next) */
    PyObject *reason;           /* str: why REFUSED or FAILED */
    PyCodeObject *code;         /* borrowed: the state dies with it */
    struct jit_code_state *prev, *next;     /* compiled_list: the states
                                               with compiled or retired
                                               code */
} jit_code_state;

/* Mirrors _PyCodeObjectExtra (private to Objects/codeobject.c of the
   3.11.2 base) so that the hooks read the slot without a call. */
typedef struct {
    Py_ssize_t ce_size;
    void *ce_extras[1];
} code_extra_layout;

static Py_ssize_t extra_index = -1;
static jit_code_state *compiled_list = NULL;

/* Statistics. */
static Py_ssize_t n_compiled = 0;       /* successful compilations */
static Py_ssize_t n_failures = 0;       /* refusals and failures */
static Py_ssize_t freed_runs = 0;       /* runs of code already freed */
static Py_ssize_t n_recompiles = 0;     /* retirements */
static PyObject *recompile_reasons = NULL;  /* name -> [reason, ...] */
static double total_compile_seconds = 0.0;
static size_t total_code_size = 0;
static PyObject *function_stats = NULL;     /* name -> dict */
static PyObject *failures = NULL;           /* name -> reason */

static inline int
in_main_interpreter(PyThreadState *tstate)
{
    return tstate->interp == _PyRuntime.interpreters.main;
}

static inline jit_code_state *
get_state(PyCodeObject *co)
{
    code_extra_layout *ex = (code_extra_layout *)co->co_extra;
    if (ex == NULL || extra_index < 0 || extra_index >= ex->ce_size) {
        return NULL;
    }
    return (jit_code_state *)ex->ce_extras[extra_index];
}

static void
unlink_compiled(jit_code_state *st)
{
    if (st->prev) {
        st->prev->next = st->next;
    }
    else {
        compiled_list = st->next;
    }
    if (st->next) {
        st->next->prev = st->prev;
    }
    st->prev = st->next = NULL;
}

static void
free_state(void *p)
{
    jit_code_state *st = (jit_code_state *)p;
    if (st == NULL) {
        return;
    }
    if (st->listed) {
        unlink_compiled(st);
    }
    if (st->compiled != NULL) {
        freed_runs += st->compiled->runs;
        _PyJit_FreeCompiled(st->compiled);
    }
    while (st->retired != NULL) {
        _PyJitCompiled *c = st->retired;
        st->retired = c->retired_next;
        freed_runs += c->runs;
        _PyJit_FreeCompiled(c);
    }
    Py_XDECREF(st->reason);
    PyMem_Free(st);
}

int
_PyJit_InitRuntime(void)
{
    if (extra_index >= 0) {
        return 0;
    }
    extra_index = _PyEval_RequestCodeExtraIndex(free_state);
    if (extra_index < 0) {
        PyErr_SetString(PyExc_RuntimeError,
                        "the JIT found no free co_extra slot");
        return -1;
    }
    function_stats = PyDict_New();
    failures = PyDict_New();
    recompile_reasons = PyDict_New();
    if (function_stats == NULL || failures == NULL
        || recompile_reasons == NULL) {
        return -1;
    }
    return 0;
}

/* A new state for co, or NULL (no exception). */
static jit_code_state *
new_state(PyCodeObject *co)
{
    jit_code_state *st = PyMem_Calloc(1, sizeof(*st));
    if (st == NULL) {
        return NULL;
    }
    st->code = co;
    if (_PyCode_SetExtra((PyObject *)co, extra_index, st) < 0) {
        PyErr_Clear();
        PyMem_Free(st);
        return NULL;
    }
    return st;
}

/* "module:qualname", the key of the list file, the failures and the
   statistics; the module is the globals' __name__.  New reference or NULL
   with an exception. */
static PyObject *
code_name(PyCodeObject *co, PyObject *globals)
{
    PyObject *mod = NULL;
    if (globals != NULL && PyDict_Check(globals)) {
        mod = PyDict_GetItemWithError(globals, &_Py_ID(__name__));
        if (mod == NULL && PyErr_Occurred()) {
            return NULL;
        }
    }
    if (mod == NULL || !PyUnicode_Check(mod)) {
        return PyUnicode_FromFormat("?:%U", co->co_qualname);
    }
    return PyUnicode_FromFormat("%U:%U", mod, co->co_qualname);
}

/* The state gets status (REFUSED or FAILED) and reason; the failures dict
   the same.  Never raises. */
static void
record_failure(jit_code_state *st, PyObject *globals, int status,
               PyObject *reason)
{
    st->status = status;
    Py_XSETREF(st->reason, reason);
    n_failures++;
    if (reason == NULL || failures == NULL) {
        PyErr_Clear();
        return;
    }
    PyObject *name = code_name(st->code, globals);
    if (name == NULL || PyDict_SetItem(failures, name, reason) < 0) {
        PyErr_Clear();
    }
    Py_XDECREF(name);
}

static const char *
refused_kind(PyCodeObject *co)
{
    int flags = co->co_flags;
    if (flags & CO_ASYNC_GENERATOR) {
        return "async generator function: not compiled";
    }
    if (flags & (CO_COROUTINE | CO_ITERABLE_COROUTINE)) {
        return "coroutine function: not compiled";
    }
    return NULL;
}

static void
note_compiled(jit_code_state *st, PyObject *globals)
{
    _PyJitCompiled *c = st->compiled;
    n_compiled++;
    total_compile_seconds += c->compile_seconds;
    total_code_size += c->code_size;
    if (!st->listed) {
        st->listed = 1;
        st->prev = NULL;
        st->next = compiled_list;
        if (compiled_list) {
            compiled_list->prev = st;
        }
        compiled_list = st;
    }
    if (function_stats == NULL) {
        return;
    }
    PyObject *name = code_name(st->code, globals);
    PyObject *d = name ? Py_BuildValue("{sdsnsisi}", "compile_time",
                                       c->compile_seconds, "code_size",
                                       (Py_ssize_t)c->code_size,
                                       "direct_calls", c->direct_calls,
                                       "recompiles", st->recompiles)
                       : NULL;
    if (d == NULL || PyDict_SetItem(function_stats, name, d) < 0) {
        PyErr_Clear();
    }
    Py_XDECREF(name);
    Py_XDECREF(d);
}

#define MAX_RECOMPILES 2     /* the recompilation policy, below */

/* The interpreter's profile of co as a number: a hash of its instructions'
   opcodes, which name their specializations (the inline caches, whose
   counters change all the time, are left out). */
static uint64_t
profile_hash(PyCodeObject *co)
{
    _Py_CODEUNIT *code = _PyCode_CODE(co);
    Py_ssize_t n = Py_SIZE(co);
    uint64_t h = 14695981039346656037ull;
    for (Py_ssize_t i = 0; i < n; i++) {
        int op = _Py_OPCODE(code[i]);
        h = (h ^ (uint64_t)op) * 1099511628211ull;
        i += _PyOpcode_Caches[_PyOpcode_Deopt[op]];
    }
    return h;
}

/* Compile st's code for these globals: 1 compiled, 0 refused or failed,
   -1 with the compiler's exception set (only if raise; otherwise it is
   reported as unraisable and cleared, so that it never reaches the frame
   that was about to run). */
static int
compile_code(jit_code_state *st, PyObject *globals, PyObject *builtins,
             int raise)
{
    PyCodeObject *co = st->code;
    const char *kind = refused_kind(co);
    if (kind != NULL || !(co->co_flags & CO_OPTIMIZED)) {
        record_failure(st, globals, JIT_REFUSED, PyUnicode_FromString(
            kind ? kind : "not a function's code: not compiled"));
        return 0;
    }
    char reason[512];
    reason[0] = '\0';
    _PyJitCompiled *out = NULL;
    st->compiling = 1;
    int rc = _PyJit_Compile(co, globals, builtins, &out, reason,
                            sizeof(reason));
    st->compiling = 0;
    if (rc == 0) {
        /* A recompilation from a profile no different from the last one
           made the same code: retiring it again would gain nothing. */
        uint64_t profile = profile_hash(co);
        if (st->recompiles > 0 && profile == st->profile) {
            st->recompiles = MAX_RECOMPILES;
        }
        st->profile = profile;
        st->compiled = out;
        st->status = JIT_COMPILED;
        note_compiled(st, globals);
        return 1;
    }
    if (rc == -1) {
        assert(!PyErr_Occurred());
        reason[sizeof(reason) - 1] = '\0';
        record_failure(st, globals, JIT_REFUSED, PyUnicode_DecodeUTF8(
            reason[0] ? reason : "refused", strlen(reason[0] ? reason
                                                   : "refused"),
            "replace"));
        return 0;
    }
    assert(PyErr_Occurred());
    PyObject *type, *value, *tb;
    PyErr_Fetch(&type, &value, &tb);
    PyErr_NormalizeException(&type, &value, &tb);
    PyObject *why = PyUnicode_FromFormat("compiler error: %R", value);
    if (why == NULL) {
        PyErr_Clear();
    }
    PyErr_Restore(type, value, tb);
    if (raise) {
        PyErr_Fetch(&type, &value, &tb);
        record_failure(st, globals, JIT_FAILED, why);
        PyErr_Restore(type, value, tb);
        return -1;
    }
    _PyErr_WriteUnraisableMsg("in the JIT compiling", (PyObject *)co);
    record_failure(st, globals, JIT_FAILED, why);
    return 0;
}

static int
is_listed(PyCodeObject *co, PyObject *globals)
{
    PyObject *name = code_name(co, globals);
    int r = name ? PySet_Contains(_PyJit_ListEntries, name) : -1;
    Py_XDECREF(name);
    if (r < 0) {
        PyErr_Clear();
        return 0;
    }
    return r;
}

/* The state of a function's code, made on its first call; NULL for code
   that is not a function's (module and class bodies, exec of code with
   locals) and on memory errors. */
static jit_code_state *
state_for_call(PyCodeObject *co, PyObject *globals, PyObject *locals)
{
    jit_code_state *st = get_state(co);
    if (st != NULL) {
        return st;
    }
    if (!(co->co_flags & CO_OPTIMIZED) || locals != NULL) {
        return NULL;
    }
    st = new_state(co);
    if (st == NULL) {
        return NULL;
    }
    const char *kind = refused_kind(co);
    if (kind != NULL) {
        /* Refused without asking the compiler. */
        record_failure(st, globals, JIT_REFUSED, PyUnicode_FromString(kind));
    }
    else if (_PyJit_ListEntries != NULL && !is_listed(co, globals)) {
        st->status = JIT_UNLISTED;
    }
    return st;
}

static inline int
eval_breaker_set(PyThreadState *tstate)
{
    return _Py_atomic_load_relaxed(&tstate->interp->ceval.eval_breaker);
}

/* ---- Recompilation (the comment at the top says what it is for). */

/* Code is retired when, within a window (counted from its compilation or
   from the end of the last window), it has deoptimized at least
   RETIRE_MIN_DEOPTS times and in at least one run in RETIRE_DEOPT_SHARE,
   or taken at least RETIRE_MIN_SLOW_HITS slow paths and at least one in
   every RETIRE_SLOW_SHARE runs, over at least RETIRE_MIN_RUNS runs (a
   function with a loop, entered a few times, is not handed to the
   interpreter for a whole long call on the chance that its profile
   changed: chaos's checksum loop lost two iterations so); a window that reaches its minimum without
   that share ends, and a new one starts, so a long good history does not
   hide a profile that changed (a site whose profile
   no longer holds misses at every run; a loop's misses count many per
   run).  The function is compiled
   again once it has counted Py_MAX(threshold, RECOMPILE_WARMUP) calls and
   back edges in the interpreter (enough for 3.11's specializer, which
   respecializes a site after some 50 misses).  After MAX_RECOMPILES
   retirements, code that deoptimizes too often is refused ("left to the
   interpreter") and code that misses is kept.  So is code compiled again
   from the very profile it was compiled from before (compile_code): its
   misses are of values its fast paths do not take (ints beyond the
   compact ones), not of a changed profile. */
#define RETIRE_MIN_DEOPTS 100
#define RETIRE_DEOPT_SHARE 8
#define RETIRE_MIN_SLOW_HITS 1000
#define RETIRE_SLOW_SHARE 2
#define RETIRE_MIN_RUNS 1000
#define RECOMPILE_WARMUP 200

static Py_ssize_t
total_runs(void)
{
    Py_ssize_t n = freed_runs;
    for (jit_code_state *st = compiled_list; st != NULL; st = st->next) {
        n += st->compiled ? st->compiled->runs : 0;
        for (_PyJitCompiled *c = st->retired; c; c = c->retired_next) {
            n += c->runs;
        }
    }
    return n;
}

static inline int
may_retire(jit_code_state *st)
{
    return st->recompiles < MAX_RECOMPILES && !st->compiling;
}

/* Move st's compiled code to its retired list: kept, not run from the
   hooks.  The state stays in compiled_list (total_runs counts retired
   code; free_state frees it). */
static void
keep_retired(jit_code_state *st)
{
    st->compiled->retired_next = st->retired;
    st->retired = st->compiled;
    st->compiled = NULL;
}

/* Retire st's compiled code (why: a new str, may be NULL): the
   interpreter takes the function again.  Never raises. */
static void
retire(jit_code_state *st, PyObject *globals, PyObject *why)
{
    keep_retired(st);
    st->status = JIT_COUNTING;
    st->count = 0;
    st->compile_at = RECOMPILE_WARMUP;
    st->recompiles++;
    n_recompiles++;
    PyObject *name = code_name(st->code, globals);
    if (name != NULL && why != NULL && recompile_reasons != NULL) {
        PyObject *list = PyDict_GetItemWithError(recompile_reasons, name);
        if (list == NULL && !PyErr_Occurred()) {
            list = PyList_New(0);
            if (list != NULL && PyDict_SetItem(recompile_reasons, name,
                                               list) < 0) {
                Py_CLEAR(list);
            }
            Py_XDECREF(list);   /* the dict holds it */
        }
        if (list != NULL) {
            PyList_Append(list, why);
        }
    }
    PyErr_Clear();
    Py_XDECREF(name);
    Py_XDECREF(why);
}

/* Compiled code c of frame's code returned NULL without an exception. */
static void
note_deopt(PyThreadState *tstate, _PyInterpreterFrame *frame,
           _PyJitCompiled *c)
{
    c->deopts++;
    /* Under -X jit-stress-deopt the deoptimizations are made on purpose:
       they say nothing about the profile. */
    Py_ssize_t deopts = c->deopts - c->deopt_window[1];
    Py_ssize_t runs = c->runs - c->deopt_window[0];
    if (deopts < RETIRE_MIN_DEOPTS || _PyJit_Options.stress_deopt
        || tstate->cframe->use_tracing) {
        return;
    }
    if (deopts * RETIRE_DEOPT_SHARE < runs) {
        /* Rare enough: a new window. */
        c->deopt_window[0] = c->runs;
        c->deopt_window[1] = c->deopts;
        return;
    }
    jit_code_state *st = get_state(frame->f_code);
    if (st == NULL || st->compiled != c || st->status != JIT_COMPILED) {
        return;     /* already retired */
    }
    PyObject *exc_type, *exc, *tb;
    PyErr_Fetch(&exc_type, &exc, &tb);
    PyObject *why = PyUnicode_FromFormat(
        "deoptimized %zd times in %zd runs", deopts, runs);
    if (may_retire(st)) {
        retire(st, frame->f_globals, why);
    }
    else if (!st->compiling) {
        /* Recompiled often enough: the interpreter keeps it.  The code is
           kept too (frames and direct callers may run it). */
        PyObject *reason = why ? PyUnicode_FromFormat(
            "%U after %d recompilations: left to the interpreter", why,
            st->recompiles) : NULL;
        Py_XDECREF(why);
        keep_retired(st);
        record_failure(st, frame->f_globals, JIT_REFUSED, reason);
    }
    else {
        Py_XDECREF(why);
    }
    PyErr_Clear();
    PyErr_Restore(exc_type, exc, tb);
}

/* At an entry through the run time, when st's code has missed at least
   RETIRE_MIN_SLOW_HITS times: retire it if its fast paths keep missing.
   1 if it did (the caller interprets the frame). */
static int
retire_if_missing(jit_code_state *st, PyObject *globals)
{
    _PyJitCompiled *c = st->compiled;
    Py_ssize_t slow = c->slow_hits - c->slow_window[1];
    Py_ssize_t runs = c->runs - c->slow_window[0];
    if (!may_retire(st) || runs < RETIRE_MIN_RUNS
        || slow * RETIRE_SLOW_SHARE < runs) {
        /* Rare enough, or kept for good: a new window. */
        c->slow_window[0] = c->runs;
        c->slow_window[1] = c->slow_hits;
        return 0;
    }
    PyObject *exc_type, *exc, *tb;
    PyErr_Fetch(&exc_type, &exc, &tb);
    PyObject *why = PyUnicode_FromFormat(
        "fast paths missed %zd times in %zd runs", slow, runs);
    retire(st, globals, why);
    PyErr_Restore(exc_type, exc, tb);
    return 1;
}

/* Is frame running under a module import: is the body of a module other
   than __main__ (or a class body in one) among its callers?  Functions
   that get hot while modules are imported (re's parser compiling the
   patterns of every module imported) are not compiled then: that is
   start-up, and compiling them made `import` of a service's modules a
   quarter slower (startup_imports: 73 ms of compilation).  They compile
   at their first call after the import, if they are still called.
   Looks at most IMPORT_SCAN_DEPTH callers. */
#define IMPORT_SCAN_DEPTH 64

static int
importing(_PyInterpreterFrame *frame)
{
    _PyInterpreterFrame *f = frame->previous;
    for (int n = 0; f != NULL && n < IMPORT_SCAN_DEPTH; n++, f = f->previous) {
        if ((f->f_code->co_flags & CO_OPTIMIZED) || f->f_globals == NULL
            || !PyDict_CheckExact(f->f_globals)) {
            continue;
        }
        PyObject *name = PyDict_GetItemWithError(f->f_globals,
                                                 &_Py_ID(__name__));
        if (name == NULL) {
            PyErr_Clear();
            continue;
        }
        if (!PyUnicode_Check(name)
            || !_PyUnicode_EqualToASCIIString(name, "__main__")) {
            return 1;
        }
    }
    return 0;
}

int
_PyJit_Enter(PyThreadState *tstate, _PyInterpreterFrame *frame,
             PyObject **result)
{
    if (tstate->cframe->use_tracing || !in_main_interpreter(tstate)) {
        return 0;
    }
    PyCodeObject *co = frame->f_code;
    jit_code_state *st = state_for_call(co, frame->f_globals,
                                        frame->f_locals);
    if (st == NULL) {
        return 0;
    }
    if (st->status == JIT_COUNTING) {
        if (st->compiling || ++st->count < Py_MAX(_PyJit_Threshold,
                                                  st->compile_at)) {
            return 0;
        }
        if (_PyJit_Threshold > 1 && importing(frame)) {
            st->count--;        /* due again at its next call */
            return 0;
        }
        if (compile_code(st, frame->f_globals, frame->f_builtins, 0) <= 0) {
            return 0;
        }
    }
    if (st->status != JIT_COMPILED) {
        return 0;
    }
    _PyJitCompiled *compiled = st->compiled;
    if (compiled->globals != frame->f_globals
        || compiled->builtins != frame->f_builtins) {
        return 0;
    }
    /* What RESUME does after this hook: compiled code starts after it.
       (RESUME after a yield from, oparg 2, does not check.) */
    if (eval_breaker_set(tstate) && _Py_OPARG(*frame->prev_instr) < 2
        && _PyEmber_HandlePending(tstate) != 0) {
        *result = NULL;
        return 1;
    }
    if (compiled->slow_hits - compiled->slow_window[1] >= RETIRE_MIN_SLOW_HITS
        && retire_if_missing(st, frame->f_globals)) {
        return 0;
    }
    compiled->runs++;
    *result = compiled->entry(tstate, frame);
    if (*result == NULL && !_PyErr_Occurred(tstate)) {
        note_deopt(tstate, frame, compiled);
    }
    return 1;
}

void
_PyJit_CountLoop(_PyInterpreterFrame *frame)
{
    if (!in_main_interpreter(_PyThreadState_GET())) {
        return;
    }
    jit_code_state *st = get_state(frame->f_code);
    if (st != NULL && st->status == JIT_COUNTING
        && st->count < PY_SSIZE_T_MAX / 2) {
        st->count++;
    }
}

/* The compiled code of a function that code being compiled calls (a
   warm call site: the interpreter specialized it), compiling it now if it
   is still counting calls, so that the caller can enter it directly.  A
   caller with loops gets hot before the functions it calls; without this
   its calls would all stay generic.  The callee must be warm (below).
   Compilations nest at most MAX_CALLEE_DEPTH deep; NULL if there is no
   compiled code (never an exception). */
#define MAX_CALLEE_DEPTH 2
#define WARM_CALLEE_COUNT 64

_PyJitCompiled *
_PyJit_CompileCallee(PyFunctionObject *func)
{
    static int depth = 0;
    PyCodeObject *co = (PyCodeObject *)func->func_code;
    jit_code_state *st = get_state(co);
    /* Only once the interpreter has quickened the callee and run it a
       while (WARM_CALLEE_COUNT counts, or half the threshold if less):
       its own sites must be specialized for its code to be any good. */
    if (st != NULL && st->status == JIT_COUNTING && !st->compiling
        && co->co_warmup == 0
        && st->count >= Py_MIN(WARM_CALLEE_COUNT, _PyJit_Threshold / 2)
        && depth < MAX_CALLEE_DEPTH && _PyJit_Enabled
        && in_main_interpreter(_PyThreadState_GET())) {
        depth++;
        compile_code(st, func->func_globals, func->func_builtins, 0);
        depth--;
    }
    return _PyJit_CompiledOf(co, func->func_globals);
}

_PyJitCompiled *
_PyJit_CompiledOf(PyCodeObject *co, PyObject *globals)
{
    if (!_PyJit_Enabled || !in_main_interpreter(_PyThreadState_GET())) {
        return NULL;
    }
    jit_code_state *st = get_state(co);
    if (st == NULL || st->status != JIT_COMPILED
        || st->compiled->globals != globals
        || (co->co_flags & CO_GENERATOR)) {
        /* A generator's compiled code is entered only at its RESUMEs,
           by the eval loop's hook, once RETURN_GENERATOR made it one. */
        return NULL;
    }
    return st->compiled;
}

/* The instructions before RESUME of closures and functions with cells,
   done as the interpreter does them: MAKE_CELL puts a local (an argument,
   or NULL) into a new cell, COPY_FREE_VARS copies the closure's cells into
   the frame.  Returns RESUME's index; -1 if the code has anything else
   there (the eval loop runs it then, nothing done); -2 with MemoryError. */
static int
run_prelude(_PyInterpreterFrame *frame)
{
    PyCodeObject *co = frame->f_code;
    _Py_CODEUNIT *code = _PyCode_CODE(co);
    int resume = 0;
    for (;; resume++) {
        int op = _PyOpcode_Deopt[_Py_OPCODE(code[resume])];
        if (op == RESUME) {
            break;
        }
        if (op != MAKE_CELL && op != COPY_FREE_VARS) {
            return -1;
        }
    }
    for (int i = 0; i < resume; i++) {
        int op = _PyOpcode_Deopt[_Py_OPCODE(code[i])];
        int oparg = _Py_OPARG(code[i]);
        if (op == MAKE_CELL) {
            PyObject *initial = frame->localsplus[oparg];
            PyObject *cell = PyCell_New(initial);
            if (cell == NULL) {
                return -2;
            }
            frame->localsplus[oparg] = cell;
            Py_XDECREF(initial);
        }
        else {
            PyObject *closure = frame->f_func->func_closure;
            int offset = co->co_nlocals + co->co_nplaincellvars;
            for (int k = 0; k < oparg; k++) {
                frame->localsplus[offset + k] =
                    Py_NewRef(PyTuple_GET_ITEM(closure, k));
            }
        }
    }
    return resume;
}

static inline void clear_and_pop(PyThreadState *tstate,
                                 _PyInterpreterFrame *frame);
static inline PyObject *run_entered(PyThreadState *tstate,
                                    _PyInterpreterFrame *frame,
                                    _PyJitCompiled *compiled,
                                    int check_pending);

/* Run the compiled code on a frame just pushed by _PyEmber_FramePushAndInit
   (not linked, prev_instr before the first instruction), as the eval
   loop's start_frame, RESUME and RETURN_VALUE / exit_unwind would. */
static PyObject *
run_compiled_frame(PyThreadState *tstate, _PyInterpreterFrame *frame,
                   _PyJitCompiled *compiled)
{
    PyCodeObject *co = frame->f_code;
    _Py_CODEUNIT *first = _PyCode_CODE(co);
    /* The eval loop instead, whose RESUME hook runs the compiled code if
       it may:
       - after cinderjit.disable(), under a tracer or profiler, or with a
         PEP 523 frame evaluator;
       - when the code has instructions before RESUME (COPY_FREE_VARS,
         MAKE_CELL: closures and functions with cells), which the
         interpreter must run first;
       - for other globals or builtins than the code was compiled for. */
    if (!_PyJit_Enabled || tstate->cframe->use_tracing
        || tstate->interp->eval_frame != NULL
        || compiled->builtins != frame->f_builtins
        || compiled->globals != frame->f_globals) {
        return _PyEval_EvalFrame(tstate, frame, 0);
    }
    if (compiled->slow_hits - compiled->slow_window[1] >= RETIRE_MIN_SLOW_HITS) {
        jit_code_state *st = get_state(co);
        if (st != NULL && st->compiled == compiled
            && retire_if_missing(st, frame->f_globals)) {
            return _PyEval_EvalFrame(tstate, frame, 0);
        }
    }
    int resume = 0;
    if (_PyOpcode_Deopt[_Py_OPCODE(first[0])] != RESUME) {
        resume = run_prelude(frame);
        if (resume == -1) {
            return _PyEval_EvalFrame(tstate, frame, 0);
        }
        if (resume < 0) {
            return NULL;
        }
    }
    /* The frame is entered as if RESUME just ran. */
    frame->prev_instr = first + resume;
    _PyFrame_SetStackPointer(frame, _PyFrame_Stackbase(frame));
    return run_entered(tstate, frame, compiled, 1);
}

/* The rest of run_compiled_frame once the frame is ready to be entered
   (prev_instr at RESUME). */
static inline PyObject *
run_entered(PyThreadState *tstate, _PyInterpreterFrame *frame,
            _PyJitCompiled *compiled, int check_pending)
{
    /* Link it and count the recursion like start_frame. */
    _PyCFrame *cframe = tstate->cframe;
    frame->previous = cframe->current_frame;
    cframe->current_frame = frame;
    if (_Py_EnterRecursiveCallTstate(tstate, "")) {
        /* RecursionError; as start_frame + exit_unwind: no traceback
           entry for this frame, recursion count unchanged. */
        tstate->recursion_remaining--;
        _Py_LeaveRecursiveCallTstate(tstate);
        cframe->current_frame = frame->previous;
        return NULL;
    }
    PyObject *res;
    if (check_pending && eval_breaker_set(tstate)
        && _PyEmber_HandlePending(tstate) != 0) {
        res = NULL;             /* raised at RESUME, as the eval loop would */
    }
    else {
        compiled->runs++;
        res = compiled->entry(tstate, frame);
    }
    /* Unlink it (the eval loop links it again if it is to go on). */
    assert(tstate->cframe == cframe);
    assert(cframe->current_frame == frame);
    _Py_LeaveRecursiveCallTstate(tstate);
    cframe->current_frame = frame->previous;
    if (res != NULL) {
        if (!_PyJit_YIELDED(frame)) {
            /* Returned: the value stack is empty. */
            _PyFrame_SetStackPointer(frame, _PyFrame_Stackbase(frame));
        }
        return res;
    }
    if (_PyErr_Occurred(tstate)) {
        /* Raised at frame->prev_instr: the eval loop's error path adds the
           traceback entry and runs the handlers of the exception table. */
        return _PyEval_EvalFrame(tstate, frame, 1);
    }
    /* Deoptimized: go on interpreting at prev_instr + 1. */
    note_deopt(tstate, frame, compiled);
    return _PyEval_EvalFrame(tstate, frame, 0);
}

PyObject *
_PyJit_CallCompiled(PyThreadState *tstate, PyFunctionObject *func,
                    _PyJitCompiled *compiled, PyObject *const *args,
                    size_t nargsf, PyObject *kwnames)
{
    /* As _PyEval_Vector: the push consumes references to func and args. */
    size_t argcount = PyVectorcall_NARGS(nargsf);
    Py_INCREF(func);
    for (size_t i = 0; i < argcount; i++) {
        Py_INCREF(args[i]);
    }
    if (kwnames) {
        Py_ssize_t kwcount = PyTuple_GET_SIZE(kwnames);
        for (Py_ssize_t i = 0; i < kwcount; i++) {
            Py_INCREF(args[i + argcount]);
        }
    }
    _PyInterpreterFrame *frame = _PyEmber_FramePushAndInit(
        tstate, func, NULL, args, argcount, kwnames);
    if (frame == NULL) {
        return NULL;
    }
    PyObject *res = run_compiled_frame(tstate, frame, compiled);
    assert(_PyFrame_GetStackPointer(frame) == _PyFrame_Stackbase(frame)
           || _PyFrame_GetStackPointer(frame) == frame->localsplus);
    clear_and_pop(tstate, frame);
    return res;
}

/* _PyJit_CallCompiled for a caller that hands over its references to func
   and to every argument (compiled code's call slots, as the interpreter's
   CALL does): no reference counting of the arguments on the way. */
PyObject *
_PyJit_CallCompiledStealing(PyThreadState *tstate, PyFunctionObject *func,
                            _PyJitCompiled *compiled, PyObject *const *args,
                            size_t nargsf, PyObject *kwnames)
{
    _PyInterpreterFrame *frame = _PyEmber_FramePushAndInit(
        tstate, func, NULL, args, PyVectorcall_NARGS(nargsf), kwnames);
    if (frame == NULL) {
        return NULL;
    }
    PyObject *res = run_compiled_frame(tstate, frame, compiled);
    clear_and_pop(tstate, frame);
    return res;
}

/* A new frame for func with the npos arguments (stolen) as its first
   locals and the other locals NULL, as _PyEvalFramePushAndInit leaves it
   for an exact positional call; NULL (no exception) when the thread's
   frame stack has no room, which the general path then reports. */
static inline _PyInterpreterFrame *
push_frame(PyThreadState *tstate, PyFunctionObject *func, PyObject **args,
           Py_ssize_t npos)
{
    PyCodeObject *co = (PyCodeObject *)func->func_code;
    size_t size = co->co_nlocalsplus + co->co_stacksize + FRAME_SPECIALS_SIZE;
    _PyInterpreterFrame *frame = _PyThreadState_BumpFramePointer(tstate, size);
    if (frame == NULL) {
        return NULL;
    }
    _PyFrame_InitializeSpecials(frame, func, NULL, co->co_nlocalsplus);
    PyObject **locals = frame->localsplus;
    for (Py_ssize_t i = 0; i < npos; i++) {
        locals[i] = args[i];
    }
    for (int i = (int)npos; i < co->co_nlocalsplus; i++) {
        locals[i] = NULL;
    }
    return frame;
}

/* The end of a direct call: the frame cleared and popped as the eval
   loop's _PyEvalFrameClearAndPop does, inline for the common case (no
   frame object or locals dict was made for it, not the first frame of a
   stack chunk); anything else through the eval loop's own. */
static inline void
clear_and_pop(PyThreadState *tstate, _PyInterpreterFrame *frame)
{
    PyObject **base = (PyObject **)frame;
    if (frame->frame_obj != NULL || frame->f_locals != NULL
        || base == &tstate->datastack_chunk->data[0]) {
        _PyEmber_FrameClearAndPop(tstate, frame);
        return;
    }
    /* Deallocations run from here may go one level deeper. */
    tstate->recursion_remaining--;
    for (int i = 0; i < frame->stacktop; i++) {
        Py_XDECREF(frame->localsplus[i]);
    }
    Py_DECREF(frame->f_func);
    Py_DECREF(frame->f_code);
    tstate->recursion_remaining++;
    tstate->datastack_top = base;
}

/* Like _PyJit_CallCompiled for the common case that compiled code calls:
   exactly co_argcount positional arguments, no defaults to fill in, no
   keywords, *args or **kwargs (cells and free variables are set up by
   run_compiled_frame).  The frame is set up directly
   (no general argument binding); the references to func and to the
   arguments are stolen, as the interpreter's stack would hand them over.
   Returns NULL with *handled = 0 (and nothing stolen) when the call is not
   of that shape; the caller then takes the general path. */
PyObject *
_PyJit_CallCompiledExact(PyThreadState *tstate, PyFunctionObject *func,
                         _PyJitCompiled *compiled, PyObject **args,
                         Py_ssize_t nargs, int *handled)
{
    PyCodeObject *co = (PyCodeObject *)func->func_code;
    *handled = 0;
    if (co->co_argcount != nargs || co->co_kwonlyargcount != 0
        || (co->co_flags & (CO_VARARGS | CO_VARKEYWORDS))) {
        return NULL;
    }
    _PyInterpreterFrame *frame = push_frame(tstate, func, args, nargs);
    if (frame == NULL) {
        return NULL;    /* the general path reports the MemoryError */
    }
    *handled = 1;
    PyObject *res = run_compiled_frame(tstate, frame, compiled);
    clear_and_pop(tstate, frame);
    return res;
}

/* A call site's fast path (Jit/call_site.c): its cache vouches that
   func's code is compiled as compiled, for func's globals and builtins,
   takes exactly nargs positional arguments and has no prelude.  Steals
   func and args as _PyJit_CallCompiledExact does. */
PyObject *
_PyJit_CallCachedExact(PyThreadState *tstate, PyFunctionObject *func,
                       _PyJitCompiled *compiled, PyObject **args,
                       Py_ssize_t nargs)
{
    _PyInterpreterFrame *frame;
    if (!_PyJit_Enabled || tstate->cframe->use_tracing
        || tstate->interp->eval_frame != NULL
        || (frame = push_frame(tstate, func, args, nargs)) == NULL) {
        /* The general path: it runs the eval loop instead, or reports the
           MemoryError. */
        return _PyJit_CallCompiledStealing(
            tstate, func, compiled, args,
            nargs | PY_VECTORCALL_ARGUMENTS_OFFSET, NULL);
    }
    frame->prev_instr = _PyCode_CODE(frame->f_code);
    _PyFrame_SetStackPointer(frame, _PyFrame_Stackbase(frame));
    PyObject *res = run_entered(tstate, frame, compiled, 1);
    clear_and_pop(tstate, frame);
    return res;
}

/* The end of a direct call (Jit/hir_builder.c, direct_call) whose
   compiled code returned NULL: the frame, already unlinked, raised at its
   prev_instr or deoptimized, and the eval loop finishes it, as in
   run_entered; then the frame is cleared and popped. */
PyObject *
_PyJit_FinishDirect(PyThreadState *tstate, _PyInterpreterFrame *frame)
{
    int raised = _PyErr_Occurred(tstate) != NULL;
    if (!raised) {
        jit_code_state *st = get_state(frame->f_code);
        if (st != NULL && st->compiled != NULL) {
            note_deopt(tstate, frame, st->compiled);
        }
    }
    PyObject *res = _PyEval_EvalFrame(tstate, frame, raised);
    clear_and_pop(tstate, frame);
    return res;
}

PyObject *
_PyJit_CallCachedBound(PyThreadState *tstate, PyFunctionObject *func,
                       _PyJitCompiled *compiled, PyObject **args,
                       Py_ssize_t total, const uint8_t *kwmap,
                       Py_ssize_t nkw, int *handled)
{
    PyCodeObject *co = (PyCodeObject *)func->func_code;
    int argcount = co->co_argcount;
    int nparams = argcount + co->co_kwonlyargcount;
    Py_ssize_t npos = total - nkw;
    *handled = 0;
    if (!_PyJit_Enabled || tstate->cframe->use_tracing
        || tstate->interp->eval_frame != NULL) {
        return NULL;
    }
    /* Which parameters the call gives; the keyword-only defaults of the
       others, looked up before anything is done. */
    uint32_t given = npos ? (uint32_t)((1ull << npos) - 1) : 0;
    for (Py_ssize_t j = 0; j < nkw; j++) {
        given |= 1u << kwmap[j];
    }
    PyObject *kwdefaults[32];
    for (int i = argcount; i < nparams; i++) {
        if (given & (1u << i)) {
            continue;
        }
        PyObject *v = NULL;
        if (func->func_kwdefaults != NULL) {
            v = PyDict_GetItemWithError(
                func->func_kwdefaults,
                PyTuple_GET_ITEM(co->co_localsplusnames, i));
        }
        if (v == NULL) {
            PyErr_Clear();      /* the general path raises */
            return NULL;
        }
        kwdefaults[i - argcount] = v;
    }
    _PyInterpreterFrame *frame = push_frame(tstate, func, args, npos);
    if (frame == NULL) {
        return NULL;    /* the general path reports the MemoryError */
    }
    *handled = 1;
    PyObject **locals = frame->localsplus;
    for (Py_ssize_t j = 0; j < nkw; j++) {
        locals[kwmap[j]] = args[npos + j];
    }
    PyObject *defaults = func->func_defaults;
    Py_ssize_t ndefaults = defaults ? PyTuple_GET_SIZE(defaults) : 0;
    for (int i = (int)npos; i < argcount; i++) {
        if (locals[i] == NULL) {
            locals[i] = Py_NewRef(
                PyTuple_GET_ITEM(defaults, i - (argcount - ndefaults)));
        }
    }
    for (int i = argcount; i < nparams; i++) {
        if (locals[i] == NULL) {
            locals[i] = Py_NewRef(kwdefaults[i - argcount]);
        }
    }
    frame->prev_instr = _PyCode_CODE(co);
    _PyFrame_SetStackPointer(frame, _PyFrame_Stackbase(frame));
    PyObject *res = run_entered(tstate, frame, compiled, 1);
    clear_and_pop(tstate, frame);
    return res;
}

/* _PyEval_Vector's frame (patch 0009): a call of a Python function from C.
   Compiled code for it runs directly; otherwise the eval loop, whose
   RESUME hook counts the call and may compile. */
PyObject *
_PyJit_EvalPushedFrame(PyThreadState *tstate, _PyInterpreterFrame *frame)
{
    if (!tstate->cframe->use_tracing && in_main_interpreter(tstate)
        && !(frame->f_code->co_flags & CO_GENERATOR)) {
        jit_code_state *st = get_state(frame->f_code);
        if (st != NULL && st->status == JIT_COMPILED) {
            return run_compiled_frame(tstate, frame, st->compiled);
        }
    }
    return _PyEval_EvalFrame(tstate, frame, 0);
}

/* gen_send_ex2's run of a generator's frame (patch 0009), the sent value
   pushed: its compiled code directly when it has some, doing what the
   eval loop's entry, the POP_TOP of a new generator and RESUME would;
   otherwise (and to go on after a deoptimization or an exception) the
   eval loop. */
PyObject *
_PyJit_ResumeGenerator(PyThreadState *tstate, _PyInterpreterFrame *frame)
{
    jit_code_state *st;
    _PyJitCompiled *compiled;
    if (tstate->cframe->use_tracing || tstate->interp->eval_frame != NULL
        || !in_main_interpreter(tstate)
        || (st = get_state(frame->f_code)) == NULL
        || st->status != JIT_COMPILED
        || (compiled = st->compiled)->globals != frame->f_globals
        || compiled->builtins != frame->f_builtins) {
        return _PyEval_EvalFrame(tstate, frame, 0);
    }
    _Py_CODEUNIT *next = frame->prev_instr + 1;
    int op = _PyOpcode_Deopt[_Py_OPCODE(*next)];
    if (op == POP_TOP && _PyOpcode_Deopt[_Py_OPCODE(next[1])] == RESUME) {
        /* A new generator (after RETURN_GENERATOR): the sent None goes. */
        Py_DECREF(_PyFrame_StackPop(frame));
        next++;
    }
    else if (op != RESUME) {
        return _PyEval_EvalFrame(tstate, frame, 0);
    }
    /* As if RESUME just ran (it checks the eval breaker unless after a
       yield from). */
    frame->prev_instr = next;
    return run_entered(tstate, frame, compiled, _Py_OPARG(*next) < 2);
}

/* ---- For the _ember module (cinderjit). */

int
_PyJit_ForceCompile(PyFunctionObject *func)
{
    PyThreadState *tstate = _PyThreadState_GET();
    if (!_PyJit_Enabled || !in_main_interpreter(tstate)) {
        return 0;
    }
    PyCodeObject *co = (PyCodeObject *)func->func_code;
    jit_code_state *st = get_state(co);
    if (st == NULL) {
        st = new_state(co);
        if (st == NULL) {
            PyErr_NoMemory();
            return -1;
        }
    }
    switch (st->status) {
    case JIT_COMPILED:
        return st->compiled->globals == func->func_globals;
    case JIT_REFUSED:
        return 0;
    default:
        /* Counting, unlisted, or failed with an exception: try now. */
        if (st->compiling) {
            return 0;
        }
        st->status = JIT_COUNTING;
        return compile_code(st, func->func_globals, func->func_builtins, 1);
    }
}

int
_PyJit_IsCompiled(PyFunctionObject *func)
{
    if (!in_main_interpreter(_PyThreadState_GET())) {
        return 0;
    }
    jit_code_state *st = get_state((PyCodeObject *)func->func_code);
    return st != NULL && st->status == JIT_COMPILED
           && st->compiled->globals == func->func_globals;
}

void
_PyJit_Disable(void)
{
    _PyJit_Enabled = 0;
}

PyObject *
_PyJit_GetCompiledCode(void)
{
    PyObject *list = PyList_New(0);
    if (list == NULL) {
        return NULL;
    }
    for (jit_code_state *st = compiled_list; st != NULL; st = st->next) {
        if (st->compiled != NULL
            && PyList_Append(list, (PyObject *)st->code) < 0) {
            Py_DECREF(list);
            return NULL;
        }
    }
    return list;
}

PyObject *
_PyJit_GetCompileFailures(void)
{
    return failures ? PyDict_Copy(failures) : PyDict_New();
}

static const char *const deopt_names[] = {
#define _PyJit_DEOPT_NAME(name, text) text,
    _PyJit_DEOPT_KINDS(_PyJit_DEOPT_NAME)
#undef _PyJit_DEOPT_NAME
};

PyObject *
_PyJit_GetStats(void)
{
    PyObject *deopts = PyDict_New();
    if (deopts == NULL) {
        return NULL;
    }
    for (int i = 0; i < _PyJitDeopt_COUNT; i++) {
        PyObject *n = PyLong_FromSsize_t(_PyJit_DeoptCount[i]);
        if (n == NULL || PyDict_SetItemString(deopts, deopt_names[i], n)) {
            Py_XDECREF(n);
            Py_DECREF(deopts);
            return NULL;
        }
        Py_DECREF(n);
    }
    PyObject *funcs = function_stats ? PyDict_Copy(function_stats)
                                     : PyDict_New();
    if (funcs == NULL) {
        Py_DECREF(deopts);
        return NULL;
    }
    PyObject *reasons = recompile_reasons ? PyDict_Copy(recompile_reasons)
                                          : PyDict_New();
    if (reasons == NULL) {
        Py_DECREF(deopts);
        Py_DECREF(funcs);
        return NULL;
    }
    return Py_BuildValue(
        "{sn sn sn sd sn sN sN sn sn sN}",
        "compiled_functions", n_compiled,
        "compile_failures", n_failures,
        "compiled_code_runs", total_runs(),
        "total_compile_time", total_compile_seconds,
        "total_code_size", (Py_ssize_t)total_code_size,
        "functions", funcs,
        "deopts", deopts,
        "threshold", _PyJit_Threshold,
        "recompilations", n_recompiles,
        "recompile_reasons", reasons);
}

void
_PyJit_DumpStats(void)
{
    /* At exit, after finalization: C data only. */
    fprintf(stderr, "jit-stats: compiled functions: %zd\n", n_compiled);
    fprintf(stderr, "jit-stats: compile failures: %zd\n", n_failures);
    fprintf(stderr, "jit-stats: total compile time: %.6f s\n",
            total_compile_seconds);
    fprintf(stderr, "jit-stats: total code size: %zu bytes\n",
            total_code_size);
    fprintf(stderr, "jit-stats: compiled code runs: %zd\n", total_runs());
    fprintf(stderr, "jit-stats: recompilations: %zd\n", n_recompiles);
    for (int i = 0; i < _PyJitDeopt_COUNT; i++) {
        fprintf(stderr, "jit-stats: deopts %s: %zd\n", deopt_names[i],
                _PyJit_DeoptCount[i]);
    }
    fflush(stderr);
}
