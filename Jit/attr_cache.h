/* Polymorphic attribute caches of compiled call sites (Jit/attr_cache.c).
 *
 * Data: JitAttrCache, a few entries per site, owned by the compiled code.
 */
#ifndef EMBER_JIT_ATTR_CACHE_H
#define EMBER_JIT_ATTR_CACHE_H

#include "Python.h"

#define JIT_ATTR_CACHE_SIZE 4

typedef struct {
    uint32_t version;       /* the type's version tag */
    int kind;               /* attr_cache.c: KIND_* */
    Py_ssize_t where;       /* index of the inline values, or byte offset */
    PyObject *descr;        /* the method (borrowed; see attr_cache.c) */
    uint32_t keys_version;  /* methods: the shared keys' version, or 0 */
} JitAttrEntry;

typedef struct {
    JitAttrEntry e[JIT_ATTR_CACHE_SIZE];
    int next;
} JitAttrCache;

PyObject *_PyJit_LoadAttrCached(PyObject *owner, PyObject *name,
                                JitAttrCache *cache);
int _PyJit_StoreAttrCached(PyObject *owner, PyObject *name, PyObject *value,
                           JitAttrCache *cache);
/* slots[0], slots[1] = (method, self) or (NULL, attribute). */
int _PyJit_LoadMethodCached(PyObject **slots, PyObject *owner,
                            PyObject *name, JitAttrCache *cache);

#endif /* EMBER_JIT_ATTR_CACHE_H */
