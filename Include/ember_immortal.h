/* Immortal objects: how a reference count says "never free this".
 *
 * Owns the representation of immortality, nothing else.  Include/object.h
 * includes this file (patch 0002-immortal-objects) just before Py_INCREF,
 * so core code, stdlib modules and every extension built against Ember's
 * headers share it.  The heap walk that makes objects immortal is in
 * Python/ember_immortal.c; the design is in docs/immortal.md.
 *
 * An object is immortal when the top byte of its reference count is not
 * zero, that is when ob_refcnt >= 2**56 (or negative) on 64-bit builds.
 * Making an object immortal sets its count to _Py_IMMORTAL_REFCNT, 2**60.
 * Ember's Py_INCREF and Py_DECREF test that byte and leave an immortal
 * count alone, so they never write to an immortal object.
 *
 * Extension modules built against stock 3.11 headers increment and
 * decrement immortal counts as plain numbers.  Nothing they do can free or
 * corrupt the object: it would take 2**60 - 2**56 (about 10**18) more
 * decrements than increments to bring the count down to 2**56, and a count
 * that drifts stays immortal all the way (a drift never reaches zero).
 *
 * A mortal object would need 2**56 references (2**59 bytes of pointers) to
 * look immortal, which no 64-bit machine can hold.  On 32-bit builds the
 * top byte means 2**24 references; an object that really has that many
 * becomes immortal, that is, it leaks.
 */
#ifndef Py_EMBER_IMMORTAL_H
#define Py_EMBER_IMMORTAL_H
#ifdef __cplusplus
extern "C" {
#endif

#if SIZEOF_VOID_P > 4
#  define _Py_IMMORTAL_REFCNT ((Py_ssize_t)1 << 60)
#else
#  define _Py_IMMORTAL_REFCNT ((Py_ssize_t)1 << 30)
#endif

/* The byte of ob_refcnt that holds its highest bits.  Reading it through an
   unsigned char pointer is allowed by C's aliasing rules, and it compiles
   to one compare of memory with zero. */
#if PY_BIG_ENDIAN
#  define _Py_REFCNT_TOP_BYTE 0
#else
#  define _Py_REFCNT_TOP_BYTE (SIZEOF_SIZE_T - 1)
#endif

static inline int _Py_IsImmortal(PyObject *op)
{
    return ((const unsigned char *)&op->ob_refcnt)[_Py_REFCNT_TOP_BYTE] != 0;
}
#define _Py_IsImmortal(op) _Py_IsImmortal(_PyObject_CAST(op))

static inline void _Py_SetImmortal(PyObject *op)
{
    op->ob_refcnt = _Py_IMMORTAL_REFCNT;
}
#define _Py_SetImmortal(op) _Py_SetImmortal(_PyObject_CAST(op))

/* Code objects that gc.immortalize_heap() makes immortal get a count of
   their own, 2**60 + 2**58, so that the adaptive interpreter can tell them
   from code that is immortal from the start (deepfrozen modules): the
   former keep their specialization state to spare shared pages, the
   latter warm up and specialize as usual (patch 0005-shared-pages).  The
   threshold halfway leaves room for any drift.  Outside Py_BUILD_CORE
   too: internal/pycore_code.h uses it, and upstream's _opcode extension
   includes that header without defining Py_BUILD_CORE. */
#define _Py_SHARED_CODE_REFCNT (_Py_IMMORTAL_REFCNT + (_Py_IMMORTAL_REFCNT >> 2))
#define _Py_IsSharedCode(code) \
    (_PyObject_CAST(code)->ob_refcnt >= \
     _Py_IMMORTAL_REFCNT + (_Py_IMMORTAL_REFCNT >> 3))

#ifdef Py_BUILD_CORE
/* Reference counting of an object that is immortal in every Ember process
   (None, True, False): nothing to do, not even the test. */
#  define _Py_INCREF_IMMORTAL(op) ((void)(op))
#  define _Py_DECREF_IMMORTAL(op) ((void)(op))
#endif

/* Add n references at once (list and tuple repetition). */
static inline void _Py_RefcntAdd(PyObject *op, Py_ssize_t n)
{
    if (!_Py_IsImmortal(op)) {
        op->ob_refcnt += n;
    }
}
#define _Py_RefcntAdd(op, n) _Py_RefcntAdd(_PyObject_CAST(op), n)

#ifdef __cplusplus
}
#endif
#endif /* !Py_EMBER_IMMORTAL_H */
