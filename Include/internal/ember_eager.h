#ifndef EMBER_EAGER_H
#define EMBER_EAGER_H
/* Eager evaluation of awaited coroutines: the hooks that patch
 * 0007-eager-coroutines puts into the eval loop, and the switch.
 *
 * Data owned here: _PyEmber_EagerCoro, the process-wide switch (-X
 * eager-coro, PYTHONEAGERCORO, _ember.set_eager_coro()), and in each eager
 * frame its ember_eager flag and the _PyErr_StackItem kept in the
 * _PyEmber_FRAME_EXTRA slots after its value stack.  docs/eager.md
 * explains the whole mechanism.
 *
 * The await site.  `await f(x)` compiles to CALL, GET_AWAITABLE, LOAD_CONST
 * None, SEND, YIELD_VALUE, RESUME, JUMP_BACKWARD_NO_INTERRUPT; the caller's
 * prev_instr points at CALL's last cache entry while the callee runs, so
 * the three code units after it tell whether the call is awaited at once.
 */
#ifndef Py_BUILD_CORE
#  error "this header requires Py_BUILD_CORE define"
#endif

#include "pycore_frame.h"

extern int _PyEmber_EagerCoro;

/* Offsets from the caller's prev_instr (CALL's last cache entry). */
#define _PyEmber_AWAIT_SEND 3

/* The exception state of an eager frame, in the slots after its stack. */
static inline _PyErr_StackItem *
_PyEmber_EagerExcItem(_PyInterpreterFrame *frame)
{
    PyCodeObject *code = frame->f_code;
    return (_PyErr_StackItem *)&frame->localsplus[code->co_nlocalsplus
                                                  + code->co_stacksize];
}

/* At RETURN_GENERATOR of a frame the eval loop called inline: 1 after
   making it an eager frame (it then runs on, with None pushed as the first
   sent value), 0 to create the coroutine object as usual. */
extern int _PyEmber_EagerStart(PyThreadState *tstate,
                               _PyInterpreterFrame *frame);

/* At RETURN_VALUE of an eager frame, before the frame is popped: restore
   the exception state and make the caller continue after its await. */
extern void _PyEmber_EagerReturn(PyThreadState *tstate,
                                 _PyInterpreterFrame *frame);

/* When an exception leaves an eager frame, before the frame is popped:
   what the coroutine's send() would have done (StopIteration becomes
   RuntimeError), and the caller sees the error at its SEND, as it would
   have. */
extern void _PyEmber_EagerUnwind(PyThreadState *tstate,
                                 _PyInterpreterFrame *frame);

/* At YIELD_VALUE of an eager frame, whose stack pointer is saved with the
   yielded value popped: move the frame into a new coroutine object,
   suspended at this yield, and leave the caller at its YIELD_VALUE as if
   its SEND had received the value from that coroutine.  Returns the
   coroutine (a new reference); the caller pushes it and the value.  NULL
   with an exception set if the coroutine cannot be created; the frame is
   then untouched. */
extern PyObject *_PyEmber_EagerSuspend(PyThreadState *tstate,
                                       _PyInterpreterFrame *frame);

/* Start-up: read -X eager-coro and PYTHONEAGERCORO.  -1 after printing
   why the setting is bad. */
extern int _PyEmber_EagerCoroInit(const PyConfig *config);

#endif /* EMBER_EAGER_H */
