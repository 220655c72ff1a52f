/* The _ember module: Ember's run-time switches, for Python code, and
 * private self-tests of C code for Lib/test.
 *
 * Owns no data: it reads and sets the switches that other files own
 * (_PyEmber_EagerCoro in Python/ember_eager.c).  Built in (patch
 * 0007-eager-coroutines lists it in Modules/config.c.in), so every
 * interpreter can import it; Lib/ember/__init__.py re-exports it.
 */
#include "Python.h"
#include "pycore_pystate.h"
#include "internal/ember_eager.h"
#include "internal/ember_jit.h"

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

static PyMethodDef ember_methods[] = {
    {"eager_coro", ember_eager_coro, METH_NOARGS, eager_coro_doc},
    {"set_eager_coro", ember_set_eager_coro, METH_O, set_eager_coro_doc},
    {"_jit_asm_selftest", ember_jit_asm_selftest, METH_VARARGS,
     jit_asm_selftest_doc},
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
