/* Heap immortalization: the declarations that upstream files call.
 *
 * Owns nothing; it names the functions of Python/ember_immortal.c that the
 * hooks of patch 0003-immortalize-heap call: the gc module's
 * is_immortal() and immortalize_heap(), the accessor for the interned
 * strings, and the heap walk itself, which Python/ember_init.c runs for
 * -X immortalize-heap.
 */
#ifndef Py_INTERNAL_EMBER_HEAP_H
#define Py_INTERNAL_EMBER_HEAP_H
#ifndef Py_BUILD_CORE
#  error "this header requires Py_BUILD_CORE define"
#endif

/* Make every object reachable from the interpreter's roots immortal (see
   Python/ember_immortal.c).  Returns the number of objects it made
   immortal, or -1 with an exception set. */
extern Py_ssize_t _PyEmber_ImmortalizeHeap(PyThreadState *tstate);

/* The gc module's functions (Modules/gcmodule.c lists them). */
extern PyObject *_PyEmber_gc_is_immortal(PyObject *module, PyObject *obj);
extern PyObject *_PyEmber_gc_immortalize_heap(PyObject *module, PyObject *noargs);
extern const char _PyEmber_gc_is_immortal__doc__[];
extern const char _PyEmber_gc_immortalize_heap__doc__[];

#define EMBER_GC_METHODS \
    {"is_immortal", _PyEmber_gc_is_immortal, METH_O, \
        _PyEmber_gc_is_immortal__doc__}, \
    {"immortalize_heap", _PyEmber_gc_immortalize_heap, METH_NOARGS, \
        _PyEmber_gc_immortalize_heap__doc__},

/* The dictionary of interned strings (Objects/unicodeobject.c keeps it in
   a file-static variable); borrowed, may be NULL. */
extern PyObject *_PyUnicode_EmberInterned(void);

/* Objects/obmalloc.c: take the partly used pools out of the allocator's
   lists, so new objects do not land on shared pages. */
extern void _PyObject_EmberRetireUsedPools(void);

#endif /* !Py_INTERNAL_EMBER_HEAP_H */
