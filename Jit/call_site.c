/* What compiled code's CALL sites do: the generic call (bound methods
 * unpacked, compiled callees entered directly, anything else through
 * vectorcall) and, per site, a cache of the Python function it called.
 *
 * Data: JitCallCache (call_site.h).  An entry names its function by
 * func_version, which the interpreter gives one function object and
 * resets to 0 when the function's __code__, __defaults__ or
 * __kwdefaults__ change; versions are never reused.  So while an entry
 * matches, the function it was filled from is alive with the same code,
 * globals and builtins, and that code's compiled code (freed only with
 * the code object) is alive too.  The entry holds no references.
 */
#include "Python.h"
#include "pycore_call.h"
#include "pycore_code.h"
#include "pycore_function.h"
#include "pycore_frame.h"
#include "pycore_pystate.h"
#include "pycore_opcode.h"        // _PyOpcode_Deopt
#include "internal/ember_jit.h"
#include "internal/ember_jit_runtime.h"
#include "call_site.h"

/* Remember func in cache if the fast path can run it: a plain Python
 * function called with exactly its positional parameters, whose code is
 * compiled and needs no prelude (no cells or free variables). */
static void
fill(JitCallCache *cache, PyFunctionObject *func, _PyJitCompiled *compiled,
     Py_ssize_t nargs)
{
    PyCodeObject *co = (PyCodeObject *)func->func_code;
    if (Py_TYPE(func) != &PyFunction_Type
        || co->co_argcount != nargs || co->co_kwonlyargcount != 0
        || (co->co_flags & (CO_VARARGS | CO_VARKEYWORDS))
        || _PyOpcode_Deopt[_Py_OPCODE(_PyCode_CODE(co)[0])] != RESUME
        || compiled->builtins != func->func_builtins) {
        return;
    }
    uint32_t version = _PyFunction_GetVersionForCurrentState(func);
    if (version == 0) {
        return;         /* versions ran out: no cache */
    }
    cache->version = version;
    cache->nargs = (int32_t)nargs;
    cache->compiled = compiled;
}

PyObject *
_PyJit_CallSite(PyThreadState *tstate, _PyInterpreterFrame *frame,
                Py_ssize_t base, Py_ssize_t oparg, PyObject *kwnames,
                JitCallCache *cache)
{
    PyObject **slots = frame->localsplus + frame->f_code->co_nlocalsplus
                       + base;
    /* slots[0]: NULL or a method; slots[1]: the callable or self; then
     * oparg arguments (PRECALL/CALL in ceval.c). */
    if (slots[0] == NULL && Py_TYPE(slots[1]) == &PyMethod_Type) {
        PyObject *callable = slots[1];
        slots[0] = Py_NewRef(PyMethod_GET_FUNCTION(callable));
        slots[1] = Py_NewRef(PyMethod_GET_SELF(callable));
        Py_DECREF(callable);
    }
    int is_meth = slots[0] != NULL;
    Py_ssize_t total = oparg + is_meth;
    PyObject *function = is_meth ? slots[0] : slots[1];
    PyObject **args = slots + 2 - is_meth;
    if (cache != NULL && cache->version != 0
        && Py_TYPE(function) == &PyFunction_Type
        && ((PyFunctionObject *)function)->func_version == cache->version
        && cache->nargs == total) {
        /* The slots' references go to the new frame. */
        return _PyJit_CallCachedExact(tstate, (PyFunctionObject *)function,
                                      cache->compiled, args, total);
    }
    _PyJitCompiled *compiled;
    if (PyFunction_Check(function)
        && (compiled = _PyJit_CompiledOf(
                (PyCodeObject *)((PyFunctionObject *)function)->func_code,
                ((PyFunctionObject *)function)->func_globals)) != NULL) {
        if (kwnames == NULL) {
            if (cache != NULL) {
                fill(cache, (PyFunctionObject *)function, compiled, total);
            }
            int handled;
            PyObject *res = _PyJit_CallCompiledExact(
                tstate, (PyFunctionObject *)function, compiled, args, total,
                &handled);
            if (handled) {
                return res;
            }
        }
        Py_ssize_t positional = total
            - (kwnames ? PyTuple_GET_SIZE(kwnames) : 0);
        return _PyJit_CallCompiledStealing(
            tstate, (PyFunctionObject *)function, compiled, args,
            positional | PY_VECTORCALL_ARGUMENTS_OFFSET, kwnames);
    }
    Py_ssize_t positional = total - (kwnames ? PyTuple_GET_SIZE(kwnames) : 0);
    PyObject *res = PyObject_Vectorcall(
        function, args, positional | PY_VECTORCALL_ARGUMENTS_OFFSET, kwnames);
    for (Py_ssize_t i = 0; i < total; i++) {
        Py_DECREF(args[i]);
    }
    Py_DECREF(function);
    return res;
}
