/* The run-time helpers that compiled code calls (Jit/helpers.c): C
 * functions doing one bytecode's work on Python objects, named in one
 * table so HIR prints them by name and the lowering finds their address.
 *
 * Data: the table JitHelpers (constant).
 *
 * Conventions: arguments are borrowed unless the helper's comment says it
 * steals them.  Helpers that take (frame, base, ...) work on the
 * interpreter frame's value stack slots from base (stack index, not
 * localsplus index) upwards, which compiled code writes before the call;
 * they consume (steal) those slots.  Kind OBJ helpers return a new
 * reference, NULL with an exception on failure; kind INT helpers return
 * -1 with an exception on failure; kind NONE helpers cannot fail.
 */
#ifndef EMBER_JIT_HELPERS_H
#define EMBER_JIT_HELPERS_H

#include "Python.h"

typedef enum { JitHelper_OBJ, JitHelper_INT, JitHelper_NONE } JitHelperKind;

/* name, kind, number of arguments */
#define JIT_HELPERS(X) \
    X(binary_op, OBJ, 3)        /* lhs, rhs, NB_* oparg */ \
    X(compare_op, OBJ, 3)       /* lhs, rhs, Py_LT.. */ \
    X(is_true, INT, 1)          /* 0/1 */ \
    X(unary, OBJ, 2)            /* v, opcode */ \
    X(contains, INT, 2)         /* container, item: 0/1 */ \
    X(load_attr_cached, OBJ, 3) /* owner, name, JitAttrCache* */ \
    X(store_attr_cached, INT, 4) /* owner, name, value, JitAttrCache* */ \
    X(load_method_cached, INT, 5) /* frame, base, owner, name, cache: \
                                   slots base, base+1 = (meth, self) or \
                                   (NULL, attr) */ \
    X(delete_attr, INT, 2)      /* owner, name */ \
    X(load_global, OBJ, 3)      /* tstate, frame, name */ \
    X(call_site, OBJ, 6)        /* tstate, frame, base, oparg, kwnames or \
                                   NULL, JitCallCache* or NULL */ \
    X(binary_subscr, OBJ, 2)    /* container, sub */ \
    X(dict_subscr, OBJ, 2)      /* exact dict, key: KeyError if missing */ \
    X(store_subscr, INT, 3)     /* container, sub, value */ \
    X(delete_subscr, INT, 2)    /* container, sub */ \
    X(build, OBJ, 4)            /* frame, base, n, opcode (BUILD_*) */ \
    X(list_append, INT, 2)      /* list, value */ \
    X(set_add, INT, 2)          /* set, value */ \
    X(map_add, INT, 3)          /* dict, key, value */ \
    X(list_extend, INT, 2)      /* list, iterable */ \
    X(set_update, INT, 2)       /* set, iterable */ \
    X(list_to_tuple, OBJ, 1)    /* list */ \
    X(unpack_sequence, INT, 4)  /* frame, base, seq, n: items to slots */ \
    X(get_iter, OBJ, 1)         /* iterable */ \
    X(for_iter, OBJ, 2)         /* tstate, iterator: next item, or \
                                   JIT_ITER_DONE, or NULL on error */ \
    X(store_deref, NONE, 3)     /* frame, oparg, value (stolen) */ \
    X(make_function, OBJ, 3)    /* frame, base, flags: slots from base */ \
    X(format_value, OBJ, 3)     /* value, fmt_spec or NULL, conversion */ \
    X(handle_pending, INT, 1)   /* tstate */ \
    X(dealloc, NONE, 1)         /* _Py_Dealloc */ \
    X(float_binary, OBJ, 3)     /* exact floats a, b, op (0 add 1 sub 2 mul) */ \
    X(float_compare, NONE, 3)   /* exact floats a, b, Py_LT..: 0/1 */ \
    X(str_equal, NONE, 2)       /* exact strs a, b: 0/1 */ \
    X(box_int, OBJ, 1)          /* a raw machine integer: a new int */ \
    X(box_int_into, OBJ, 2)     /* raw integer, an exact int that is the \
                                   caller's temporary: the int, written \
                                   into that one if nothing else holds it \
                                   (a new reference either way) */ \
    X(call_ex, OBJ, 3)          /* frame, base, flags: slots from base \
                                   [NULL, func, args tuple, kwargs dict] */ \
    X(dict_merge, INT, 3)       /* dict, update, func (for the message) */ \
    X(dict_update, INT, 2)      /* dict, update */ \
    X(len, OBJ, 1)              /* len(obj) as an int (also GET_LEN) */ \
    X(raise_varargs, OBJ, 4)    /* tstate, exc or NULL, cause or NULL, \
                                   oparg: always NULL, with the exception \
                                   to raise, or without one (deoptimize) \
                                   for a bare raise that re-raises */ \
    X(store_global, INT, 3)     /* frame, name, value */ \
    X(delete_global, INT, 3)    /* tstate, frame, name */ \
    X(delete_deref, INT, 3)     /* tstate, frame, oparg */ \
    X(import_name, OBJ, 5)      /* tstate, frame, name, fromlist, level */ \
    X(import_from, OBJ, 3)      /* tstate, module, name */ \
    X(load_build_class, OBJ, 2) /* tstate, frame: builtins.__build_class__ */ \
    X(unpack_ex, INT, 5)        /* tstate, frame, base, seq, oparg: items \
                                   and the starred list to slots */ \
    X(match_class, OBJ, 5)      /* tstate, subject, type, names, nargs: a \
                                   tuple of attributes or None */ \
    X(match_keys, OBJ, 3)       /* tstate, subject, keys: values or None */ \
    X(before_with, INT, 3)      /* tstate, frame, base: slot base [mgr] \
                                   (stolen) becomes [__exit__, result of \
                                   __enter__()] */ \
    X(get_aiter, OBJ, 1)        /* obj: its async iterator */ \
    X(get_yield_from_iter, OBJ, 2) /* frame, iterable: what yield from \
                                   iterates */ \
    X(send, INT, 2)             /* frame, base: slots [receiver, value]; \
                                   the value (consumed) sent; its slot gets \
                                   the result: 0 yielded, 1 returned */ \
    X(call_finish, OBJ, 2)      /* tstate, a direct call's frame whose \
                                   code returned NULL: run to its end by \
                                   the eval loop, then popped */ \
    X(frame_pop, NONE, 2)       /* tstate, a direct call's frame: cleared \
                                   and popped */ \
    X(finish_raw, NONE, 2)      /* call_finish, but NULL with an exception \
                                   is its result, not a failure */ \
    X(alloc_instance, OBJ, 1)   /* class: a new instance, as \
                                   object.__new__ makes it */ \
    X(init_done, OBJ, 2)        /* instance (stolen), __init__'s result or \
                                   NULL (stolen): the instance, or NULL \
                                   unless the result was None */

typedef enum {
#define JIT_HELPER_ENUM(name, kind, nargs) JitH_##name,
    JIT_HELPERS(JIT_HELPER_ENUM)
#undef JIT_HELPER_ENUM
    JitH_COUNT
} JitHelperId;

typedef struct {
    const char *name;
    void *addr;
    JitHelperKind kind;
    int nargs;
} JitHelperInfo;

extern const JitHelperInfo JitHelpers[JitH_COUNT];

/* for_iter's "exhausted" result (never a valid object address). */
#define JIT_ITER_DONE ((PyObject *)1)

#endif /* EMBER_JIT_HELPERS_H */
