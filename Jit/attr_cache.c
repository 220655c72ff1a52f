/* Polymorphic attribute caches: what the JIT's attribute and method
 * helpers remember per call site when the interpreter's one-type inline
 * cache is not enough (a method of a base class that runs on instances of
 * several subclasses: every subclass has its own type version).
 *
 * Data: a JitAttrCache is a few entries, each a type version and how to
 * find the attribute on instances of that type: at an index of the inline
 * values (instances with a managed dict), at a byte offset (a __slots__
 * member), or a method found on the type.  The compiled code owns the
 * cache memory (a bytearray in its refs list, Jit/hir_builder.c); entries
 * hold no references: a type version changes whenever its type is
 * modified and is never reused, so an entry can only match while what it
 * describes is there.
 */
#include "Python.h"
#include "pycore_dict.h"
#include "pycore_object.h"
#include "structmember.h"
#include "attr_cache.h"

enum { KIND_EMPTY, KIND_VALUE, KIND_SLOT, KIND_METHOD };

/* The version tag of tp, or 0 if it has none. */
static uint32_t
version_of(PyTypeObject *tp)
{
    if (!_PyType_HasFeature(tp, Py_TPFLAGS_VALID_VERSION_TAG)) {
        return 0;
    }
    return tp->tp_version_tag;
}

static JitAttrEntry *
find(JitAttrCache *cache, uint32_t version)
{
    for (int i = 0; i < JIT_ATTR_CACHE_SIZE; i++) {
        if (cache->e[i].version == version && cache->e[i].kind != KIND_EMPTY) {
            return &cache->e[i];
        }
    }
    return NULL;
}

static void
remember(JitAttrCache *cache, uint32_t version, int kind, Py_ssize_t where,
         PyObject *descr, uint32_t keys_version)
{
    /* Round robin over the entries once they are full. */
    JitAttrEntry *e = &cache->e[cache->next];
    cache->next = (cache->next + 1) % JIT_ATTR_CACHE_SIZE;
    e->version = version;
    e->kind = kind;
    e->where = where;
    e->descr = descr;
    e->keys_version = keys_version;
}

/* How instances of tp hold attribute name, if a cache entry can say:
 * KIND_VALUE with the index in the shared keys, KIND_SLOT with the
 * offset, or KIND_EMPTY. */
static int
analyze(PyTypeObject *tp, PyObject *name, Py_ssize_t *where, int for_store)
{
    if (!PyUnicode_CheckExact(name)) {
        return KIND_EMPTY;
    }
    if (for_store ? tp->tp_setattro != PyObject_GenericSetAttr
                  : tp->tp_getattro != PyObject_GenericGetAttr) {
        return KIND_EMPTY;
    }
    PyObject *descr = _PyType_Lookup(tp, name);
    if (descr == NULL) {
        if (!(tp->tp_flags & Py_TPFLAGS_MANAGED_DICT)) {
            return KIND_EMPTY;
        }
        PyDictKeysObject *keys = ((PyHeapTypeObject *)tp)->ht_cached_keys;
        if (keys == NULL) {
            return KIND_EMPTY;
        }
        Py_ssize_t index = _PyDictKeys_StringLookup(keys, name);
        if (index < 0) {
            return KIND_EMPTY;
        }
        *where = index;
        return KIND_VALUE;
    }
    if (Py_IS_TYPE(descr, &PyMemberDescr_Type)) {
        PyMemberDef *m = ((PyMemberDescrObject *)descr)->d_member;
        if (m->type == T_OBJECT_EX && !(for_store && (m->flags & READONLY))) {
            *where = m->offset;
            return KIND_SLOT;
        }
    }
    return KIND_EMPTY;
}

PyObject *
_PyJit_LoadAttrCached(PyObject *owner, PyObject *name, JitAttrCache *cache)
{
    PyTypeObject *tp = Py_TYPE(owner);
    uint32_t version = version_of(tp);
    if (version != 0) {
        JitAttrEntry *e = find(cache, version);
        if (e != NULL) {
            PyObject *v = NULL;
            if (e->kind == KIND_VALUE) {
                PyDictValues *values = *_PyObject_ValuesPointer(owner);
                if (values != NULL) {
                    v = values->values[e->where];
                }
            }
            else if (e->kind == KIND_SLOT) {
                v = *(PyObject **)((char *)owner + e->where);
            }
            if (v != NULL) {
                return Py_NewRef(v);
            }
            return PyObject_GetAttr(owner, name);
        }
    }
    PyObject *res = PyObject_GetAttr(owner, name);
    if (res != NULL && version_of(tp) != 0) {
        Py_ssize_t where;
        int kind = analyze(tp, name, &where, 0);
        if (kind != KIND_EMPTY) {
            remember(cache, version_of(tp), kind, where, NULL, 0);
        }
    }
    return res;
}

int
_PyJit_StoreAttrCached(PyObject *owner, PyObject *name, PyObject *value,
                       JitAttrCache *cache)
{
    PyTypeObject *tp = Py_TYPE(owner);
    uint32_t version = version_of(tp);
    if (version != 0) {
        JitAttrEntry *e = find(cache, version);
        if (e != NULL && e->kind == KIND_VALUE) {
            PyDictValues *values = *_PyObject_ValuesPointer(owner);
            if (values != NULL) {
                /* As STORE_ATTR_INSTANCE_VALUE: a new attribute goes at
                 * the end of the values' insertion order. */
                PyObject *old = values->values[e->where];
                values->values[e->where] = Py_NewRef(value);
                if (old == NULL) {
                    _PyDictValues_AddToInsertionOrder(values, e->where);
                }
                else {
                    Py_DECREF(old);
                }
                return 0;
            }
        }
        else if (e != NULL && e->kind == KIND_SLOT) {
            PyObject **addr = (PyObject **)((char *)owner + e->where);
            PyObject *old = *addr;
            *addr = Py_NewRef(value);
            Py_XDECREF(old);
            return 0;
        }
    }
    int res = PyObject_SetAttr(owner, name, value);
    if (res == 0 && version_of(tp) != 0 && (version == 0 || find(cache, version) == NULL)) {
        Py_ssize_t where;
        int kind = analyze(tp, name, &where, 1);
        if (kind != KIND_EMPTY) {
            remember(cache, version_of(tp), kind, where, NULL, 0);
        }
    }
    return res;
}

int
_PyJit_LoadMethodCached(PyObject **slots, PyObject *owner, PyObject *name,
                        JitAttrCache *cache)
{
    PyTypeObject *tp = Py_TYPE(owner);
    uint32_t version = version_of(tp);
    if (version != 0) {
        JitAttrEntry *e = find(cache, version);
        if (e != NULL && e->kind == KIND_METHOD) {
            /* The instance must not shadow the method: no dict of its own
             * (the shared keys, checked when the entry was made, do not
             * have the name). */
            if (!(tp->tp_flags & Py_TPFLAGS_MANAGED_DICT)
                || (*_PyObject_ManagedDictPointer(owner) == NULL
                    && ((PyHeapTypeObject *)tp)->ht_cached_keys->dk_version
                       == e->keys_version)) {
                slots[0] = Py_NewRef(e->descr);
                slots[1] = Py_NewRef(owner);
                return 0;
            }
        }
    }
    PyObject *meth = NULL;
    int found = _PyObject_GetMethod(owner, name, &meth);
    if (meth == NULL) {
        return -1;
    }
    if (found) {
        slots[0] = meth;
        slots[1] = Py_NewRef(owner);
        /* Remember a method found on the type that no instance of it can
         * shadow (as the interpreter's LOAD_METHOD_NO_DICT / _WITH_VALUES
         * specializations require). */
        uint32_t v = version_of(tp);
        if (v != 0 && find(cache, v) == NULL && PyUnicode_CheckExact(name)
            && tp->tp_getattro == PyObject_GenericGetAttr
            && _PyType_Lookup(tp, name) == meth) {
            int ok = 0;
            uint32_t kv = 0;
            if (tp->tp_dictoffset == 0 && !(tp->tp_flags & Py_TPFLAGS_MANAGED_DICT)) {
                ok = 1;
            }
            else if (tp->tp_flags & Py_TPFLAGS_MANAGED_DICT) {
                /* Shared keys that may gain the name change version. */
                PyDictKeysObject *keys = ((PyHeapTypeObject *)tp)->ht_cached_keys;
                if (keys != NULL && _PyDictKeys_StringLookup(keys, name) < 0) {
                    kv = _PyDictKeys_GetVersionForCurrentState(keys);
                    ok = kv != 0;
                }
            }
            if (ok) {
                remember(cache, v, KIND_METHOD, 0, meth, kv);
            }
        }
    }
    else {
        slots[0] = NULL;
        slots[1] = meth;
    }
    return 0;
}
