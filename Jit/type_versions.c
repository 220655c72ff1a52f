/* The map from type version to the live type that has it, for the JIT.
 *
 * The specializer's LOAD_METHOD caches keep a type version and a borrowed
 * pointer to the method found on that type; nothing keeps the type (or the
 * method) alive.  The interpreter only follows the pointer behind a check
 * that a live object's type has the version, so a dead type's entry is
 * harmless to it.  The JIT's builder reads caches at compile time, with no
 * object at hand: before it follows such a pointer it looks the version up
 * here, and then looks the method up on that live type.
 *
 * Data: one _Py_hashtable_t, version -> PyTypeObject * (borrowed), made on
 * the first version assigned.  Patch 0010-type-versions adds an entry when
 * assign_version_tag() gives a type a version and removes it before
 * PyType_Modified() or type_mro_modified() reset the version and when the
 * type is deallocated, so every entry names a live type.  Versions are
 * never reused, so an entry is never overwritten by another type.  Used
 * with the GIL held.
 */
#include "Python.h"
#include "pycore_hashtable.h"
#include "internal/ember_type_versions.h"

static _Py_hashtable_t *by_version = NULL;

static Py_uhash_t
hash_version(const void *key)
{
    return (Py_uhash_t)(uintptr_t)key;
}

static int
same_version(const void *a, const void *b)
{
    return a == b;
}

void
_PyEmber_TypeVersionAssigned(PyTypeObject *type)
{
    if (by_version == NULL) {
        _Py_hashtable_allocator_t alloc = {PyMem_RawMalloc, PyMem_RawFree};
        by_version = _Py_hashtable_new_full(hash_version, same_version,
                                            NULL, NULL, &alloc);
        if (by_version == NULL) {
            return;     /* the JIT then trusts no LOAD_METHOD cache */
        }
    }
    void *key = (void *)(uintptr_t)type->tp_version_tag;
    if (_Py_hashtable_set(by_version, key, type) < 0) {
        /* Out of memory: without an entry the version is unknown, which
           is safe (the builder does not use the cache). */
    }
}

void
_PyEmber_TypeVersionDropped(PyTypeObject *type)
{
    if (by_version == NULL || type->tp_version_tag == 0) {
        return;
    }
    void *key = (void *)(uintptr_t)type->tp_version_tag;
    if (_Py_hashtable_get(by_version, key) == type) {
        _Py_hashtable_steal(by_version, key);
    }
}

PyTypeObject *
_PyJit_TypeOfVersion(unsigned int version)
{
    if (by_version == NULL || version == 0) {
        return NULL;
    }
    PyTypeObject *type = _Py_hashtable_get(by_version,
                                           (void *)(uintptr_t)version);
    if (type == NULL || type->tp_version_tag != version
        || !(type->tp_flags & Py_TPFLAGS_VALID_VERSION_TAG)) {
        return NULL;
    }
    return type;
}
