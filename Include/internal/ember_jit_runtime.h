#ifndef EMBER_JIT_RUNTIME_H
#define EMBER_JIT_RUNTIME_H
/* The JIT's run time beyond the fixed interface of ember_jit.h: what
 * patch 0009-jit-hooks exports from Python/ceval.c, start-up of the
 * options, and what the _ember module reads (docs/jit.md).
 *
 * Data owned here: none.  Jit/options.c owns the option values below and
 * the list file's entries; Jit/runtime.c owns the per-code-object state
 * (in co_extra), the statistics and the compile failures.
 */
#ifndef Py_BUILD_CORE
#  error "this header requires Py_BUILD_CORE define"
#endif

#include "pycore_frame.h"
#include "internal/ember_jit.h"

/* ---- Exported by patch 0009-jit-hooks from Python/ceval.c (static
 * there): the eval loop's own frame push (consumes the references to func
 * and the arguments; NULL with an exception) and pop. */
extern _PyInterpreterFrame *_PyEmber_FramePushAndInit(
    PyThreadState *tstate, PyFunctionObject *func, PyObject *locals,
    PyObject *const *args, size_t argcount, PyObject *kwnames);
extern void _PyEmber_FrameClearAndPop(PyThreadState *tstate,
                                      _PyInterpreterFrame *frame);

/* ---- Also exported by patch 0009 (wrappers of static functions of
 * Python/ceval.c), for the helpers of the instructions that use them
 * (Jit/helpers.c); each does exactly what the eval loop's does. */
/* do_raise: exc and cause (either may be NULL) are stolen; 1 when it
 * re-raised the handled exception (bare raise), else 0 with the exception
 * to raise set. */
extern int _PyEmber_DoRaise(PyThreadState *tstate, PyObject *exc,
                            PyObject *cause);
/* unpack_iterable (UNPACK_EX): the items of v to sp[-1], sp[-2], ...;
 * 1, or 0 with an exception (nothing left in the slots). */
extern int _PyEmber_UnpackIterable(PyThreadState *tstate, PyObject *v,
                                   int argcnt, int argcntafter,
                                   PyObject **sp);
/* import_name (IMPORT_NAME) and import_from (IMPORT_FROM): new
 * references, NULL with an exception. */
extern PyObject *_PyEmber_ImportName(PyThreadState *tstate,
                                     _PyInterpreterFrame *frame,
                                     PyObject *name, PyObject *fromlist,
                                     PyObject *level);
extern PyObject *_PyEmber_ImportFrom(PyThreadState *tstate, PyObject *from,
                                     PyObject *name);
/* match_class (MATCH_CLASS): the tuple of attributes; NULL without an
 * exception when the subject does not match. */
extern PyObject *_PyEmber_MatchClass(PyThreadState *tstate,
                                     PyObject *subject, PyObject *type,
                                     Py_ssize_t nargs, PyObject *kwargs);
/* match_keys (MATCH_KEYS): a tuple of values or None; NULL with an
 * exception. */
extern PyObject *_PyEmber_MatchKeys(PyThreadState *tstate, PyObject *map,
                                    PyObject *keys);
/* The eval loop's NameError for a missing global (format_exc_check_arg
 * with NAME_ERROR_MSG), and its error for an unbound cell or free variable
 * (format_exc_unbound). */
extern void _PyEmber_NameError(PyThreadState *tstate, PyObject *name);
extern void _PyEmber_UnboundError(PyThreadState *tstate, PyCodeObject *co,
                                  int oparg);

/* The fast call of compiled code with exact positional arguments
 * (Jit/runtime.c): steals func and args when *handled is set. */
extern PyObject *_PyJit_CallCompiledExact(
    PyThreadState *tstate, PyFunctionObject *func, _PyJitCompiled *compiled,
    PyObject **args, Py_ssize_t nargs, int *handled);

/* A call site's cached fast path (Jit/runtime.c, for Jit/call_site.c):
 * steals func and args; the site checked func's shape when it cached it. */
extern PyObject *_PyJit_CallCachedExact(
    PyThreadState *tstate, PyFunctionObject *func, _PyJitCompiled *compiled,
    PyObject **args, Py_ssize_t nargs);

/* A call site's cached fast path with binding (Jit/runtime.c, for
 * Jit/call_site.c): args are total arguments, the last nkw of them
 * keyword arguments for the parameters kwmap names; parameters left out
 * take their defaults.  Steals func and args when *handled is set; with
 * *handled = 0 nothing was done (a keyword-only parameter without a
 * default, or tracing: the general path then). */
extern PyObject *_PyJit_CallCachedBound(
    PyThreadState *tstate, PyFunctionObject *func, _PyJitCompiled *compiled,
    PyObject **args, Py_ssize_t total, const uint8_t *kwmap, Py_ssize_t nkw,
    int *handled);

/* The slow end of a direct call that compiled code makes whose callee
 * returned NULL (Jit/runtime.c; Jit/helpers.c names it call_finish). */
extern PyObject *_PyJit_FinishDirect(PyThreadState *tstate,
                                     _PyInterpreterFrame *frame);

/* _PyJit_CallCompiled that steals func and the arguments (Jit/runtime.c). */
extern PyObject *_PyJit_CallCompiledStealing(
    PyThreadState *tstate, PyFunctionObject *func, _PyJitCompiled *compiled,
    PyObject *const *args, size_t nargsf, PyObject *kwnames);

/* Run a frame that _PyEval_Vector pushed: its compiled code if there is
 * some (Jit/runtime.c; patch 0009 calls it when the JIT is on). */
extern PyObject *_PyJit_EvalPushedFrame(PyThreadState *tstate,
                                        _PyInterpreterFrame *frame);

/* Run a generator's frame for gen_send_ex2 (not for throw()): its
 * compiled code directly when there is some (Jit/runtime.c; patch 0009
 * calls it when the JIT is on). */
extern PyObject *_PyJit_ResumeGenerator(PyThreadState *tstate,
                                        _PyInterpreterFrame *frame);

/* ---- Options beyond _PyJitOptions (Jit/options.c). */

/* Calls (plus loop back edges) after which a function is compiled:
 * 1000, 1 with -X jit-all or a list file, N with -X jit-auto=N. */
extern Py_ssize_t _PyJit_Threshold;
/* -X jit-stats: print statistics to stderr at exit. */
extern int _PyJit_PrintStats;
/* The largest function the compiler takes (Jit/compiler.c): at most this
 * many code units of bytecode and, once built, HIR instructions; 0: no
 * limit.  _PyJit_DEFAULT_MAX_SIZE, or N with -X jit-max-size=N. */
#define _PyJit_DEFAULT_MAX_SIZE 50000
extern Py_ssize_t _PyJit_MaxSize;
/* The entries of -X jit-list-file ("module:qualname" str objects), or
 * NULL when there is no list file (every function may compile). */
extern PyObject *_PyJit_ListEntries;

/* Start-up (Python/ember_init.c): parse -X jit* and PYTHONJIT*, read the
 * list file and switch the JIT on.  -1 after printing why an option is
 * bad (start-up then exits with status 2). */
extern int _PyJit_InitOptions(const PyConfig *config);

/* ---- Run time (Jit/runtime.c). */

/* Set up the per-code-object state (co_extra index) once the options
 * switched the JIT on.  -1 with an exception. */
extern int _PyJit_InitRuntime(void);

/* Compile func's code now, whatever its count and the list file say:
 * 1 compiled (now or before), 0 refused or the JIT is off, -1 with an
 * exception (the compiler's own error). */
extern int _PyJit_ForceCompile(PyFunctionObject *func);

/* Whether func's code has compiled code for func's globals. */
extern int _PyJit_IsCompiled(PyFunctionObject *func);

/* cinderjit.disable(): compiled code is no longer run, nothing more is
 * compiled or counted. */
extern void _PyJit_Disable(void);

/* New references: a list of the live code objects that have compiled
 * code; a dict "module:qualname" -> reason of the compile refusals and
 * failures; a dict of statistics (docs/jit.md). */
extern PyObject *_PyJit_GetCompiledCode(void);
extern PyObject *_PyJit_GetCompileFailures(void);
extern PyObject *_PyJit_GetStats(void);

/* Print the statistics to stderr (-X jit-stats, at exit). */
extern void _PyJit_DumpStats(void);

#endif /* EMBER_JIT_RUNTIME_H */
