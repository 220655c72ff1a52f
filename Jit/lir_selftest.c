/* A self-test of the LIR back end (Jit/lir.h: parse, allocate, emit), run
 * from Python as _ember._jit_lir_selftest(text, args=())
 * (Lib/test/test_ember_jit_lir.py).
 *
 * Data: the test functions below and the two statics they record into
 * (recorded, record_calls), reset at the start of each self-test; nothing
 * else outlives a call: the LIR, the code and the listing are freed before
 * it returns.
 *
 * Before parsing, each @name in the text becomes the hex address of a C
 * function, so that LIR text can call them:
 *   @sum6     int64 (a, b, c, d, e, f) -> a + 10b + 100c + 1000d + 10^4 e
 *             + 10^5 f  (argument order is visible in the result)
 *   @record   int64 (x) -> x + 1, and remembers x and counts its calls
 *   @ident    int64 (x) -> x
 *   @clobber  a machine-code stub that writes garbage into every
 *             caller-saved register (rax rcx rdx rsi rdi r8-r11) and
 *             returns it: what a call may legally do
 *   @dealloc  _Py_Dealloc, for Decref and XDecref
 * Not thread-safe (the statics); a test helper only.
 */
#include "Python.h"

#include <stdio.h>
#include <string.h>

#include "asm.h"
#include "code_memory.h"
#include "lir.h"
#include "lir_selftest.h"

static int64_t recorded;
static int64_t record_calls;

static int64_t
test_sum6(int64_t a, int64_t b, int64_t c, int64_t d, int64_t e, int64_t f)
{
    return a + 10 * b + 100 * c + 1000 * d + 10000 * e + 100000 * f;
}

static int64_t
test_record(int64_t x)
{
    recorded = x;
    record_calls++;
    return x + 1;
}

static int64_t
test_ident(int64_t x)
{
    return x;
}

/* The @clobber stub: mov r, 0x5a5a5a5a5a5a5a5a for each caller-saved r;
 * ret. */
static int
build_clobber(_PyJitCode *code)
{
    static const int regs[] = {0, 1, 2, 6, 7, 8, 9, 10, 11};
    _PyJitAsm *as = _PyJitAsm_New();
    _PyJitInstId mov = _PyJitAsm_InstId("mov"), ret = _PyJitAsm_InstId("ret");
    size_t size, written;
    int rc = -1;
    code->start = NULL;
    if (as == NULL) {
        return -1;
    }
    for (size_t i = 0; i < sizeof(regs) / sizeof(regs[0]); i++) {
        _PyJitOperand ops[2] = {_PyJitOp_Gp(regs[i], 8),
                                _PyJitOp_Imm(0x5a5a5a5a5a5a5a5aLL)};
        if (_PyJitAsm_Emit(as, mov, ops, 2) < 0) {
            goto done;
        }
    }
    if (_PyJitAsm_Emit(as, ret, NULL, 0) < 0 ||
        _PyJitAsm_Finish(as, &size) < 0 ||
        _PyJitCode_Alloc(code, size) < 0) {
        goto done;
    }
    if (_PyJitAsm_Copy(as, code->start, code->size,
                       (uint64_t)(uintptr_t)code->start, &written) < 0 ||
        _PyJitCode_Seal(code) < 0) {
        _PyJitCode_Free(code);
        goto done;
    }
    rc = 0;
done:
    _PyJitAsm_Free(as);
    return rc;
}

/* text with every @name replaced by an address; a new str, or NULL with
 * ValueError for an unknown name. */
static char *
substitute(const char *text, const _PyJitCode *clobber)
{
    struct { const char *name; uint64_t addr; } names[] = {
        {"sum6", (uint64_t)(uintptr_t)test_sum6},
        {"record", (uint64_t)(uintptr_t)test_record},
        {"ident", (uint64_t)(uintptr_t)test_ident},
        {"clobber", (uint64_t)(uintptr_t)clobber->start},
        {"dealloc", (uint64_t)(uintptr_t)_Py_Dealloc},
    };
    size_t cap = strlen(text) * 2 + 64, len = 0;
    for (const char *p = text; *p; p++) {
        if (*p == '@') {
            cap += 24;
        }
    }
    char *out = PyMem_Malloc(cap);
    if (out == NULL) {
        PyErr_NoMemory();
        return NULL;
    }
    for (const char *p = text; *p;) {
        if (*p != '@') {
            out[len++] = *p++;
            continue;
        }
        p++;
        size_t n = 0;
        while (p[n] == '_' || (p[n] >= 'a' && p[n] <= 'z') ||
               (p[n] >= '0' && p[n] <= '9')) {
            n++;
        }
        size_t k;
        for (k = 0; k < sizeof(names) / sizeof(names[0]); k++) {
            if (strlen(names[k].name) == n &&
                strncmp(p, names[k].name, n) == 0) {
                break;
            }
        }
        if (k == sizeof(names) / sizeof(names[0])) {
            char name[32];
            snprintf(name, sizeof(name), "%.*s", (int)(n < 31 ? n : 31), p);
            PyErr_Format(PyExc_ValueError, "unknown test function @%s",
                         name);
            PyMem_Free(out);
            return NULL;
        }
        len += (size_t)sprintf(out + len, "0x%llx",
                               (unsigned long long)names[k].addr);
        p += n;
    }
    out[len] = '\0';
    return out;
}

typedef int64_t (*lir_fn)(int64_t, int64_t, int64_t, int64_t, int64_t,
                          int64_t);

PyObject *
_PyJit_LirSelfTest(PyObject *text, PyObject *args)
{
    char err[256] = "";
    int64_t argv[6] = {0, 0, 0, 0, 0, 0};
    if (!PyUnicode_Check(text)) {
        PyErr_SetString(PyExc_TypeError, "text must be a str");
        return NULL;
    }
    if (args != Py_None) {
        if (!PyTuple_Check(args) || PyTuple_GET_SIZE(args) > 6) {
            PyErr_SetString(PyExc_TypeError,
                            "args must be a tuple of at most 6 ints or None");
            return NULL;
        }
        for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(args); i++) {
            PyObject *item = PyTuple_GET_ITEM(args, i);
            if (!PyLong_Check(item)) {
                PyErr_SetString(PyExc_TypeError, "args must be ints");
                return NULL;
            }
            argv[i] = (int64_t)PyLong_AsUnsignedLongLongMask(item);
            if (PyErr_Occurred()) {
                return NULL;
            }
        }
    }
    const char *utf8 = PyUnicode_AsUTF8(text);
    if (utf8 == NULL) {
        return NULL;
    }
    _PyJitCode clobber = {NULL, 0, 0};
    if (strstr(utf8, "@clobber") && build_clobber(&clobber) < 0) {
        PyErr_SetString(PyExc_RuntimeError, "cannot build @clobber");
        return NULL;
    }
    PyObject *result = NULL, *dict = NULL;
    JitLir *lir = NULL;
    char *parsed_text = NULL, *lir_text = NULL, *asm_text = NULL;
    void *code = NULL, *entry = NULL;
    size_t size = 0;
    char *source = substitute(utf8, &clobber);
    if (source == NULL) {
        goto done;
    }
    lir = JitLir_Parse(source, err, sizeof(err));
    if (lir == NULL) {
        PyErr_SetString(PyExc_ValueError, err);
        goto done;
    }
    parsed_text = JitLir_Text(lir);
    if (JitLir_Allocate(lir, err, sizeof(err)) < 0) {
        PyErr_SetString(PyExc_ValueError, err);
        goto done;
    }
    lir_text = JitLir_Text(lir);
    if (parsed_text == NULL || lir_text == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    if (JitLir_Emit(lir, &code, &entry, &size, &asm_text, err,
                    sizeof(err)) < 0) {
        PyErr_SetString(PyExc_RuntimeError, err);
        goto done;
    }
    PyObject *value = Py_None;
    Py_INCREF(value);
    recorded = 0;
    record_calls = 0;
    if (args != Py_None) {
        int64_t r = ((lir_fn)entry)(argv[0], argv[1], argv[2], argv[3],
                                    argv[4], argv[5]);
        Py_DECREF(value);
        value = PyLong_FromLongLong(r);
        if (value == NULL) {
            goto done;
        }
    }
    dict = Py_BuildValue("{sNsssssssnsLsL}",
                         "result", value,
                         "text", parsed_text,
                         "lir", lir_text,
                         "asm", asm_text,
                         "code_size", (Py_ssize_t)size,
                         "recorded", (long long)recorded,
                         "record_calls", (long long)record_calls);
    result = dict;
done:
    PyMem_Free(source);
    JitLir_Free(lir);
    JitLir_FreeCode(code);
    free(parsed_text);
    free(lir_text);
    free(asm_text);
    _PyJitCode_Free(&clobber);
    return result;
}
