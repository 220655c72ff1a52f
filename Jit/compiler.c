/* The JIT compiler's driver (ember_jit.h: _PyJit_Compile): build HIR from
 * a code object, run the passes (verifying the HIR after each under
 * -X jit-verify-hir), lower to LIR, allocate registers, emit
 * machine code, and print the stages that -X jit-dump-* ask for (with
 * -X jit-dump-times, the seconds each took).  A function larger than
 * -X jit-max-size (code units of bytecode, then HIR instructions) is
 * refused: every stage is near-linear, but a huge function would still
 * stall its first call (docs/jit.md, "Compile time").
 *
 * Data: owns the _PyJitCompiled records it hands out (freed by
 * _PyJit_FreeCompiled): the machine code, the addresses of the globals
 * and builtins it was compiled for (no references: see below), and HIR's
 * refs list (the site caches' memory).
 *
 * Compiled code belongs to its code object through co_extra, which the
 * garbage collector does not see: a strong reference from it to a
 * function's globals would make namespace -> function -> code -> compiled
 * code -> namespace a cycle nothing collects (an exec'd namespace would
 * live forever).  So it holds none.  The globals and builtins are only
 * compared with a frame's (a frame keeps its function, which keeps them,
 * alive while it runs); a new dict at a dead one's address passes that
 * test, and then meets the same keys-version guards as any changed dict.
 */
#include "Python.h"
#include "pycore_code.h"
#include "internal/ember_jit.h"
#include "internal/ember_jit_runtime.h"   // _PyJit_MaxSize
#include "hir.h"
#include "lir.h"

#include <time.h>

static double
now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int
dump_wanted(PyCodeObject *co, int option)
{
    if (!option) {
        return 0;
    }
    if (_PyJit_Options.dump_filter == NULL) {
        return 1;
    }
    const char *q = PyUnicode_AsUTF8(co->co_qualname);
    if (q == NULL) {
        PyErr_Clear();
        return 0;
    }
    return strcmp(q, _PyJit_Options.dump_filter) == 0;
}

static void
dump(PyCodeObject *co, const char *stage, const char *text)
{
    fprintf(stderr, "-- JIT %s of %s (%s:%d)\n%s", stage,
            PyUnicode_AsUTF8(co->co_qualname),
            PyUnicode_AsUTF8(co->co_filename), co->co_firstlineno,
            text ? text : "(out of memory)\n");
    fflush(stderr);
}

static int
refuse(char *reason, size_t size, const char *fmt, const char *detail)
{
    snprintf(reason, size, fmt, detail);
    return -1;
}

/* -X jit-dump-times: the seconds of each stage and the sizes, one line. */
static void
dump_times(PyCodeObject *co, const double *t, const JitHir *hir,
           const JitLir *lir, const char *outcome)
{
    int hir_instrs = 0;
    for (int b = 0; hir != NULL && b < hir->nblocks; b++) {
        hir_instrs += hir->blocks[b].ninstrs;
    }
    char text[400];
    snprintf(text, sizeof(text),
             "build %.6f passes %.6f lower %.6f regalloc %.6f emit %.6f "
             "total %.6f s; %zd code units, %d HIR blocks, %d HIR "
             "instructions, %d LIR instructions; work: passes %lld, "
             "regalloc %lld; %s\n",
             t[1] - t[0], t[2] - t[1], t[3] - t[2], t[4] - t[3], t[5] - t[4],
             t[5] - t[0], (Py_ssize_t)Py_SIZE(co), hir ? hir->nblocks : 0,
             hir_instrs, lir ? JitLir_InstrCount(lir) : 0,
             hir ? hir->work : 0, lir ? JitLir_Work(lir) : 0LL, outcome);
    dump(co, "times", text);
}

/* Seconds spent in compilations, each counted without the compilations
 * it started (a caller's build compiles its callees: runtime.c's
 * _PyJit_CompileCallee), so that no time is counted twice. */
static double exclusive_seconds = 0.0;

int
_PyJit_Compile(PyCodeObject *co, PyObject *globals, PyObject *builtins,
               _PyJitCompiled **out, char *reason, size_t reason_size)
{
    double start = now();
    double nested_before = exclusive_seconds;
    *out = NULL;
    if (co->co_flags & (CO_COROUTINE | CO_ASYNC_GENERATOR
                        | CO_ITERABLE_COROUTINE)) {
        return refuse(reason, reason_size,
                      "%s: coroutines and async generators are not compiled",
                      co->co_flags & CO_ASYNC_GENERATOR ? "async generator"
                                                        : "coroutine");
    }
    /* The size cap (docs/jit.md, "Compile time"): bytecode first, before
     * any work, then the HIR once built. */
    Py_ssize_t max_size = _PyJit_MaxSize;
    if (max_size > 0 && Py_SIZE(co) > max_size) {
        snprintf(reason, reason_size, "too large to compile quickly: %zd "
                 "code units of bytecode (the limit is %zd, "
                 "-X jit-max-size)", (Py_ssize_t)Py_SIZE(co), max_size);
        return -1;
    }
    /* The record first: the code counts into it (runs, slow_hits). */
    _PyJitCompiled *c = PyMem_RawCalloc(1, sizeof(_PyJitCompiled));
    JitHir *hir = c ? JitHir_New(co, globals, builtins) : NULL;
    if (hir == NULL) {
        PyMem_RawFree(c);
        PyErr_NoMemory();
        return -2;
    }
    hir->self_runs = &c->runs;
    hir->slow_hits = &c->slow_hits;
    JitLir *lir = NULL;
    char err[200] = "";
    int rc = -1;
    /* Stage boundaries for -X jit-dump-times: start, after the build, the
     * passes, lowering, allocation and emission (the build's time includes
     * the compilations of callees it starts). */
    double stage_at[6] = {start, start, start, start, start, start};
    int stage = 0;
#define STAGE_DONE() (stage_at[++stage] = now())
    if (JitHir_Build(hir) < 0) {
        refuse(reason, reason_size, "HIR builder: %s", hir->error);
        goto done;
    }
    STAGE_DONE();
    if (max_size > 0) {
        Py_ssize_t ninstrs = 0;
        for (int b = 0; b < hir->nblocks; b++) {
            ninstrs += hir->blocks[b].ninstrs;
        }
        if (ninstrs > max_size) {
            snprintf(reason, reason_size, "too large to compile quickly: %zd "
                     "HIR instructions (the limit is %zd, -X jit-max-size)",
                     ninstrs, max_size);
            goto done;
        }
    }
    if (_PyJit_Options.verify_hir) {
        if (JitPass_RunVerified(hir, err, sizeof(err)) < 0) {
            char *t = JitHir_Text(hir);
            dump(co, "HIR that failed verification", t);
            PyMem_RawFree(t);
            fprintf(stderr, "JIT HIR verifier: %s: %s\n",
                    PyUnicode_AsUTF8(co->co_qualname), err);
            Py_FatalError("the JIT built invalid HIR (-X jit-verify-hir)");
        }
    }
    else {
        JitPass_RunAll(hir);
    }
    if (dump_wanted(co, _PyJit_Options.dump_hir)) {
        char *t = JitHir_Text(hir);
        dump(co, "HIR", t);
        PyMem_RawFree(t);
    }
    STAGE_DONE();
    lir = JitHir_Lower(hir);
    if (lir == NULL) {
        refuse(reason, reason_size, "lowering: %s", hir->error);
        goto done;
    }
    STAGE_DONE();
    if (JitLir_Allocate(lir, err, sizeof(err)) < 0) {
        refuse(reason, reason_size, "register allocation: %s", err);
        goto done;
    }
    STAGE_DONE();
    if (dump_wanted(co, _PyJit_Options.dump_lir)) {
        char *t = JitLir_Text(lir);
        dump(co, "LIR", t);
        free(t);
    }
    void *code = NULL, *entry = NULL;
    size_t size = 0;
    char *asm_text = NULL;
    int want_asm = dump_wanted(co, _PyJit_Options.dump_asm);
    if (JitLir_Emit(lir, &code, &entry, &size, want_asm ? &asm_text : NULL,
                    err, sizeof(err)) < 0) {
        refuse(reason, reason_size, "emission: %s", err);
        goto done;
    }
    STAGE_DONE();
#undef STAGE_DONE
    if (want_asm) {
        dump(co, "assembly", asm_text);
        free(asm_text);
    }
    c->entry = (_PyJitEntryFunc)entry;
    for (int b = 0; b < hir->nblocks; b++) {
        for (int i = 0; i < hir->blocks[b].ninstrs; i++) {
            JitHirInstr *in = hir->blocks[b].instrs[i];
            c->direct_calls += !in->dead && in->op == JitHir_CallRaw;
        }
    }
    if (hir->self_entry_cell != NULL) {
        *hir->self_entry_cell = entry;
    }
    c->code = code;
    c->code_size = size;
    c->globals = globals;       /* borrowed: identity only (above) */
    c->builtins = builtins;
    c->refs = Py_NewRef(hir->refs);
    *out = c;
    c = NULL;
    rc = 0;
done:;
    PyMem_RawFree(c);       /* not handed out */
    double end = now();
    if (dump_wanted(co, _PyJit_Options.dump_times)) {
        for (int k = stage + 1; k < 6; k++) {
            stage_at[k] = end;  /* the stage that failed ends now; those
                                   after it take no time */
        }
        dump_times(co, stage_at, hir, lir,
                   rc == 0 ? "compiled" : reason[0] ? reason : "failed");
    }
    double own = end - start - (exclusive_seconds - nested_before);
    exclusive_seconds += own;
    if (*out != NULL) {
        (*out)->compile_seconds = own;
    }
    if (lir != NULL) {
        JitLir_Free(lir);
    }
    JitHir_Free(hir);
    return rc;
}

void
_PyJit_FreeCompiled(_PyJitCompiled *c)
{
    if (c == NULL) {
        return;
    }
    JitLir_FreeCode(c->code);
    Py_XDECREF(c->refs);
    PyMem_RawFree(c);
}

PyObject *
_PyJit_HirText(PyCodeObject *co, PyObject *globals, PyObject *builtins,
               int passes)
{
    JitHir *hir = JitHir_New(co, globals, builtins);
    if (hir == NULL) {
        return PyErr_NoMemory();
    }
    PyObject *res = NULL;
    if (JitHir_Build(hir) < 0) {
        PyErr_Format(PyExc_ValueError, "cannot build HIR: %s", hir->error);
        goto done;
    }
    /* For the tests: the verifier checks the builder's output and the
     * result of every pass. */
    char err[200];
    if (JitHir_Verify(hir, err, sizeof(err)) < 0) {
        PyErr_Format(PyExc_ValueError, "invalid HIR after the builder: %s",
                     err);
        goto done;
    }
    if (passes && JitPass_RunVerified(hir, err, sizeof(err)) < 0) {
        PyErr_Format(PyExc_ValueError, "invalid HIR %s", err);
        goto done;
    }
    char *t = JitHir_Text(hir);
    if (t == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    res = PyUnicode_FromString(t);
    PyMem_RawFree(t);
done:
    JitHir_Free(hir);
    return res;
}
