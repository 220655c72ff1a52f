/* The _ember module: Ember's run-time switches, for Python code, and
 * private self-tests of C code for Lib/test.
 *
 * Owns no data: it reads and sets the switches that other files own
 * (_PyEmber_EagerCoro in Python/ember_eager.c, the JIT's in Jit/runtime.c;
 * Lib/cinderjit.py wraps the _jit_* functions under Cinder's names).  Built in (patch
 * 0007-eager-coroutines lists it in Modules/config.c.in), so every
 * interpreter can import it; Lib/ember/__init__.py re-exports it.
 */
#include "Python.h"
#include "pycore_pystate.h"
#include "internal/ember_eager.h"
#include "internal/ember_jit.h"
#include "internal/ember_jit_runtime.h"

PyDoc_STRVAR(eager_coro_doc,
"eager_coro() -> bool\n\n"
"Whether awaited calls of coroutine functions run eagerly (-X eager-coro,\n"
"PYTHONEAGERCORO=1 or set_eager_coro(True)).");

static PyObject *
ember_eager_coro(PyObject *module, PyObject *Py_UNUSED(ignored))
{
    return PyBool_FromLong(_PyEmber_EagerCoro);
}

PyDoc_STRVAR(set_eager_coro_doc,
"set_eager_coro(enabled: bool) -> None\n\n"
"Switch eager evaluation of awaited coroutines on or off for the whole\n"
"process.  Calls already running eagerly finish as they started.");

static PyObject *
ember_set_eager_coro(PyObject *module, PyObject *arg)
{
    if (!PyBool_Check(arg)) {
        PyErr_Format(PyExc_TypeError,
                     "set_eager_coro() argument must be bool, not %.100s",
                     Py_TYPE(arg)->tp_name);
        return NULL;
    }
    _PyEmber_EagerCoro = (arg == Py_True);
    Py_RETURN_NONE;
}

PyDoc_STRVAR(jit_asm_selftest_doc,
"_jit_asm_selftest(binop='add') -> dict\n\n"
"Private: assemble a few small functions through the JIT's assembler\n"
"wrapper into W^X code memory, call them and return the results\n"
"(Lib/test/test_ember_jit_asm.py).  binop is the instruction of\n"
"f(a, b) = a binop b.  Raises RuntimeError with the assembler's message.");

static PyObject *
ember_jit_asm_selftest(PyObject *module, PyObject *args)
{
    const char *binop = "add";
    if (!PyArg_ParseTuple(args, "|s:_jit_asm_selftest", &binop)) {
        return NULL;
    }
    return _PyJit_AsmSelfTest(binop);
}

/* --- LIR back-end self-test (Jit/lir_selftest.c) --- */
#include "../Jit/lir_selftest.h"

PyDoc_STRVAR(jit_lir_selftest_doc,
"_jit_lir_selftest(text, args=()) -> dict\n\n"
"Private: parse LIR text (with @sum6 @record @ident @clobber @dealloc\n"
"replaced by addresses), allocate registers, emit x86-64, call it with\n"
"args (None: do not call); Lib/test/test_ember_jit_lir.py.");

static PyObject *
ember_jit_lir_selftest(PyObject *module, PyObject *args)
{
    PyObject *text, *call_args = NULL;
    if (!PyArg_ParseTuple(args, "U|O:_jit_lir_selftest", &text, &call_args)) {
        return NULL;
    }
    if (call_args == NULL) {
        PyObject *empty = PyTuple_New(0);
        if (empty == NULL) {
            return NULL;
        }
        PyObject *r = _PyJit_LirSelfTest(text, empty);
        Py_DECREF(empty);
        return r;
    }
    return _PyJit_LirSelfTest(text, call_args);
}
#define EMBER_JIT_LIR_SELFTEST_METHOD \
    {"_jit_lir_selftest", ember_jit_lir_selftest, METH_VARARGS, \
     jit_lir_selftest_doc},
/* --- end of the LIR self-test block --- */
/* --- HIR text, parser and passes, for Lib/test/test_ember_jit_hir.py --- */
#include "../Jit/hir.h"

PyDoc_STRVAR(jit_hir_text_doc,
"_jit_hir_text(func, passes=True) -> str\n\n"
"Private: the HIR the JIT builds for func's code (with its globals and\n"
"builtins), after all passes unless passes is false.  ValueError when\n"
"the builder refuses the code.");

static PyObject *
ember_jit_hir_text(PyObject *module, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"func", "passes", NULL};
    PyObject *func;
    int passes = 1;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O|p:_jit_hir_text",
                                     kwlist, &func, &passes)) {
        return NULL;
    }
    if (!PyFunction_Check(func)) {
        PyErr_Format(PyExc_TypeError,
                     "_jit_hir_text() argument must be a Python function, "
                     "not %.100s", Py_TYPE(func)->tp_name);
        return NULL;
    }
    PyFunctionObject *f = (PyFunctionObject *)func;
    return _PyJit_HirText((PyCodeObject *)f->func_code, f->func_globals,
                          f->func_builtins, passes);
}

PyDoc_STRVAR(jit_hir_pass_doc,
"_jit_hir_pass(text, passname) -> str\n\n"
"Private: parse HIR text (Jit/hir_parse.c), run one pass on it ('phis',\n"
"'locals', 'guards', 'refcount', 'dce', 'all' for all of them in order,\n"
"or 'none' to print what was parsed) and return the printed result.  ValueError for text that does\n"
"not parse (with the parser's message) and for an unknown pass.");

/* HIR parsed from text, or NULL with ValueError (the parser's message)
 * or MemoryError. */
static JitHir *
parse_hir(const char *text)
{
    char err[200];
    JitHir *hir = JitHir_Parse(text, err, sizeof(err));
    if (hir == NULL && !PyErr_Occurred()) {
        PyErr_SetString(PyExc_ValueError, err);
    }
    return hir;
}

static void
no_pass(JitHir *hir)
{
}

static PyObject *
ember_jit_hir_pass(PyObject *module, PyObject *args)
{
    const char *text, *name;
    if (!PyArg_ParseTuple(args, "ss:_jit_hir_pass", &text, &name)) {
        return NULL;
    }
    static const struct {
        const char *name;
        void (*run)(JitHir *);
    } passes[] = {
        {"all", JitPass_RunAll}, {"none", no_pass}, {NULL, NULL}};
    void (*run)(JitHir *) = NULL;
    for (int i = 0; JitHir_Passes[i].name != NULL; i++) {
        if (strcmp(JitHir_Passes[i].name, name) == 0) {
            run = JitHir_Passes[i].run;
        }
    }
    for (int i = 0; passes[i].name != NULL; i++) {
        if (strcmp(passes[i].name, name) == 0) {
            run = passes[i].run;
        }
    }
    if (run == NULL) {
        PyErr_Format(PyExc_ValueError, "_jit_hir_pass(): unknown pass '%s' "
                     "(phis, locals, guards, refcount, dce, all or none)", name);
        return NULL;
    }
    JitHir *hir = parse_hir(text);
    if (hir == NULL) {
        return NULL;
    }
    run(hir);
    char *t = JitHir_Text(hir);
    JitHir_Free(hir);
    if (t == NULL) {
        return PyErr_NoMemory();
    }
    PyObject *res = PyUnicode_FromString(t);
    PyMem_RawFree(t);
    return res;
}
PyDoc_STRVAR(jit_hir_verify_doc,
"_jit_hir_verify(text) -> str or None\n\n"
"Private: parse HIR text (Jit/hir_parse.c) and run the HIR verifier\n"
"(Jit/hir_verify.c) on it: None when it is well formed, else the\n"
"verifier's message.  ValueError for text that does not parse.");

static PyObject *
ember_jit_hir_verify(PyObject *module, PyObject *arg)
{
    const char *text = PyUnicode_AsUTF8(arg);
    if (text == NULL) {
        return NULL;
    }
    JitHir *hir = parse_hir(text);
    if (hir == NULL) {
        return NULL;
    }
    char err[200];
    int rc = JitHir_Verify(hir, err, sizeof(err));
    JitHir_Free(hir);
    if (rc == 0) {
        Py_RETURN_NONE;
    }
    return PyUnicode_FromString(err);
}

#define EMBER_JIT_HIR_METHODS \
    {"_jit_hir_text", (PyCFunction)(void(*)(void))ember_jit_hir_text, \
     METH_VARARGS | METH_KEYWORDS, jit_hir_text_doc}, \
    {"_jit_hir_pass", ember_jit_hir_pass, METH_VARARGS, jit_hir_pass_doc}, \
    {"_jit_hir_verify", ember_jit_hir_verify, METH_O, jit_hir_verify_doc},
/* --- end of the HIR block --- */
/* ---- The JIT (Lib/cinderjit.py, docs/jit.md). */

static int
check_function(PyObject *arg, const char *name)
{
    if (!PyFunction_Check(arg)) {
        PyErr_Format(PyExc_TypeError,
                     "%s() argument must be a Python function, not %.100s",
                     name, Py_TYPE(arg)->tp_name);
        return -1;
    }
    return 0;
}

static PyObject *
ember_jit_force_compile(PyObject *module, PyObject *arg)
{
    if (check_function(arg, "force_compile") < 0) {
        return NULL;
    }
    int r = _PyJit_ForceCompile((PyFunctionObject *)arg);
    if (r < 0) {
        return NULL;
    }
    return PyBool_FromLong(r);
}

static PyObject *
ember_jit_is_compiled(PyObject *module, PyObject *arg)
{
    if (check_function(arg, "is_jit_compiled") < 0) {
        return NULL;
    }
    return PyBool_FromLong(_PyJit_IsCompiled((PyFunctionObject *)arg));
}

static PyObject *
ember_jit_disable(PyObject *module, PyObject *Py_UNUSED(ignored))
{
    _PyJit_Disable();
    Py_RETURN_NONE;
}

static PyObject *
ember_jit_is_enabled(PyObject *module, PyObject *Py_UNUSED(ignored))
{
    return PyBool_FromLong(_PyJit_Enabled);
}

static PyObject *
ember_jit_compiled_code(PyObject *module, PyObject *Py_UNUSED(ignored))
{
    return _PyJit_GetCompiledCode();
}

static PyObject *
ember_jit_compile_failures(PyObject *module, PyObject *Py_UNUSED(ignored))
{
    return _PyJit_GetCompileFailures();
}

static PyObject *
ember_jit_stats(PyObject *module, PyObject *Py_UNUSED(ignored))
{
    return _PyJit_GetStats();
}

static PyObject *
ember_jit_options(PyObject *module, PyObject *Py_UNUSED(ignored))
{
    const char *filter = _PyJit_Options.dump_filter;
    return Py_BuildValue(
        "{sO sn sn sO sO sO sO sO sN sO sO sn}",
        "enabled", _PyJit_Enabled ? Py_True : Py_False,
        "threshold", _PyJit_Threshold,
        "max_size", _PyJit_MaxSize,
        "stats", _PyJit_PrintStats ? Py_True : Py_False,
        "dump_hir", _PyJit_Options.dump_hir ? Py_True : Py_False,
        "dump_lir", _PyJit_Options.dump_lir ? Py_True : Py_False,
        "dump_asm", _PyJit_Options.dump_asm ? Py_True : Py_False,
        "dump_times", _PyJit_Options.dump_times ? Py_True : Py_False,
        "dump_filter", filter ? PyUnicode_FromString(filter)
                              : Py_NewRef(Py_None),
        "stress_deopt", _PyJit_Options.stress_deopt ? Py_True : Py_False,
        "verify_hir", _PyJit_Options.verify_hir ? Py_True : Py_False,
        "list_entries", _PyJit_ListEntries ? PySet_GET_SIZE(_PyJit_ListEntries)
                                           : (Py_ssize_t)-1);
}

static PyObject *
ember_jit_call_compiled(PyObject *module, PyObject *const *args,
                        Py_ssize_t nargs, PyObject *kwnames)
{
    if (nargs < 1) {
        PyErr_SetString(PyExc_TypeError,
                        "_jit_call_compiled() needs the function to call");
        return NULL;
    }
    if (check_function(args[0], "_jit_call_compiled") < 0) {
        return NULL;
    }
    PyFunctionObject *func = (PyFunctionObject *)args[0];
    _PyJitCompiled *compiled = _PyJit_CompiledOf(
        (PyCodeObject *)func->func_code, func->func_globals);
    if (compiled == NULL) {
        PyErr_SetString(PyExc_ValueError,
                        "_jit_call_compiled(): the function is not compiled");
        return NULL;
    }
    return _PyJit_CallCompiled(_PyThreadState_GET(), func, compiled,
                               args + 1, nargs - 1, kwnames);
}

PyDoc_STRVAR(jit_doc,
"Private: the JIT's run time, through Lib/cinderjit.py (docs/jit.md).");

static PyMethodDef ember_methods[] = {
    {"_jit_force_compile", ember_jit_force_compile, METH_O, jit_doc},
    {"_jit_is_compiled", ember_jit_is_compiled, METH_O, jit_doc},
    {"_jit_disable", ember_jit_disable, METH_NOARGS, jit_doc},
    {"_jit_is_enabled", ember_jit_is_enabled, METH_NOARGS, jit_doc},
    {"_jit_compiled_code", ember_jit_compiled_code, METH_NOARGS, jit_doc},
    {"_jit_compile_failures", ember_jit_compile_failures, METH_NOARGS,
     jit_doc},
    {"_jit_stats", ember_jit_stats, METH_NOARGS, jit_doc},
    {"_jit_options", ember_jit_options, METH_NOARGS,
     "_jit_options() -> dict\n\nPrivate, for tests: the JIT's options as "
     "start-up set them\n(list_entries is -1 without a list file)."},
    {"_jit_call_compiled", (PyCFunction)(void(*)(void))ember_jit_call_compiled,
     METH_FASTCALL | METH_KEYWORDS,
     "_jit_call_compiled(func, /, *args, **kwargs)\n\nPrivate, for tests: "
     "call a compiled function through the JIT's direct call\n"
     "(_PyJit_CallCompiled), as compiled code calls compiled code."},
    {"eager_coro", ember_eager_coro, METH_NOARGS, eager_coro_doc},
    {"set_eager_coro", ember_set_eager_coro, METH_O, set_eager_coro_doc},
    {"_jit_asm_selftest", ember_jit_asm_selftest, METH_VARARGS,
     jit_asm_selftest_doc},
    EMBER_JIT_LIR_SELFTEST_METHOD
    EMBER_JIT_HIR_METHODS
    {NULL, NULL}
};

static PyModuleDef_Slot ember_slots[] = {
    {0, NULL}
};

static struct PyModuleDef ember_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "_ember",
    .m_doc = "Ember's run-time switches (see the ember package).",
    .m_size = 0,
    .m_methods = ember_methods,
    .m_slots = ember_slots,
};

PyMODINIT_FUNC
PyInit__ember(void)
{
    return PyModuleDef_Init(&ember_module);
}
