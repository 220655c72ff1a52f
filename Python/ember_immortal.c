/* Heap immortalization: gc.immortalize_heap() and gc.is_immortal() (the
 * -X immortalize-heap start-up option is read by Python/ember_init.c).
 *
 * Owns the heap walk.  The representation of immortality is in
 * Include/ember_immortal.h; docs/immortal.md explains both.
 *
 * The walk starts from the roots: every object the collector tracks (after
 * a full collection, all of them moved to the permanent generation, as
 * gc.freeze() does), the interned strings, and the frames, exception state
 * and dict of every thread.  From each object it follows what tp_traverse
 * reports, plus the references that tp_traverse leaves out because they
 * cannot form cycles: dict keys, the contents of code objects (not tracked
 * in 3.11), the names of types, functions, modules and descriptors, and the
 * keys that a class shares with its instances' dicts.
 *
 * Afterwards the allocator's partly used pools are retired (patch
 * 0005-shared-pages), so objects created later do not fill their free
 * blocks, and immortal code objects keep their specialization state.
 *
 * Every object reached becomes immortal, except those whose type has a
 * finalizer (tp_finalize or tp_del: open files, sockets, generators,
 * classes with __del__): an immortal object is never freed, so its
 * finalizer would never run and, for a file, buffered data would be lost.
 * Those stay mortal; the walk still goes through them, remembering them in
 * a pointer set so that a cycle through them ends.  An object that is
 * already immortal is not entered again: its referents were reached when it
 * became immortal, or it is a static object that refers only to other
 * static objects, or a tracked container that is a root itself.
 */

#include "Python.h"
#include "pycore_code.h"          // _PyCode_CODE()
#include "pycore_dict.h"          // PyDictKeysObject
#include "pycore_frame.h"         // _PyInterpreterFrame
#include "pycore_gc.h"            // PyGC_Head
#include "pycore_hashtable.h"     // _Py_hashtable_t
#include "pycore_interp.h"        // PyInterpreterState.gc
#include "pycore_moduleobject.h"  // PyModuleObject
#include "pycore_object.h"
#include "pycore_pystate.h"       // _PyThreadState_GET()
#include "internal/ember_heap.h"

typedef struct {
    PyObject **items;             // objects made immortal, not yet entered
    size_t len, cap;
    _Py_hashtable_t *mortal;      // finalizable objects already reached
    Py_ssize_t made_immortal;
    int failed;                   // out of memory
} Walk;

static int
has_finalizer(PyTypeObject *tp)
{
    return tp->tp_finalize != NULL || tp->tp_del != NULL;
}

static void
push(Walk *w, PyObject *op)
{
    if (op == NULL || w->failed || _Py_IsImmortal(op)) {
        return;
    }
    if (has_finalizer(Py_TYPE(op))) {
        if (_Py_hashtable_get(w->mortal, op) != NULL) {
            return;
        }
        if (_Py_hashtable_set(w->mortal, op, op) < 0) {
            w->failed = 1;
            return;
        }
    }
    else {
        _Py_SetImmortal(op);
        if (PyCode_Check(op)) {
            /* It keeps its specialization state (Include/ember_immortal.h). */
            op->ob_refcnt = _Py_SHARED_CODE_REFCNT;
        }
        w->made_immortal++;
    }
    if (w->len == w->cap) {
        size_t cap = w->cap ? w->cap * 2 : 4096;
        PyObject **items = PyMem_RawRealloc(w->items, cap * sizeof(PyObject *));
        if (items == NULL) {
            w->failed = 1;
            return;
        }
        w->items = items;
        w->cap = cap;
    }
    w->items[w->len++] = op;
}

static int
visit(PyObject *op, void *arg)
{
    push((Walk *)arg, op);
    return 0;
}

/* The keys of a dict-keys table: the keys of a class's shared instance
   dicts, or of a dict.  Values are reached through their owner. */
static void
push_keys(Walk *w, PyDictKeysObject *keys)
{
    if (keys == NULL) {
        return;
    }
    Py_ssize_t n = keys->dk_nentries;
    if (keys->dk_kind == DICT_KEYS_GENERAL) {
        PyDictKeyEntry *entries = DK_ENTRIES(keys);
        for (Py_ssize_t i = 0; i < n; i++) {
            push(w, entries[i].me_key);
        }
    }
    else {
        PyDictUnicodeEntry *entries = DK_UNICODE_ENTRIES(keys);
        for (Py_ssize_t i = 0; i < n; i++) {
            push(w, entries[i].me_key);
        }
    }
}

static void
push_type_fields(Walk *w, PyTypeObject *tp)
{
    push(w, tp->tp_dict);
    push(w, tp->tp_bases);
    push(w, tp->tp_mro);
    push(w, (PyObject *)tp->tp_base);
    push(w, tp->tp_cache);
    push(w, tp->tp_subclasses);
    push(w, tp->tp_weaklist);
    if (tp->tp_flags & Py_TPFLAGS_HEAPTYPE) {
        PyHeapTypeObject *ht = (PyHeapTypeObject *)tp;
        push(w, ht->ht_name);
        push(w, ht->ht_qualname);
        push(w, ht->ht_slots);
        push(w, ht->ht_module);
        push_keys(w, ht->ht_cached_keys);
    }
}

static void
push_code_fields(Walk *w, PyCodeObject *co)
{
    push(w, co->co_consts);
    push(w, co->co_names);
    push(w, co->co_exceptiontable);
    push(w, co->co_localsplusnames);
    push(w, co->co_localspluskinds);
    push(w, co->co_filename);
    push(w, co->co_name);
    push(w, co->co_qualname);
    push(w, co->co_linetable);
    push(w, co->co_weakreflist);
    push(w, co->_co_code);
}

static int
is_descriptor(PyTypeObject *tp)
{
    return tp == &PyMethodDescr_Type || tp == &PyClassMethodDescr_Type
        || tp == &PyMemberDescr_Type || tp == &PyGetSetDescr_Type
        || tp == &PyWrapperDescr_Type;
}

/* Push what OP refers to. */
static void
enter(Walk *w, PyObject *op)
{
    PyTypeObject *tp = Py_TYPE(op);
    push(w, (PyObject *)tp);
    if (PyDict_Check(op)) {
        /* tp_traverse skips the keys of string-keyed dicts. */
        Py_ssize_t pos = 0;
        PyObject *key, *value;
        while (PyDict_Next(op, &pos, &key, &value)) {
            push(w, key);
            push(w, value);
        }
        if (PyDict_CheckExact(op)) {
            return;
        }
    }
    if (_PyObject_IS_GC(op) && tp->tp_traverse != NULL) {
        tp->tp_traverse(op, visit, w);
    }
    if (PyType_Check(op)) {
        push_type_fields(w, (PyTypeObject *)op);
    }
    else if (PyCode_Check(op)) {
        push_code_fields(w, (PyCodeObject *)op);
    }
    else if (PyModule_Check(op)) {
        push(w, ((PyModuleObject *)op)->md_name);
    }
    else if (is_descriptor(tp)) {
        push(w, ((PyDescrObject *)op)->d_name);
        push(w, ((PyDescrObject *)op)->d_qualname);
    }
}

static void
push_frames(Walk *w, PyThreadState *tstate)
{
    for (_PyInterpreterFrame *f = tstate->cframe->current_frame;
         f != NULL; f = f->previous)
    {
        push(w, (PyObject *)f->f_func);
        push(w, f->f_globals);
        push(w, f->f_builtins);
        push(w, f->f_locals);
        push(w, (PyObject *)f->f_code);
        push(w, (PyObject *)f->frame_obj);
        /* A running frame's stacktop is -1: only its locals are valid. */
        int n = f->stacktop >= 0 ? f->stacktop : f->f_code->co_nlocalsplus;
        for (int i = 0; i < n; i++) {
            push(w, f->localsplus[i]);
        }
    }
    for (_PyErr_StackItem *exc = tstate->exc_info; exc != NULL;
         exc = exc->previous_item)
    {
        push(w, exc->exc_value);
    }
    push(w, tstate->dict);
}

/* Move every tracked object into the permanent generation, as gc.freeze()
   does.  Collections never look at it again. */
static void
freeze_all(struct _gc_runtime_state *gcstate)
{
    PyGC_Head *perm = &gcstate->permanent_generation.head;
    for (int i = 0; i < NUM_GENERATIONS; i++) {
        PyGC_Head *from = &gcstate->generations[i].head;
        if (_PyGCHead_NEXT(from) == from) {
            continue;
        }
        PyGC_Head *perm_last = _PyGCHead_PREV(perm);
        PyGC_Head *first = _PyGCHead_NEXT(from);
        PyGC_Head *last = _PyGCHead_PREV(from);
        _PyGCHead_SET_NEXT(perm_last, first);
        _PyGCHead_SET_PREV(first, perm_last);
        _PyGCHead_SET_NEXT(last, perm);
        _PyGCHead_SET_PREV(perm, last);
        _PyGCHead_SET_NEXT(from, from);
        _PyGCHead_SET_PREV(from, from);
        gcstate->generations[i].count = 0;
    }
}

Py_ssize_t
_PyEmber_ImmortalizeHeap(PyThreadState *tstate)
{
    PyInterpreterState *interp = tstate->interp;
    struct _gc_runtime_state *gcstate = &interp->gc;

    if (gcstate->collecting) {
        PyErr_SetString(PyExc_RuntimeError,
                        "immortalize_heap() called during a garbage collection");
        return -1;
    }
    /* Garbage left in the young generations would live for ever. */
    PyObject *gc = PyImport_ImportModule("gc");
    if (gc == NULL) {
        return -1;
    }
    PyObject *res = PyObject_CallMethod(gc, "collect", NULL);
    Py_DECREF(gc);
    if (res == NULL) {
        return -1;
    }
    Py_DECREF(res);
    freeze_all(gcstate);

    Walk w = {0};
    w.mortal = _Py_hashtable_new(_Py_hashtable_hash_ptr,
                                 _Py_hashtable_compare_direct);
    if (w.mortal == NULL) {
        PyErr_NoMemory();
        return -1;
    }

    /* Roots are entered whether or not they are already immortal. */
    PyGC_Head *perm = &gcstate->permanent_generation.head;
    for (PyGC_Head *gc_head = _PyGCHead_NEXT(perm); gc_head != perm;
         gc_head = _PyGCHead_NEXT(gc_head))
    {
        PyObject *op = (PyObject *)(gc_head + 1);  /* the object after its header */
        push(&w, op);
        enter(&w, op);
    }
    if (_Py_IsMainInterpreter(interp)) {
        /* Interned strings are shared by all interpreters in 3.11. */
        push(&w, _PyUnicode_EmberInterned());
    }
    for (PyThreadState *t = interp->threads.head; t != NULL; t = t->next) {
        push_frames(&w, t);
    }
    while (w.len > 0 && !w.failed) {
        enter(&w, w.items[--w.len]);
    }

    PyMem_RawFree(w.items);
    _Py_hashtable_destroy(w.mortal);
#ifdef WITH_PYMALLOC
    /* New objects go to fresh pools, not into the free blocks of the pools
       that now hold immortal objects. */
    _PyObject_EmberRetireUsedPools();
#endif
    if (w.failed) {
        /* What was reached is immortal already, which is safe. */
        PyErr_NoMemory();
        return -1;
    }
    return w.made_immortal;
}

const char _PyEmber_gc_immortalize_heap__doc__[] =
"immortalize_heap($module, /)\n"
"--\n"
"\n"
"Make every object reachable from the interpreter immortal.\n"
"\n"
"Runs a full collection, moves every tracked object into the permanent\n"
"generation (as freeze() does), then marks immortal everything reachable\n"
"from the collector's objects, the interned strings and the threads'\n"
"frames. Immortal objects are never freed and their reference counts are\n"
"never written again, so processes forked afterwards keep sharing their\n"
"memory pages. Objects whose type has a finalizer (open files, generators,\n"
"classes with __del__) stay mortal so that their finalizers still run.\n"
"Returns the number of objects made immortal; a second call returns only\n"
"the newly reached ones.";

PyObject *
_PyEmber_gc_immortalize_heap(PyObject *module, PyObject *Py_UNUSED(noargs))
{
    Py_ssize_t n = _PyEmber_ImmortalizeHeap(_PyThreadState_GET());
    if (n < 0) {
        return NULL;
    }
    return PyLong_FromSsize_t(n);
}

const char _PyEmber_gc_is_immortal__doc__[] =
"is_immortal($module, obj, /)\n"
"--\n"
"\n"
"Return True if obj is immortal: never freed, its reference count never\n"
"written. sys.getrefcount() of an immortal object is 2**60.";

PyObject *
_PyEmber_gc_is_immortal(PyObject *module, PyObject *obj)
{
    return PyBool_FromLong(_Py_IsImmortal(obj));
}
