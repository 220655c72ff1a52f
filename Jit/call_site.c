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
 *
 * A site that makes instances of a class (a plain class: type is its
 * metaclass, object.__new__ its __new__, a Python function its __init__)
 * caches the class by its version tag, which changes whenever the class
 * or a base is modified and is never reused, and the __init__ function
 * (alive while the tag matches: the class's dict holds it) by its version
 * as above.  It then allocates the instance as object.__new__ would and
 * enters __init__'s compiled code directly, skipping type.__call__'s
 * argument tuple and the lookup of __init__.
 */
#include "Python.h"
#include "pycore_call.h"
#include "pycore_code.h"
#include "pycore_function.h"
#include "pycore_frame.h"
#include "pycore_pystate.h"
#include "pycore_runtime.h"         // _Py_ID
#include "pycore_typeobject.h"
#include "pycore_opcode.h"        // _PyOpcode_Deopt
#include "internal/ember_jit.h"
#include "internal/ember_jit_runtime.h"
#include "call_site.h"

/* Whether the cached paths can enter func's compiled code (compiled):
 * a plain Python function without *args or **kwargs whose code needs no
 * prelude (no cells or free variables). */
static int
direct(PyFunctionObject *func, _PyJitCompiled *compiled)
{
    PyCodeObject *co = (PyCodeObject *)func->func_code;
    return Py_TYPE(func) == &PyFunction_Type
           && !(co->co_flags & (CO_VARARGS | CO_VARKEYWORDS))
           && _PyOpcode_Deopt[_Py_OPCODE(_PyCode_CODE(co)[0])] == RESUME
           && compiled->builtins == func->func_builtins;
}

/* Whether _PyJit_CallCachedExact can run func: called with exactly its
 * nargs positional parameters. */
static int
enterable(PyFunctionObject *func, _PyJitCompiled *compiled, Py_ssize_t nargs)
{
    PyCodeObject *co = (PyCodeObject *)func->func_code;
    return direct(func, compiled)
           && co->co_argcount == nargs && co->co_kwonlyargcount == 0;
}

/* A new entry for func (round robin), or NULL if func has no version. */
static JitCallEntry *
new_entry(JitCallCache *cache, PyFunctionObject *func,
          _PyJitCompiled *compiled, Py_ssize_t nargs)
{
    uint32_t version = _PyFunction_GetVersionForCurrentState(func);
    if (version == 0) {
        return NULL;    /* versions ran out: no cache */
    }
    JitCallEntry *e = &cache->e[cache->next];
    cache->next = (cache->next + 1) % JIT_CALL_CACHE_SIZE;
    memset(e, 0, sizeof(*e));
    e->version = version;
    e->nargs = (int32_t)nargs;
    e->compiled = compiled;
    return e;
}

/* Remember func in a cache entry if the fast path can run it; the entry
 * or NULL. */
static JitCallEntry *
fill(JitCallCache *cache, PyFunctionObject *func, _PyJitCompiled *compiled,
     Py_ssize_t nargs)
{
    if (!enterable(func, compiled, nargs)) {
        return NULL;
    }
    return new_entry(cache, func, compiled, nargs);
}

/* Remember func for calls with npos positional arguments and the keyword
 * arguments kwnames (or none) that bind without *args or **kwargs: each
 * keyword names a parameter not given positionally (and not
 * positional-only), and the positional parameters left out have defaults
 * (keyword-only ones are looked up at each call: their dict may change).
 * Calls of any other shape take the general binding, with its errors. */
static void
fill_bound(JitCallCache *cache, PyFunctionObject *func,
           _PyJitCompiled *compiled, Py_ssize_t total, PyObject *kwnames)
{
    PyCodeObject *co = (PyCodeObject *)func->func_code;
    Py_ssize_t nkw = kwnames ? PyTuple_GET_SIZE(kwnames) : 0;
    Py_ssize_t npos = total - nkw;
    int nparams = co->co_argcount + co->co_kwonlyargcount;
    if (!direct(func, compiled)
        || npos > co->co_argcount || nkw > JIT_CALL_MAX_KW
        || nparams > JIT_CALL_MAX_PARAMS) {
        return;
    }
    uint32_t filled = npos ? (uint32_t)((1ull << npos) - 1) : 0;
    uint8_t kwmap[JIT_CALL_MAX_KW];
    for (Py_ssize_t j = 0; j < nkw; j++) {
        PyObject *name = PyTuple_GET_ITEM(kwnames, j);
        int found = -1;
        for (int i = co->co_posonlyargcount; i < nparams; i++) {
            PyObject *param = PyTuple_GET_ITEM(co->co_localsplusnames, i);
            if (param == name
                || (PyUnicode_CheckExact(name)
                    && _PyUnicode_Equal(param, name))) {
                found = i;
                break;
            }
        }
        if (found < 0 || (filled & (1u << found))) {
            return;
        }
        filled |= 1u << found;
        kwmap[j] = (uint8_t)found;
    }
    Py_ssize_t ndefaults = func->func_defaults
                           ? PyTuple_GET_SIZE(func->func_defaults) : 0;
    for (int i = (int)npos; i < co->co_argcount; i++) {
        if (!(filled & (1u << i)) && i < co->co_argcount - ndefaults) {
            return;     /* a required argument is missing */
        }
    }
    JitCallEntry *e = new_entry(cache, func, compiled, total);
    if (e != NULL) {
        e->bind = 1;
        e->kwnames = kwnames;
        memcpy(e->kwmap, kwmap, nkw);
    }
}

/* Remember class tp if the site can make its instances directly:
 * nargs (self included) is __init__'s exact arity. */
static void
fill_class(JitCallCache *cache, PyTypeObject *tp, Py_ssize_t nargs)
{
    if (Py_TYPE(tp) != &PyType_Type
        || tp->tp_new != PyBaseObject_Type.tp_new
        || (tp->tp_flags & Py_TPFLAGS_IS_ABSTRACT)
        || !PyType_HasFeature(tp, Py_TPFLAGS_VALID_VERSION_TAG)
        || tp->tp_version_tag == 0) {
        return;
    }
    PyObject *init = _PyType_Lookup(tp, &_Py_ID(__init__));
    if (init == NULL || Py_TYPE(init) != &PyFunction_Type) {
        return;
    }
    /* A Python __init__ makes tp_init type's slot that calls it. */
    PyFunctionObject *func = (PyFunctionObject *)init;
    _PyJitCompiled *compiled = _PyJit_CompiledOf(
        (PyCodeObject *)func->func_code, func->func_globals);
    if (compiled == NULL) {
        return;
    }
    JitCallEntry *e = fill(cache, func, compiled, nargs);
    if (e != NULL) {
        e->type_version = tp->tp_version_tag;
        e->init = func;
    }
}

/* A cached class's instance: tp's __new__ (object.__new__, which ignores
 * the arguments when __init__ is overridden), then its __init__'s compiled
 * code with the instance and the nargs arguments (stolen) at args[0..],
 * then the check of type.__call__ that __init__ returned None. */
static PyObject *
make_instance(PyThreadState *tstate, PyTypeObject *tp, JitCallEntry *e,
              PyObject **args, Py_ssize_t nargs)
{
    PyObject *empty = PyTuple_New(0);
    PyObject *self = tp->tp_new(tp, empty, NULL);
    Py_DECREF(empty);
    if (self == NULL) {
        for (Py_ssize_t i = 0; i < nargs; i++) {
            Py_DECREF(args[i]);
        }
        return NULL;
    }
    /* args[-1] held the class: __init__ takes the instance there. */
    args[-1] = Py_NewRef(self);
    PyObject *res = _PyJit_CallCachedExact(
        tstate, (PyFunctionObject *)Py_NewRef(e->init), e->compiled,
        args - 1, nargs + 1);
    return _PyJit_InitDone(self, res);
}

PyObject *
_PyJit_InitDone(PyObject *self, PyObject *res)
{
    /* type.__call__'s check of what __init__ returned. */
    if (res == NULL) {
        Py_DECREF(self);
        return NULL;
    }
    if (res != Py_None) {
        PyErr_Format(PyExc_TypeError,
                     "__init__() should return None, not '%.200s'",
                     Py_TYPE(res)->tp_name);
        Py_DECREF(res);
        Py_DECREF(self);
        return NULL;
    }
    Py_DECREF(res);
    return self;
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
    if (cache != NULL) {
        if (Py_TYPE(function) == &PyFunction_Type) {
            uint32_t version = ((PyFunctionObject *)function)->func_version;
            for (int i = 0; i < JIT_CALL_CACHE_SIZE; i++) {
                JitCallEntry *e = &cache->e[i];
                if (e->version == version && version != 0
                    && e->type_version == 0 && e->nargs == total
                    && e->kwnames == kwnames) {
                    if (!e->bind) {
                        /* The slots' references go to the new frame. */
                        return _PyJit_CallCachedExact(
                            tstate, (PyFunctionObject *)function,
                            e->compiled, args, total);
                    }
                    int handled;
                    PyObject *res = _PyJit_CallCachedBound(
                        tstate, (PyFunctionObject *)function, e->compiled,
                        args, total, e->kwmap,
                        kwnames ? PyTuple_GET_SIZE(kwnames) : 0, &handled);
                    if (handled) {
                        return res;
                    }
                    break;      /* the general binding, for its error */
                }
            }
        }
        else if (Py_TYPE(function) == &PyType_Type && !is_meth
                 && kwnames == NULL) {
            uint32_t tv = ((PyTypeObject *)function)->tp_version_tag;
            for (int i = 0; i < JIT_CALL_CACHE_SIZE; i++) {
                JitCallEntry *e = &cache->e[i];
                if (e->type_version == tv && tv != 0
                    && e->init->func_version == e->version
                    && e->nargs == total + 1) {
                    PyObject *res = make_instance(
                        tstate, (PyTypeObject *)function, e, args, total);
                    Py_DECREF(function);
                    return res;
                }
            }
        }
    }
    _PyJitCompiled *compiled;
    if (PyFunction_Check(function)
        && (compiled = _PyJit_CompiledOf(
                (PyCodeObject *)((PyFunctionObject *)function)->func_code,
                ((PyFunctionObject *)function)->func_globals)) != NULL) {
        if (cache != NULL
            && (kwnames != NULL
                || fill(cache, (PyFunctionObject *)function, compiled,
                        total) == NULL)) {
            fill_bound(cache, (PyFunctionObject *)function, compiled, total,
                       kwnames);
        }
        if (kwnames == NULL) {
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
    if (cache != NULL && kwnames == NULL && !is_meth
        && Py_TYPE(function) == &PyType_Type) {
        fill_class(cache, (PyTypeObject *)function, total + 1);
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

/* ---- Operators of Python classes. */

static const struct {
    const char *symbol;
    PyObject *name;
} dunders[] = {
    [NB_ADD] = {"+", &_Py_ID(__add__)},
    [NB_SUBTRACT] = {"-", &_Py_ID(__sub__)},
    [NB_MULTIPLY] = {"*", &_Py_ID(__mul__)},
    [NB_TRUE_DIVIDE] = {"/", &_Py_ID(__truediv__)},
};

PyObject *
_PyJit_BinaryDunder(PyObject *lhs, PyObject *rhs, int oparg)
{
    if (oparg >= (int)Py_ARRAY_LENGTH(dunders) || dunders[oparg].name == NULL) {
        return NULL;
    }
    PyTypeObject *tp = Py_TYPE(lhs), *rt = Py_TYPE(rhs);
    if (!(tp->tp_flags & Py_TPFLAGS_HEAPTYPE)
        || (rt != tp && rt != &PyFloat_Type && rt != &PyLong_Type)
        || PyLong_Check(lhs) || PyFloat_Check(lhs)
        || (tp->tp_as_sequence != NULL
            && (tp->tp_as_sequence->sq_concat != NULL
                || tp->tp_as_sequence->sq_repeat != NULL))) {
        return NULL;
    }
    PyObject *meth = _PyType_Lookup(tp, dunders[oparg].name);
    if (meth == NULL || Py_TYPE(meth) != &PyFunction_Type) {
        return NULL;
    }
    PyFunctionObject *func = (PyFunctionObject *)meth;
    _PyJitCompiled *compiled = _PyJit_CompiledOf(
        (PyCodeObject *)func->func_code, func->func_globals);
    if (compiled == NULL || !enterable(func, compiled, 2)) {
        return NULL;
    }
    PyObject *args[2] = {Py_NewRef(lhs), Py_NewRef(rhs)};
    PyObject *res = _PyJit_CallCachedExact(
        _PyThreadState_GET(), (PyFunctionObject *)Py_NewRef(func), compiled,
        args, 2);
    if (res == Py_NotImplemented) {
        /* What the rest of the protocol comes to for these operand types:
         * no reflected method to try (the same class, or an int or float,
         * whose methods refuse a foreign left operand), no sequence
         * fallback. */
        Py_DECREF(res);
        PyErr_Format(PyExc_TypeError,
                     "unsupported operand type(s) for %.100s: "
                     "'%.100s' and '%.100s'",
                     dunders[oparg].symbol, tp->tp_name, rt->tp_name);
        return NULL;
    }
    return res;
}
