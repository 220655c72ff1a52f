/* Eager evaluation of awaited coroutines (docs/eager.md).
 *
 * Data owned here: _PyEmber_EagerCoro, the process-wide switch, and what
 * an eager frame carries: its ember_eager flag and the exception state in
 * the slots after its value stack (ember_eager.h).
 *
 * An awaited call of an `async def` function is run at once, in the frame
 * the eval loop pushed for the call, instead of creating a coroutine object
 * at RETURN_GENERATOR.  Three ways out:
 *   - it returns: the value goes to the caller, which continues after its
 *     await (no coroutine object ever existed);
 *   - an exception leaves it: the caller sees it at its SEND, as if the
 *     coroutine's send() had raised it;
 *   - it suspends (YIELD_VALUE): the frame moves into a new coroutine
 *     object, suspended there, and the caller goes on exactly as if it had
 *     created that coroutine, awaited it, and received the yielded value.
 */
#include "Python.h"
#include "pycore_ceval.h"         // _Py_MakeCoro()
#include "pycore_frame.h"
#include "pycore_genobject.h"
#include "pycore_pyerrors.h"      // _PyErr_FormatFromCause()
#include "pycore_pystate.h"
#include "frameobject.h"
#include "pycore_opcode.h"        // _PyOpcode_Deopt

#include "internal/ember_eager.h"
#include "internal/ember_init.h"

int _PyEmber_EagerCoro = 0;

/* The caller's SEND of the await the eager frame's result goes to. */
static inline _Py_CODEUNIT *
await_send(_PyInterpreterFrame *caller)
{
    return caller->prev_instr + _PyEmber_AWAIT_SEND;
}

int
_PyEmber_EagerStart(PyThreadState *tstate, _PyInterpreterFrame *frame)
{
    int kind = frame->f_code->co_flags & (CO_GENERATOR | CO_COROUTINE
                                          | CO_ASYNC_GENERATOR
                                          | CO_ITERABLE_COROUTINE);
    if (kind != CO_COROUTINE) {
        return 0;
    }
    /* Under a tracer or profiler, or with origins tracked, the coroutine is
       created at the call as usual, so events and cr_origin are the base's. */
    if (tstate->cframe->use_tracing
        || tstate->coroutine_origin_tracking_depth != 0) {
        return 0;
    }
    /* Awaited at once: CALL (its caches), GET_AWAITABLE, LOAD_CONST None,
       SEND.  Anything else (an EXTENDED_ARG too) keeps the base's way. */
    _Py_CODEUNIT *site = frame->previous->prev_instr;
    if (_Py_OPCODE(site[1]) != GET_AWAITABLE
        || _PyOpcode_Deopt[_Py_OPCODE(site[2])] != LOAD_CONST
        || _Py_OPCODE(site[3]) != SEND) {
        return 0;
    }
    /* Like a coroutine's own exception state, pushed for as long as the
       frame runs. */
    _PyErr_StackItem *exc = _PyEmber_EagerExcItem(frame);
    exc->exc_value = NULL;
    exc->previous_item = tstate->exc_info;
    tstate->exc_info = exc;
    frame->ember_eager = 1;
    return 1;
}

static inline void
pop_exc_state(PyThreadState *tstate, _PyInterpreterFrame *frame)
{
    _PyErr_StackItem *exc = _PyEmber_EagerExcItem(frame);
    assert(tstate->exc_info == exc);
    tstate->exc_info = exc->previous_item;
    Py_CLEAR(exc->exc_value);
    frame->ember_eager = 0;     /* a frame object may keep a copy */
}

void
_PyEmber_EagerReturn(PyThreadState *tstate, _PyInterpreterFrame *frame)
{
    pop_exc_state(tstate, frame);
    /* SEND jumps by its argument to the instruction after the await loop,
       which takes the awaited value from the top of the stack. */
    _PyInterpreterFrame *caller = frame->previous;
    _Py_CODEUNIT *send = await_send(caller);
    caller->prev_instr = send + _Py_OPARG(*send);
}

void
_PyEmber_EagerUnwind(PyThreadState *tstate, _PyInterpreterFrame *frame)
{
    pop_exc_state(tstate, frame);
    if (_PyErr_ExceptionMatches(tstate, PyExc_StopIteration)) {
        _PyErr_FormatFromCause(PyExc_RuntimeError,
                               "coroutine raised StopIteration");
    }
    _PyInterpreterFrame *caller = frame->previous;
    caller->prev_instr = await_send(caller);
}

PyObject *
_PyEmber_EagerSuspend(PyThreadState *tstate, _PyInterpreterFrame *frame)
{
    PyGenObject *coro = (PyGenObject *)_Py_MakeCoro(frame->f_func);
    if (coro == NULL) {
        return NULL;
    }
    _PyErr_StackItem *exc = _PyEmber_EagerExcItem(frame);
    assert(tstate->exc_info == exc);
    tstate->exc_info = exc->previous_item;
    coro->gi_exc_state.exc_value = exc->exc_value;     /* moved */
    exc->exc_value = NULL;

    _PyInterpreterFrame *caller = frame->previous;
    _PyInterpreterFrame *coro_frame = (_PyInterpreterFrame *)coro->gi_iframe;
    _PyFrame_Copy(frame, coro_frame);                  /* references move */
    coro_frame->ember_eager = 0;
    coro_frame->owner = FRAME_OWNED_BY_GENERATOR;
    if (coro_frame->frame_obj != NULL) {
        coro_frame->frame_obj->f_frame = coro_frame;
    }
    coro->gi_frame_state = FRAME_SUSPENDED;

    /* The caller has awaited the coroutine and received the value: it
       stands at its YIELD_VALUE. */
    caller->prev_instr = await_send(caller);
    return (PyObject *)coro;
}


/* -X eager-coro and PYTHONEAGERCORO. */

int
_PyEmber_EagerCoroInit(const PyConfig *config)
{
    int on = _PyEmber_BoolOption(config, L"eager-coro", "PYTHONEAGERCORO");
    if (on < 0) {
        return -1;
    }
    _PyEmber_EagerCoro = on;
    return 0;
}
