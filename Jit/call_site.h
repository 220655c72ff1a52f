/* What compiled code's CALL sites do (Jit/call_site.c): the generic call
 * and each site's cache of the Python function it called last.
 *
 * Data: JitCallCache, one per CALL site without keyword arguments, owned
 * by the compiled code (a bytearray in its refs, like the attribute
 * caches of Jit/attr_cache.c).  It holds no references: see call_site.c.
 */
#ifndef EMBER_JIT_CALL_SITE_H
#define EMBER_JIT_CALL_SITE_H

#include "Python.h"
#include "pycore_frame.h"
#include "internal/ember_jit.h"

#define JIT_CALL_CACHE_SIZE 4
#define JIT_CALL_MAX_KW 8           /* keyword arguments a bound entry maps */
#define JIT_CALL_MAX_PARAMS 32      /* parameters of a bound entry's callee */

typedef struct {
    uint32_t version;           /* the callee's func_version; 0: empty */
    int32_t nargs;              /* the call's arguments, keywords included */
    _PyJitCompiled *compiled;   /* its compiled code */
    /* A class whose instances the site makes: its version tag (0: the
     * callee is a function) and its __init__, the callee above. */
    uint32_t type_version;
    PyFunctionObject *init;
    /* A function entry that binds (bind != 0): the site's keyword names
     * (a constant of the calling code; NULL for none) and the parameter
     * each keyword argument goes to; missing parameters take their
     * defaults.  bind == 0: the arguments are exactly the positional
     * parameters. */
    PyObject *kwnames;
    uint8_t bind;
    uint8_t kwmap[JIT_CALL_MAX_KW];
} JitCallEntry;

typedef struct {
    JitCallEntry e[JIT_CALL_CACHE_SIZE];
    int next;                   /* the entry to fill next (round robin) */
} JitCallCache;

/* CALL with oparg arguments (the last ones named by kwnames, or NULL) in
 * the frame's value stack slots from base (a stack index): [NULL or
 * method, callable or self, arguments...].  Consumes the slots.  cache is
 * the site's, or NULL.  A new reference, or NULL with an exception. */
PyObject *_PyJit_CallSite(PyThreadState *tstate, _PyInterpreterFrame *frame,
                          Py_ssize_t base, Py_ssize_t oparg,
                          PyObject *kwnames, JitCallCache *cache);

/* The end of making an instance: self (stolen) if res, what __init__
 * returned (stolen; NULL with an exception), is None; else NULL with the
 * exception type.__call__ raises. */
PyObject *_PyJit_InitDone(PyObject *self, PyObject *res);

/* BINARY_OP +, -, * and / (oparg NB_*) when the left operand's class is
 * a Python class whose method for it (__add__, ...) is a compiled Python
 * function and the right operand is of the same class, an int or a float:
 * that method entered directly, as the slot the class's operator calls
 * would.  NULL with an exception on failure; NULL without one when the
 * operands are not of that kind (nothing was called). */
PyObject *_PyJit_BinaryDunder(PyObject *lhs, PyObject *rhs, int oparg);

#endif /* EMBER_JIT_CALL_SITE_H */
