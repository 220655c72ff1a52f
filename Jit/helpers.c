/* The run-time helpers that compiled code calls, and their table
 * (Jit/helpers.h says the conventions).  Each does what the interpreter's
 * instruction of the same name does in Python/ceval.c, on arguments that
 * compiled code passes in registers or left in the frame's stack slots.
 *
 * Data: the constant table JitHelpers; no state.
 */
#include "Python.h"
#include "pycore_call.h"
#include "pycore_ceval.h"
#include "pycore_code.h"
#include "pycore_dict.h"
#include "pycore_frame.h"
#include "pycore_function.h"
#include "pycore_list.h"
#include "pycore_long.h"
#include "pycore_object.h"
#include "pycore_pyerrors.h"
#include "pycore_pystate.h"
#include "pycore_pymem.h"           // _Py_tracemalloc_config
#include "pycore_interp.h"          // float_state
#include "pycore_tuple.h"
#include "opcode.h"
#include "internal/ember_jit.h"
#include "internal/ember_jit_runtime.h"
#include "helpers.h"
#include "attr_cache.h"
#include "call_site.h"

static inline PyObject **
stack_slots(_PyInterpreterFrame *frame, intptr_t base)
{
    return frame->localsplus + frame->f_code->co_nlocalsplus + base;
}

/* Whether v is an int of at most one digit (|v| < 2**30), and its value. */
static inline int
small_int(PyObject *v, long long *out)
{
    if (Py_TYPE(v) != &PyLong_Type) {
        return 0;
    }
    Py_ssize_t size = Py_SIZE(v);
    if (size < -1 || size > 1) {
        return 0;
    }
    *out = (long long)size * ((PyLongObject *)v)->ob_digit[0];
    return 1;
}

/* Whether v is a float or a one-digit int (both exact types), and its
 * value as a double (exact for such ints). */
static inline int
small_number(PyObject *v, double *out, int *is_int)
{
    if (Py_TYPE(v) == &PyFloat_Type) {
        *out = PyFloat_AS_DOUBLE(v);
        *is_int = 0;
        return 1;
    }
    long long i;
    if (small_int(v, &i)) {
        *out = (double)i;
        *is_int = 1;
        return 1;
    }
    return 0;
}

/* A new float: PyFloat_FromDouble's own steps, inline, for one from the
 * interpreter's free list (as 3.11.2's Objects/floatobject.c and
 * pycore_floatobject.h lay it out: pinned to the base like the other
 * private layouts here); PyFloat_FromDouble itself when the list is empty
 * or tracemalloc traces new references. */
static inline PyObject *
new_float(double v)
{
    struct _Py_float_state *state = &_PyInterpreterState_GET()->float_state;
    PyFloatObject *op = state->free_list;
    if (op == NULL || _Py_tracemalloc_config.tracing) {
        return PyFloat_FromDouble(v);
    }
    state->free_list = (PyFloatObject *)Py_TYPE(op);
    state->numfree--;
    Py_SET_TYPE(op, &PyFloat_Type);     /* not a heap type: no reference */
    Py_SET_REFCNT(op, 1);
    op->ob_fval = v;
    return (PyObject *)op;
}

/* The value of a one-digit int op: v, |v| <= PyLong_MASK. */
static inline void
set_digit(PyLongObject *op, long long v)
{
    Py_SET_SIZE(op, v < 0 ? -1 : 1);
    op->ob_digit[0] = (digit)(v < 0 ? -v : v);
}

/* A new int: PyLong_FromLongLong's own steps, inline, for the small ints
 * (the shared ones) and the one-digit ones (as _PyLong_FromMedium makes
 * them, 3.11.2's layout); PyLong_FromLongLong itself for the rest and
 * when tracemalloc traces new references. */
static inline PyObject *
new_int(long long v)
{
    if (-_PY_NSMALLNEGINTS <= v && v < _PY_NSMALLPOSINTS) {
        return Py_NewRef((PyObject *)&_PyLong_SMALL_INTS[_PY_NSMALLNEGINTS + v]);
    }
    if (v < -(long long)PyLong_MASK || v > (long long)PyLong_MASK
        || _Py_tracemalloc_config.tracing) {
        return PyLong_FromLongLong(v);
    }
    PyLongObject *op = PyObject_Malloc(sizeof(PyLongObject));
    if (op == NULL) {
        return PyErr_NoMemory();
    }
    Py_SET_TYPE(op, &PyLong_Type);      /* not a heap type: no reference */
    Py_SET_REFCNT(op, 1);
    set_digit(op, v);
    return (PyObject *)op;
}

/* Not done by number_fast: the general path is to do it. */
#define NOT_FAST ((PyObject *)1)

/* The arithmetic of BINARY_OP sites the interpreter left generic (mixed
 * int and float operands, true and floor division, remainder, left
 * shifts) on exact floats and one-digit ints, with the results int's and
 * float's own methods give; NOT_FAST for anything else, division by zero
 * and negative shifts included, which then take the general path for
 * their errors; NULL with an exception if out of memory. */
static PyObject *
number_fast(PyObject *lhs, PyObject *rhs, intptr_t oparg)
{
    double x, y;
    int xi, yi;
    if (!small_number(lhs, &x, &xi) || !small_number(rhs, &y, &yi)) {
        return NOT_FAST;
    }
    if (oparg >= NB_INPLACE_ADD) {
        oparg -= NB_INPLACE_ADD - NB_ADD;   /* immutable: the same */
    }
    if (xi && yi) {
        long long a = (long long)x, b = (long long)y;
        switch (oparg) {
        case NB_ADD: return new_int(a + b);
        case NB_SUBTRACT: return new_int(a - b);
        case NB_MULTIPLY: return new_int(a * b);
        case NB_TRUE_DIVIDE:
            /* Both below 2**53: the correctly rounded quotient. */
            return b == 0 ? NOT_FAST : new_float(x / y);
        case NB_LSHIFT:
            /* |a| < 2**30: below 2**62 for shifts up to 31. */
            return b < 0 || b > 31 ? NOT_FAST : new_int(a * (1LL << b));
        case NB_FLOOR_DIVIDE:
        case NB_REMAINDER: {
            if (b == 0) {
                return NOT_FAST;
            }
            long long q = a / b, r = a % b;
            if (r != 0 && ((r < 0) != (b < 0))) {
                q -= 1;         /* round towards minus infinity */
                r += b;
            }
            return new_int(oparg == NB_FLOOR_DIVIDE ? q : r);
        }
        }
        return NOT_FAST;
    }
    switch (oparg) {
    case NB_ADD: return new_float(x + y);
    case NB_SUBTRACT: return new_float(x - y);
    case NB_MULTIPLY: return new_float(x * y);
    case NB_TRUE_DIVIDE: return y == 0.0 ? NOT_FAST : new_float(x / y);
    }
    return NOT_FAST;
}

static PyObject *
jit_binary_op(PyObject *lhs, PyObject *rhs, intptr_t oparg)
{
    PyObject *res = number_fast(lhs, rhs, oparg);
    if (res != NOT_FAST) {
        return res;
    }
    if (Py_TYPE(lhs)->tp_flags & Py_TPFLAGS_HEAPTYPE) {
        res = _PyJit_BinaryDunder(lhs, rhs, (int)oparg);
        if (res != NULL || PyErr_Occurred()) {
            return res;
        }
    }
    switch (oparg) {
    case NB_ADD: return PyNumber_Add(lhs, rhs);
    case NB_AND: return PyNumber_And(lhs, rhs);
    case NB_FLOOR_DIVIDE: return PyNumber_FloorDivide(lhs, rhs);
    case NB_LSHIFT: return PyNumber_Lshift(lhs, rhs);
    case NB_MATRIX_MULTIPLY: return PyNumber_MatrixMultiply(lhs, rhs);
    case NB_MULTIPLY: return PyNumber_Multiply(lhs, rhs);
    case NB_REMAINDER: return PyNumber_Remainder(lhs, rhs);
    case NB_OR: return PyNumber_Or(lhs, rhs);
    case NB_POWER: return PyNumber_Power(lhs, rhs, Py_None);
    case NB_RSHIFT: return PyNumber_Rshift(lhs, rhs);
    case NB_SUBTRACT: return PyNumber_Subtract(lhs, rhs);
    case NB_TRUE_DIVIDE: return PyNumber_TrueDivide(lhs, rhs);
    case NB_XOR: return PyNumber_Xor(lhs, rhs);
    case NB_INPLACE_ADD: return PyNumber_InPlaceAdd(lhs, rhs);
    case NB_INPLACE_AND: return PyNumber_InPlaceAnd(lhs, rhs);
    case NB_INPLACE_FLOOR_DIVIDE: return PyNumber_InPlaceFloorDivide(lhs, rhs);
    case NB_INPLACE_LSHIFT: return PyNumber_InPlaceLshift(lhs, rhs);
    case NB_INPLACE_MATRIX_MULTIPLY: return PyNumber_InPlaceMatrixMultiply(lhs, rhs);
    case NB_INPLACE_MULTIPLY: return PyNumber_InPlaceMultiply(lhs, rhs);
    case NB_INPLACE_REMAINDER: return PyNumber_InPlaceRemainder(lhs, rhs);
    case NB_INPLACE_OR: return PyNumber_InPlaceOr(lhs, rhs);
    case NB_INPLACE_POWER: return PyNumber_InPlacePower(lhs, rhs, Py_None);
    case NB_INPLACE_RSHIFT: return PyNumber_InPlaceRshift(lhs, rhs);
    case NB_INPLACE_SUBTRACT: return PyNumber_InPlaceSubtract(lhs, rhs);
    case NB_INPLACE_TRUE_DIVIDE: return PyNumber_InPlaceTrueDivide(lhs, rhs);
    case NB_INPLACE_XOR: return PyNumber_InPlaceXor(lhs, rhs);
    }
    PyErr_SetString(PyExc_SystemError, "JIT: bad binary operation");
    return NULL;
}

static PyObject *
jit_compare_op(PyObject *lhs, PyObject *rhs, intptr_t op)
{
    return PyObject_RichCompare(lhs, rhs, (int)op);
}

static intptr_t
jit_is_true(PyObject *v)
{
    return PyObject_IsTrue(v);
}

static PyObject *
jit_unary(PyObject *v, intptr_t opcode)
{
    switch (opcode) {
    case UNARY_NEGATIVE: return PyNumber_Negative(v);
    case UNARY_POSITIVE: return PyNumber_Positive(v);
    case UNARY_INVERT: return PyNumber_Invert(v);
    }
    PyErr_SetString(PyExc_SystemError, "JIT: bad unary operation");
    return NULL;
}

static intptr_t
jit_contains(PyObject *container, PyObject *item)
{
    return PySequence_Contains(container, item);
}



static intptr_t
jit_delete_attr(PyObject *owner, PyObject *name)
{
    return PyObject_SetAttr(owner, name, NULL);
}

static PyObject *
jit_load_attr_cached(PyObject *owner, PyObject *name, JitAttrCache *cache)
{
    return _PyJit_LoadAttrCached(owner, name, cache);
}

static intptr_t
jit_store_attr_cached(PyObject *owner, PyObject *name, PyObject *value,
                      JitAttrCache *cache)
{
    return _PyJit_StoreAttrCached(owner, name, value, cache);
}

static intptr_t
jit_load_method_cached(_PyInterpreterFrame *frame, intptr_t base,
                       PyObject *owner, PyObject *name, JitAttrCache *cache)
{
    return _PyJit_LoadMethodCached(stack_slots(frame, base), owner, name, cache);
}


static PyObject *
jit_load_global(PyThreadState *tstate, _PyInterpreterFrame *frame,
                PyObject *name)
{
    PyObject *v;
    if (PyDict_CheckExact(frame->f_globals)
        && PyDict_CheckExact(frame->f_builtins)) {
        v = _PyDict_LoadGlobal((PyDictObject *)frame->f_globals,
                               (PyDictObject *)frame->f_builtins, name);
        if (v != NULL) {
            return Py_NewRef(v);
        }
        /* Not found (no exception): the interpreter raises NameError with
         * its own message; deoptimize to it. */
        return NULL;
    }
    v = PyObject_GetItem(frame->f_globals, name);
    if (v == NULL) {
        if (!_PyErr_ExceptionMatches(tstate, PyExc_KeyError)) {
            return NULL;
        }
        _PyErr_Clear(tstate);
        v = PyObject_GetItem(frame->f_builtins, name);
        if (v == NULL && _PyErr_ExceptionMatches(tstate, PyExc_KeyError)) {
            _PyErr_Clear(tstate);
        }
    }
    return v;
}

static PyObject *
jit_call_site(PyThreadState *tstate, _PyInterpreterFrame *frame,
              intptr_t base, intptr_t oparg, PyObject *kwnames,
              JitCallCache *cache)
{
    return _PyJit_CallSite(tstate, frame, base, oparg, kwnames, cache);
}

static PyObject *
jit_binary_subscr(PyObject *container, PyObject *sub)
{
    return PyObject_GetItem(container, sub);
}

static PyObject *
jit_dict_subscr(PyObject *dict, PyObject *key)
{
    PyObject *v = PyDict_GetItemWithError(dict, key);
    if (v == NULL) {
        if (!PyErr_Occurred()) {
            _PyErr_SetKeyError(key);
        }
        return NULL;
    }
    return Py_NewRef(v);
}

static intptr_t
jit_store_subscr(PyObject *container, PyObject *sub, PyObject *value)
{
    return PyObject_SetItem(container, sub, value);
}

static intptr_t
jit_delete_subscr(PyObject *container, PyObject *sub)
{
    return PyObject_DelItem(container, sub);
}

static void
clear_slots(PyObject **slots, Py_ssize_t n)
{
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_XDECREF(slots[i]);
    }
}

static PyObject *
jit_build(_PyInterpreterFrame *frame, intptr_t base, intptr_t n,
          intptr_t opcode)
{
    PyObject **slots = stack_slots(frame, base);
    PyObject *res = NULL;
    switch (opcode) {
    case BUILD_TUPLE:
        return _PyTuple_FromArraySteal(slots, n);
    case BUILD_LIST:
        res = PyList_New(n);
        if (res == NULL) {
            break;
        }
        for (Py_ssize_t i = 0; i < n; i++) {
            PyList_SET_ITEM(res, i, slots[i]);
        }
        return res;
    case BUILD_SET:
        res = PySet_New(NULL);
        for (Py_ssize_t i = 0; res != NULL && i < n; i++) {
            if (PySet_Add(res, slots[i]) < 0) {
                Py_CLEAR(res);
            }
        }
        break;
    case BUILD_MAP:
        res = _PyDict_FromItems(slots, 2, slots + 1, 2, n);
        n *= 2;
        break;
    case BUILD_CONST_KEY_MAP: {
        PyObject *keys = slots[n];
        if (!PyTuple_CheckExact(keys) || PyTuple_GET_SIZE(keys) != n) {
            PyErr_SetString(PyExc_SystemError,
                            "bad BUILD_CONST_KEY_MAP keys argument");
        }
        else {
            res = _PyDict_FromItems(&PyTuple_GET_ITEM(keys, 0), 1,
                                    slots, 1, n);
        }
        n += 1;
        break;
    }
    case BUILD_SLICE:
        res = PySlice_New(slots[0], slots[1], n == 3 ? slots[2] : NULL);
        break;
    case BUILD_STRING:
        res = _PyUnicode_JoinArray(&_Py_STR(empty), slots, n);
        break;
    case LIST_TO_TUPLE:
        res = PyList_AsTuple(slots[0]);
        n = 1;
        break;
    default:
        PyErr_SetString(PyExc_SystemError, "JIT: bad build opcode");
        break;
    }
    clear_slots(slots, n);
    return res;
}

static intptr_t
jit_list_append(PyObject *list, PyObject *value)
{
    return PyList_Append(list, value);
}

static intptr_t
jit_set_add(PyObject *set, PyObject *value)
{
    return PySet_Add(set, value);
}

static intptr_t
jit_map_add(PyObject *dict, PyObject *key, PyObject *value)
{
    return PyDict_SetItem(dict, key, value);
}

static intptr_t
jit_list_extend(PyObject *list, PyObject *iterable)
{
    PyObject *none = _PyList_Extend((PyListObject *)list, iterable);
    if (none == NULL) {
        PyThreadState *tstate = _PyThreadState_GET();
        if (_PyErr_ExceptionMatches(tstate, PyExc_TypeError)
            && (Py_TYPE(iterable)->tp_iter == NULL
                && !PySequence_Check(iterable))) {
            _PyErr_Clear(tstate);
            _PyErr_Format(tstate, PyExc_TypeError,
                          "Value after * must be an iterable, not %.200s",
                          Py_TYPE(iterable)->tp_name);
        }
        return -1;
    }
    Py_DECREF(none);
    return 0;
}

static intptr_t
jit_set_update(PyObject *set, PyObject *iterable)
{
    return _PySet_Update(set, iterable);
}

static PyObject *
jit_list_to_tuple(PyObject *list)
{
    return PyList_AsTuple(list);
}

static intptr_t
jit_unpack_sequence(_PyInterpreterFrame *frame, intptr_t base, PyObject *seq,
                    intptr_t n)
{
    /* Items go to slots base .. base+n-1, the last item lowest, as
     * UNPACK_SEQUENCE pushes them. */
    PyObject **slots = stack_slots(frame, base);
    if (PyTuple_CheckExact(seq) && PyTuple_GET_SIZE(seq) == n) {
        for (Py_ssize_t i = 0; i < n; i++) {
            slots[n - 1 - i] = Py_NewRef(PyTuple_GET_ITEM(seq, i));
        }
        return 0;
    }
    if (PyList_CheckExact(seq) && PyList_GET_SIZE(seq) == n) {
        for (Py_ssize_t i = 0; i < n; i++) {
            slots[n - 1 - i] = Py_NewRef(PyList_GET_ITEM(seq, i));
        }
        return 0;
    }
    /* The general case, with upstream's messages: iterate. */
    PyObject *it = PyObject_GetIter(seq);
    if (it == NULL) {
        if (PyErr_ExceptionMatches(PyExc_TypeError)
            && Py_TYPE(seq)->tp_iter == NULL && !PySequence_Check(seq)) {
            PyErr_Clear();
            PyErr_Format(PyExc_TypeError,
                         "cannot unpack non-iterable %.200s object",
                         Py_TYPE(seq)->tp_name);
        }
        return -1;
    }
    Py_ssize_t i = 0;
    for (; i < n; i++) {
        PyObject *w = PyIter_Next(it);
        if (w == NULL) {
            if (!PyErr_Occurred()) {
                PyErr_Format(PyExc_ValueError,
                             "not enough values to unpack (expected %zd, got %zd)",
                             (Py_ssize_t)n, i);
            }
            goto fail;
        }
        slots[n - 1 - i] = w;
    }
    PyObject *extra = PyIter_Next(it);
    if (extra != NULL) {
        Py_DECREF(extra);
        PyErr_Format(PyExc_ValueError,
                     "too many values to unpack (expected %zd)", (Py_ssize_t)n);
        goto fail;
    }
    if (PyErr_Occurred()) {
        goto fail;
    }
    Py_DECREF(it);
    return 0;
fail:
    for (Py_ssize_t j = 0; j < i; j++) {
        Py_CLEAR(slots[n - 1 - j]);
    }
    Py_DECREF(it);
    return -1;
}

static PyObject *
jit_get_iter(PyObject *iterable)
{
    return PyObject_GetIter(iterable);
}

static PyObject *
jit_for_iter(PyThreadState *tstate, PyObject *iter)
{
    PyObject *next = (*Py_TYPE(iter)->tp_iternext)(iter);
    if (next != NULL) {
        return next;
    }
    if (_PyErr_Occurred(tstate)) {
        if (!_PyErr_ExceptionMatches(tstate, PyExc_StopIteration)) {
            return NULL;
        }
        if (tstate->c_tracefunc != NULL) {
            /* The interpreter reports the StopIteration to a tracer; we
             * are never traced (compiled code deoptimizes), so only
             * clear it. */
        }
        _PyErr_Clear(tstate);
    }
    return JIT_ITER_DONE;
}

static void
jit_store_deref(_PyInterpreterFrame *frame, intptr_t oparg, PyObject *value)
{
    PyObject *cell = frame->localsplus[oparg];
    PyObject *old = PyCell_GET(cell);
    PyCell_SET(cell, value);
    Py_XDECREF(old);
}

static PyObject *
jit_make_function(_PyInterpreterFrame *frame, intptr_t base, intptr_t flags)
{
    /* Slots from base: [defaults] [kwdefaults] [annotations] [closure]
     * code, in that order (those present per flags). */
    PyObject **slots = stack_slots(frame, base);
    int n = 1 + !!(flags & 0x01) + !!(flags & 0x02) + !!(flags & 0x04)
            + !!(flags & 0x08);
    PyObject *codeobj = slots[n - 1];
    PyFunctionObject *func = (PyFunctionObject *)
        PyFunction_New(codeobj, frame->f_globals);
    if (func == NULL) {
        clear_slots(slots, n);
        return NULL;
    }
    int i = n - 2;
    if (flags & 0x08) {
        func->func_closure = slots[i--];
    }
    if (flags & 0x04) {
        func->func_annotations = slots[i--];
    }
    if (flags & 0x02) {
        func->func_kwdefaults = slots[i--];
    }
    if (flags & 0x01) {
        func->func_defaults = slots[i--];
    }
    Py_DECREF(codeobj);
    return (PyObject *)func;
}

static PyObject *
jit_format_value(PyObject *value, PyObject *fmt_spec, intptr_t which)
{
    PyObject *conv = NULL;
    switch (which) {
    case 1: conv = PyObject_Str(value); break;
    case 2: conv = PyObject_Repr(value); break;
    case 3: conv = PyObject_ASCII(value); break;
    default: conv = Py_NewRef(value); break;
    }
    if (conv == NULL) {
        return NULL;
    }
    PyObject *res;
    if (PyUnicode_CheckExact(conv) && fmt_spec == NULL) {
        return conv;
    }
    res = PyObject_Format(conv, fmt_spec);
    Py_DECREF(conv);
    return res;
}

static intptr_t
jit_handle_pending(PyThreadState *tstate)
{
    return _PyEmber_HandlePending(tstate);
}

static void
jit_dealloc(PyObject *op)
{
    _Py_Dealloc(op);
}


/* op: 0 add, 1 sub, 2 mul; bit 4 (bit 5): the caller owns its reference
 * to a (b), a temporary it releases after the call.  An operand that is
 * such a temporary and has no other reference is reused for the result
 * (with a new reference, so the caller's release leaves exactly one)
 * instead of allocating a float. */
static PyObject *
jit_float_binary(PyObject *a, PyObject *b, intptr_t op)
{
    double x = PyFloat_AS_DOUBLE(a), y = PyFloat_AS_DOUBLE(b);
    double r;
    switch (op & 3) {
    case 0: r = x + y; break;
    case 1: r = x - y; break;
    default: r = x * y; break;
    }
    PyObject *reuse = NULL;
    if ((op & 0x10) && Py_REFCNT(a) == 1) {
        reuse = a;
    }
    else if ((op & 0x20) && Py_REFCNT(b) == 1) {
        reuse = b;
    }
    if (reuse != NULL) {
        ((PyFloatObject *)reuse)->ob_fval = r;
        return Py_NewRef(reuse);
    }
    return new_float(r);
}

static intptr_t
jit_float_compare(PyObject *a, PyObject *b, intptr_t op)
{
    double x = PyFloat_AS_DOUBLE(a), y = PyFloat_AS_DOUBLE(b);
    switch (op) {
    case Py_LT: return x < y;
    case Py_LE: return x <= y;
    case Py_EQ: return x == y;
    case Py_NE: return x != y;
    case Py_GT: return x > y;
    default: return x >= y;
    }
}

static intptr_t
jit_str_equal(PyObject *a, PyObject *b)
{
    return _PyUnicode_Equal(a, b);
}

static PyObject *
jit_box_int_into(intptr_t v, PyObject *tmp)
{
    /* A one-digit result, not a shared small int, into a one-digit int
     * that only the caller holds (it releases its reference after the
     * call, leaving the one returned here). */
    if (Py_REFCNT(tmp) == 1 && Py_TYPE(tmp) == &PyLong_Type
        && (v < -_PY_NSMALLNEGINTS || v >= _PY_NSMALLPOSINTS)
        && v >= -(intptr_t)PyLong_MASK && v <= (intptr_t)PyLong_MASK
        && (Py_SIZE(tmp) == 1 || Py_SIZE(tmp) == -1)) {
        set_digit((PyLongObject *)tmp, v);
        return Py_NewRef(tmp);
    }
    return new_int((long long)v);
}

static PyObject *
jit_box_int(intptr_t v)
{
    return new_int((long long)v);
}

static PyObject *
jit_call_ex(_PyInterpreterFrame *frame, intptr_t base, intptr_t flags)
{
    /* The builder checked that the arguments are a tuple and the keywords
     * (if any) a dict, as CALL_FUNCTION_EX has them after converting. */
    PyObject **slots = stack_slots(frame, base);
    PyObject *func = slots[1], *args = slots[2];
    PyObject *kwargs = (flags & 1) ? slots[3] : NULL;
    PyObject *res = PyObject_Call(func, args, kwargs);
    clear_slots(slots, 3 + (flags & 1));
    return res;
}

/* DICT_MERGE's errors, worded as the interpreter words them: a
 * non-mapping after **, or a keyword given twice. */
static void
merge_error(PyObject *func, PyObject *update)
{
    PyThreadState *tstate = _PyThreadState_GET();
    if (_PyErr_ExceptionMatches(tstate, PyExc_AttributeError)) {
        PyObject *name = _PyObject_FunctionStr(func);
        if (name != NULL) {
            _PyErr_Format(tstate, PyExc_TypeError,
                          "%U argument after ** must be a mapping, not %.200s",
                          name, Py_TYPE(update)->tp_name);
            Py_DECREF(name);
        }
        return;
    }
    if (!_PyErr_ExceptionMatches(tstate, PyExc_KeyError)) {
        return;
    }
    PyObject *type, *value, *tb;
    _PyErr_Fetch(tstate, &type, &value, &tb);
    if (value == NULL || !PyTuple_Check(value) || PyTuple_GET_SIZE(value) != 1) {
        _PyErr_Restore(tstate, type, value, tb);
        return;
    }
    PyObject *name = _PyObject_FunctionStr(func);
    if (name != NULL) {
        _PyErr_Format(tstate, PyExc_TypeError,
                      "%U got multiple values for keyword argument '%S'",
                      name, PyTuple_GET_ITEM(value, 0));
        Py_DECREF(name);
    }
    Py_XDECREF(type);
    Py_XDECREF(value);
    Py_XDECREF(tb);
}

static intptr_t
jit_dict_merge(PyObject *dict, PyObject *update, PyObject *func)
{
    if (_PyDict_MergeEx(dict, update, 2) < 0) {
        merge_error(func, update);
        return -1;
    }
    return 0;
}

static intptr_t
jit_dict_update(PyObject *dict, PyObject *update)
{
    if (PyDict_Update(dict, update) < 0) {
        if (PyErr_ExceptionMatches(PyExc_AttributeError)) {
            PyErr_Format(PyExc_TypeError, "'%.200s' object is not a mapping",
                         Py_TYPE(update)->tp_name);
        }
        return -1;
    }
    return 0;
}

static PyObject *
jit_len(PyObject *obj)
{
    Py_ssize_t n = PyObject_Length(obj);
    return n < 0 ? NULL : new_int(n);
}

/* RAISE_VARARGS: exc and cause are borrowed (the caller releases them
 * after the call, as its error exit does).  A bare raise with an exception
 * being handled re-raises it without a traceback entry for this frame,
 * which an error from compiled code always gets: the interpreter does that
 * one (NULL without an exception deoptimizes to the instruction). */
static PyObject *
jit_raise_varargs(PyThreadState *tstate, PyObject *exc, PyObject *cause,
                  intptr_t oparg)
{
    if (oparg == 0) {
        PyObject *handled = _PyErr_GetTopmostException(tstate)->exc_value;
        if (handled != NULL && !Py_IsNone(handled)) {
            return NULL;
        }
    }
    /* Returns 0 here (a re-raise was ruled out): the exception is set. */
    (void)_PyEmber_DoRaise(tstate, Py_XNewRef(exc), Py_XNewRef(cause));
    return NULL;
}

static intptr_t
jit_store_global(_PyInterpreterFrame *frame, PyObject *name, PyObject *value)
{
    return PyDict_SetItem(frame->f_globals, name, value);
}

static intptr_t
jit_delete_global(PyThreadState *tstate, _PyInterpreterFrame *frame,
                  PyObject *name)
{
    if (PyDict_DelItem(frame->f_globals, name) == 0) {
        return 0;
    }
    if (_PyErr_ExceptionMatches(tstate, PyExc_KeyError)) {
        _PyEmber_NameError(tstate, name);
    }
    return -1;
}

static intptr_t
jit_delete_deref(PyThreadState *tstate, _PyInterpreterFrame *frame,
                 intptr_t oparg)
{
    PyObject *cell = frame->localsplus[oparg];
    PyObject *old = PyCell_GET(cell);
    if (old == NULL) {
        _PyEmber_UnboundError(tstate, frame->f_code, (int)oparg);
        return -1;
    }
    PyCell_SET(cell, NULL);
    Py_DECREF(old);
    return 0;
}

static PyObject *
jit_import_name(PyThreadState *tstate, _PyInterpreterFrame *frame,
                PyObject *name, PyObject *fromlist, PyObject *level)
{
    return _PyEmber_ImportName(tstate, frame, name, fromlist, level);
}

static PyObject *
jit_import_from(PyThreadState *tstate, PyObject *module, PyObject *name)
{
    return _PyEmber_ImportFrom(tstate, module, name);
}

/* LOAD_BUILD_CLASS, with the interpreter's NameError when the builtins
 * have no __build_class__. */
static PyObject *
jit_load_build_class(PyThreadState *tstate, _PyInterpreterFrame *frame)
{
    PyObject *builtins = frame->f_builtins;
    PyObject *name = &_Py_ID(__build_class__);
    PyObject *bc;
    if (PyDict_CheckExact(builtins)) {
        bc = _PyDict_GetItemWithError(builtins, name);
        if (bc == NULL && !_PyErr_Occurred(tstate)) {
            _PyErr_SetString(tstate, PyExc_NameError,
                             "__build_class__ not found");
        }
        return Py_XNewRef(bc);
    }
    bc = PyObject_GetItem(builtins, name);
    if (bc == NULL && _PyErr_ExceptionMatches(tstate, PyExc_KeyError)) {
        _PyErr_SetString(tstate, PyExc_NameError, "__build_class__ not found");
    }
    return bc;
}

static intptr_t
jit_unpack_ex(PyThreadState *tstate, _PyInterpreterFrame *frame,
              intptr_t base, PyObject *seq, intptr_t oparg)
{
    /* before + 1 + after items, the first one in the highest slot. */
    int before = (int)(oparg & 0xFF), after = (int)(oparg >> 8);
    PyObject **top = stack_slots(frame, base) + before + 1 + after;
    return _PyEmber_UnpackIterable(tstate, seq, before, after, top) ? 0 : -1;
}

static PyObject *
jit_match_class(PyThreadState *tstate, PyObject *subject, PyObject *type,
                PyObject *names, intptr_t nargs)
{
    PyObject *attrs = _PyEmber_MatchClass(tstate, subject, type, nargs, names);
    if (attrs == NULL && !_PyErr_Occurred(tstate)) {
        return Py_NewRef(Py_None);      /* no match */
    }
    return attrs;
}

static PyObject *
jit_match_keys(PyThreadState *tstate, PyObject *subject, PyObject *keys)
{
    return _PyEmber_MatchKeys(tstate, subject, keys);
}

/* BEFORE_WITH on the frame's slots, as the interpreter's stack goes: the
 * manager is replaced by its bound __exit__ before __enter__ is called.
 * On failure nothing is left in the slots. */
static intptr_t
jit_before_with(PyThreadState *tstate, _PyInterpreterFrame *frame,
                intptr_t base)
{
    PyObject **slots = stack_slots(frame, base);
    PyObject *mgr = slots[0];
    PyObject *enter = _PyObject_LookupSpecial(mgr, &_Py_ID(__enter__));
    if (enter == NULL) {
        if (!_PyErr_Occurred(tstate)) {
            _PyErr_Format(tstate, PyExc_TypeError,
                          "'%.200s' object does not support the "
                          "context manager protocol", Py_TYPE(mgr)->tp_name);
        }
        Py_DECREF(mgr);
        return -1;
    }
    PyObject *exit = _PyObject_LookupSpecial(mgr, &_Py_ID(__exit__));
    if (exit == NULL) {
        if (!_PyErr_Occurred(tstate)) {
            _PyErr_Format(tstate, PyExc_TypeError,
                          "'%.200s' object does not support the "
                          "context manager protocol "
                          "(missed __exit__ method)", Py_TYPE(mgr)->tp_name);
        }
        Py_DECREF(enter);
        Py_DECREF(mgr);
        return -1;
    }
    slots[0] = exit;
    Py_DECREF(mgr);
    PyObject *res = _PyObject_CallNoArgs(enter);
    Py_DECREF(enter);
    if (res == NULL) {
        /* The interpreter's stack still holds __exit__ here; unwinding
         * releases it before any handler runs. */
        Py_DECREF(exit);
        return -1;
    }
    slots[1] = res;
    return 0;
}

/* GET_AITER, with the interpreter's messages. */
static PyObject *
jit_get_aiter(PyObject *obj)
{
    PyTypeObject *type = Py_TYPE(obj);
    unaryfunc getter = type->tp_as_async ? type->tp_as_async->am_aiter : NULL;
    if (getter == NULL) {
        PyErr_Format(PyExc_TypeError,
                     "'async for' requires an object with "
                     "__aiter__ method, got %.100s", type->tp_name);
        return NULL;
    }
    PyObject *iter = getter(obj);
    if (iter == NULL) {
        return NULL;
    }
    PyTypeObject *it = Py_TYPE(iter);
    if (it->tp_as_async == NULL || it->tp_as_async->am_anext == NULL) {
        PyErr_Format(PyExc_TypeError,
                     "'async for' received an object from __aiter__ "
                     "that does not implement __anext__: %.100s",
                     it->tp_name);
        Py_DECREF(iter);
        return NULL;
    }
    return iter;
}

static PyObject *
jit_get_yield_from_iter(_PyInterpreterFrame *frame, PyObject *iterable)
{
    /* GET_YIELD_FROM_ITER of a generator (the JIT compiles no coroutine
     * code): generators as they are, coroutines refused, else iter(). */
    if (PyCoro_CheckExact(iterable)) {
        if (!(frame->f_code->co_flags & (CO_ITERABLE_COROUTINE | CO_COROUTINE))) {
            PyErr_SetString(PyExc_TypeError,
                            "cannot 'yield from' a coroutine object "
                            "in a non-coroutine generator");
            return NULL;
        }
        return Py_NewRef(iterable);
    }
    if (PyGen_CheckExact(iterable)) {
        return Py_NewRef(iterable);
    }
    return PyObject_GetIter(iterable);
}

static intptr_t
jit_send(_PyInterpreterFrame *frame, intptr_t base)
{
    /* SEND without a tracer (compiled code never runs under one). */
    PyObject **slots = stack_slots(frame, base);
    PyObject *value = slots[1];
    PyObject *res;
    PySendResult status = PyIter_Send(slots[0], value, &res);
    Py_DECREF(value);
    slots[1] = NULL;
    if (status == PYGEN_ERROR) {
        return -1;
    }
    slots[1] = res;
    return status == PYGEN_RETURN;
}

#define jit_call_finish _PyJit_FinishDirect
#define jit_frame_pop _PyEmber_FrameClearAndPop
#define jit_finish_raw _PyJit_FinishDirect
#define jit_init_done _PyJit_InitDone

static PyObject *
jit_alloc_instance(PyTypeObject *tp)
{
    /* object.__new__'s own steps (3.11.2): allocate, then the inline
     * values of a class whose instances have them. */
    PyObject *obj = tp->tp_alloc(tp, 0);
    if (obj != NULL && _PyObject_InitializeDict(obj) < 0) {
        Py_DECREF(obj);
        return NULL;
    }
    return obj;
}


const JitHelperInfo JitHelpers[JitH_COUNT] = {
#define JIT_HELPER_INFO(name, kind, nargs) \
    {#name, (void *)jit_##name, JitHelper_##kind, nargs},
    JIT_HELPERS(JIT_HELPER_INFO)
#undef JIT_HELPER_INFO
};
