/* A self-test of the JIT's machine-code foundation, run from Python as
 * _ember._jit_asm_selftest() (Lib/test/test_ember_jit_asm.py).
 *
 * Data: none that outlives a call.  Each test function is assembled through
 * the C API of Jit/asm.h into its own block of W^X code memory
 * (Jit/code_memory.h), called, and freed; the results, the bytes of one
 * function and the permissions the kernel reports for the mapping while it
 * is written and once it is sealed (/proc/self/maps) go back to Python in a
 * dict.  A failure of the assembler raises RuntimeError with its message.
 */
#include "Python.h"
#include "internal/ember_jit.h"

#include <stdio.h>
#include <string.h>

#include "asm.h"
#include "code_memory.h"

typedef int64_t (*binary_fn)(int64_t, int64_t);
typedef int64_t (*load_fn)(const int64_t *, int64_t);
typedef double (*double_fn)(double, double);

/* One assembled test function in sealed code memory. */
typedef struct {
    _PyJitCode code;
    size_t size;                /* bytes of code at code.start */
    char perms_writing[5];      /* of the mapping before sealing: "rw-p" */
    char perms_running[5];      /* after sealing: "r-xp" */
} TestFunction;

typedef int (*build_fn)(_PyJitAsm *as, const char *arg);

/* --- emitting by name (a test may look names up each time) ------------- */

static int
emit(_PyJitAsm *as, const char *name, const _PyJitOperand *ops, int nops)
{
    _PyJitInstId id;
    if (_PyJitAsm_Lookup(as, name, &id) < 0) {
        return -1;
    }
    return _PyJitAsm_Emit(as, id, ops, nops);
}

static int
emit0(_PyJitAsm *as, const char *name)
{
    return emit(as, name, NULL, 0);
}

static int
emit1(_PyJitAsm *as, const char *name, _PyJitOperand a)
{
    return emit(as, name, &a, 1);
}

static int
emit2(_PyJitAsm *as, const char *name, _PyJitOperand a, _PyJitOperand b)
{
    _PyJitOperand ops[2] = {a, b};
    return emit(as, name, ops, 2);
}

static _PyJitOperand
gp64(int id)
{
    return _PyJitOp_Gp(id, 8);
}

/* --- the test functions (System V ABI: rdi, rsi; xmm0, xmm1 -> xmm0) --- */

/* int64 f(int64 a, int64 b) { return a <binop> b; } */
static int
build_binop(_PyJitAsm *as, const char *binop)
{
    if (emit2(as, "mov", gp64(_PyJit_RAX), gp64(_PyJit_RDI)) < 0 ||
        emit2(as, binop, gp64(_PyJit_RAX), gp64(_PyJit_RSI)) < 0) {
        return -1;
    }
    return emit0(as, "ret");
}

/* int64 f(int64 a, int64 b) { return a >= b ? a : b; }, with a forward
 * conditional jump to a label. */
static int
build_max(_PyJitAsm *as, const char *unused)
{
    _PyJitLabel done;
    if (_PyJitAsm_NewLabel(as, &done) < 0 ||
        emit2(as, "mov", gp64(_PyJit_RAX), gp64(_PyJit_RDI)) < 0 ||
        emit2(as, "cmp", gp64(_PyJit_RDI), gp64(_PyJit_RSI)) < 0 ||
        emit1(as, "jge", _PyJitOp_Label(done)) < 0 ||
        emit2(as, "mov", gp64(_PyJit_RAX), gp64(_PyJit_RSI)) < 0 ||
        _PyJitAsm_Bind(as, done) < 0) {
        return -1;
    }
    return emit0(as, "ret");
}

/* int64 f(const int64 *p, int64 i) { return p[i + 1] + *(uint8_t *)p; } */
static int
build_load(_PyJitAsm *as, const char *unused)
{
    _PyJitOperand element = _PyJitOp_Mem(_PyJit_RDI, _PyJit_RSI, 8, 8, 8);
    _PyJitOperand first_byte = _PyJitOp_Mem(_PyJit_RDI, _PyJit_NOREG, 1,
                                            0, 1);
    if (emit2(as, "mov", gp64(_PyJit_RAX), element) < 0 ||
        emit2(as, "movzx", _PyJitOp_Gp(_PyJit_RCX, 4), first_byte) < 0 ||
        emit2(as, "add", gp64(_PyJit_RAX), gp64(_PyJit_RCX)) < 0) {
        return -1;
    }
    return emit0(as, "ret");
}

/* double f(double a, double b) { return a + b; } */
static int
build_addsd(_PyJitAsm *as, const char *unused)
{
    if (emit2(as, "addsd", _PyJitOp_Xmm(0), _PyJitOp_Xmm(1)) < 0) {
        return -1;
    }
    return emit0(as, "ret");
}

/* --- assembling into code memory ----------------------------------------- */

/* The permissions field of the line of /proc/self/maps that holds addr. */
static int
mapping_perms(const void *addr, char perms[5])
{
    FILE *maps = fopen("/proc/self/maps", "r");
    if (maps == NULL) {
        return -1;
    }
    unsigned long start, end, where = (unsigned long)(uintptr_t)addr;
    char line[512];
    int found = -1;
    while (found < 0 && fgets(line, sizeof(line), maps) != NULL) {
        if (sscanf(line, "%lx-%lx %4s", &start, &end, perms) == 3 &&
            start <= where && where < end) {
            found = 0;
        }
    }
    fclose(maps);
    return found;
}

static int
raise_asm_error(_PyJitAsm *as)
{
    PyErr_SetString(PyExc_RuntimeError, _PyJitAsm_Error(as));
    return -1;
}

/* Copy the finished code of as into fresh code memory and seal it. */
static int
place(_PyJitAsm *as, TestFunction *fn)
{
    size_t bound;
    if (_PyJitAsm_Finish(as, &bound) < 0) {
        return raise_asm_error(as);
    }
    if (_PyJitCode_Alloc(&fn->code, bound) < 0) {
        PyErr_SetFromErrno(PyExc_OSError);
        return -1;
    }
    if (_PyJitAsm_Copy(as, fn->code.start, fn->code.size,
                       (uint64_t)(uintptr_t)fn->code.start, &fn->size) < 0) {
        return raise_asm_error(as);
    }
    if (mapping_perms(fn->code.start, fn->perms_writing) < 0 ||
        _PyJitCode_Seal(&fn->code) < 0 ||
        mapping_perms(fn->code.start, fn->perms_running) < 0) {
        PyErr_SetFromErrno(PyExc_OSError);
        return -1;
    }
    return 0;
}

/* Assemble build(as, arg) into fn; on failure fn is empty and an exception
 * is set. */
static int
assemble(build_fn build, const char *arg, TestFunction *fn)
{
    memset(fn, 0, sizeof(*fn));
    _PyJitAsm *as = _PyJitAsm_New();
    if (as == NULL) {
        PyErr_SetString(PyExc_RuntimeError,
                        "cannot create an x86-64 assembler");
        return -1;
    }
    int status = build(as, arg) < 0 ? raise_asm_error(as) : place(as, fn);
    _PyJitAsm_Free(as);
    if (status < 0) {
        _PyJitCode_Free(&fn->code);
    }
    return status;
}

static void *
entry(const TestFunction *fn)
{
    return fn->code.start;
}

/* --- running them -------------------------------------------------------- */

static PyObject *
run_binop(const char *binop, PyObject **code_bytes)
{
    TestFunction fn;
    if (assemble(build_binop, binop, &fn) < 0) {
        return NULL;
    }
    binary_fn f = (binary_fn)entry(&fn);
    PyObject *code = PyBytes_FromStringAndSize((char *)fn.code.start,
                                               (Py_ssize_t)fn.size);
    PyObject *result = code == NULL ? NULL :
        Py_BuildValue("(LL)", (long long)f(40, 2), (long long)f(-7, 5));
    _PyJitCode_Free(&fn.code);
    if (result == NULL) {
        Py_CLEAR(code);
    }
    *code_bytes = code;
    return result;
}

static PyObject *
run_max(void)
{
    TestFunction fn;
    if (assemble(build_max, NULL, &fn) < 0) {
        return NULL;
    }
    binary_fn f = (binary_fn)entry(&fn);
    PyObject *result = Py_BuildValue("(LLL)", (long long)f(3, 9),
                                     (long long)f(9, 3),
                                     (long long)f(-1, -7));
    _PyJitCode_Free(&fn.code);
    return result;
}

static PyObject *
run_load(void)
{
    static const int64_t array[4] = {10, 20, 30, 40};
    TestFunction fn;
    if (assemble(build_load, NULL, &fn) < 0) {
        return NULL;
    }
    load_fn f = (load_fn)entry(&fn);
    PyObject *result = Py_BuildValue("(LL)", (long long)f(array, 1),
                                     (long long)f(array, 2));
    _PyJitCode_Free(&fn.code);
    return result;
}

/* Returns the sum and, in perms, the mapping's permissions. */
static PyObject *
run_addsd(PyObject **perms)
{
    TestFunction fn;
    if (assemble(build_addsd, NULL, &fn) < 0) {
        return NULL;
    }
    double_fn f = (double_fn)entry(&fn);
    PyObject *pair = Py_BuildValue("(ss)", fn.perms_writing,
                                   fn.perms_running);
    PyObject *result = pair == NULL ? NULL : PyFloat_FromDouble(f(1.5, 2.25));
    _PyJitCode_Free(&fn.code);
    if (result == NULL) {
        Py_CLEAR(pair);
    }
    *perms = pair;
    return result;
}

static int
add_item(PyObject *dict, const char *key, PyObject *value)
{
    if (value == NULL) {
        return -1;
    }
    int status = PyDict_SetItemString(dict, key, value);
    Py_DECREF(value);
    return status;
}

PyObject *
_PyJit_AsmSelfTest(const char *binop)
{
    PyObject *code_bytes = NULL, *perms = NULL;
    PyObject *result = PyDict_New();
    if (result == NULL) {
        return NULL;
    }
    if (add_item(result, "binop", run_binop(binop, &code_bytes)) < 0 ||
        add_item(result, "binop_code", Py_NewRef(code_bytes)) < 0 ||
        add_item(result, "max", run_max()) < 0 ||
        add_item(result, "load", run_load()) < 0 ||
        add_item(result, "addsd", run_addsd(&perms)) < 0 ||
        add_item(result, "perms", Py_NewRef(perms)) < 0) {
        Py_CLEAR(result);
    }
    Py_XDECREF(code_bytes);
    Py_XDECREF(perms);
    return result;
}
