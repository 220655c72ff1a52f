/* The HIR builder: a code object's quickened bytecode → HIR (Jit/hir.h).
 *
 * It interprets the bytecode abstractly, block by block in bytecode order,
 * with a model of the interpreter's value stack: each entry is an SSA value
 * and whether the stack owns a reference to it (LOAD_FAST and LOAD_CONST
 * push borrowed entries; an entry borrowed from a local becomes owned
 * before that local is overwritten).  At a bytecode block with several
 * predecessors or a backward jump into it, every stack slot becomes a phi
 * and all entries are owned.  Blocks that no path reaches (exception
 * handlers: they only run in the interpreter after an error) are not built.
 *
 * The specialized instructions of the adaptive interpreter are the type
 * profile: LOAD_ATTR_INSTANCE_VALUE, LOAD_GLOBAL_MODULE/BUILTIN,
 * BINARY_OP_*_INT and COMPARE_OP_INT_JUMP become guards and direct code;
 * everything else calls a helper (Jit/helpers.h).  An instruction the JIT
 * does not handle becomes Deopt: the function still compiles and the
 * interpreter takes over when that instruction is reached.  Every
 * instruction of a plain function's normal path is handled; what is left
 * belongs to exception handlers (never built), generators and class or
 * module bodies (never compiled).
 *
 * Data: the builder's state (BuildState) lives for one JitHir_Build call;
 * what it creates belongs to the JitHir.
 */
#include "Python.h"
#include "pycore_code.h"
#include "pycore_dict.h"
#include "pycore_frame.h"
#include "pycore_function.h"
#include "pycore_interp.h"
#include "pycore_long.h"
#include "pycore_object.h"
#include "pycore_opcode.h"
#include "pycore_runtime.h"         // _Py_ID
#include "internal/ember_jit.h"
#include "internal/ember_jit_runtime.h"
#include "internal/ember_type_versions.h"
#include "hir.h"
#include "helpers.h"
#include "attr_cache.h"
#include "call_site.h"
#include "lir.h"

#include <stddef.h>

/* Owned: 0 borrowed, 1 owned, 2 owned but possibly NULL. */
typedef struct {
    int value;
    unsigned char owned;
    short origin;           /* local a borrowed entry came from, or -1 */
} Entry;

typedef struct {
    int from_block;         /* HIR block the edge leaves */
    Entry *stack;
    int depth;
} Edge;

typedef struct {
    int start, end;         /* code units [start, end) */
    int hir_block;          /* -1 until reached */
    int npreds;             /* static count (every jump and fall-through) */
    int backward_target;
    int needs_phis;
    int reached;
    int built;
    int depth;
    Entry *entry;           /* the stack at entry once known */
    int *phis;              /* phi instructions' values, depth of them */
    Edge *pending;          /* edges recorded before it was built */
    int npending, pending_cap;
} BcBlock;

typedef struct {
    JitHir *hir;
    PyCodeObject *co;
    _Py_CODEUNIT *code;
    int ncode;
    int nlocalsplus;
    BcBlock *blocks;
    int nblocks;
    int *block_of;          /* code unit -> block index starting there, or -1 */
    Entry *stack;
    int sp;
    int tstate_v, frame_v;
    int null_v;
    int kwnames;            /* co_consts index from KW_NAMES, or -1 */
    /* current instruction */
    int ins_start, ins_at, next;
    int failed;             /* out of memory or inconsistent */
    int first;              /* code unit after RESUME: compiled code starts */
    int precall;            /* the opcode of the last PRECALL, as quickened */
    int arg_never_deleted[256];
    /* Generators: the resume points compiled so far, each the RESUME
     * after a YIELD_VALUE (its code unit) and the HIR block that enters
     * there, reloading the value stack from the frame. */
    int nresumes;
    struct { int at, landing; } *resumes;
    /* What the inline caches said recent values were when compiling (a
     * LOAD_GLOBAL's global, a LOAD_METHOD's method), as a profile for the
     * CALL that follows: never a guarantee (borrowed, ring of HINTS). */
#define HINTS 8
    struct { int value; PyObject *obj; } hints[HINTS];
    int nhints;
} BuildState;

#define FAIL(st, ...) do { \
        if (!(st)->failed) { \
            snprintf((st)->hir->error, sizeof((st)->hir->error), __VA_ARGS__); \
        } \
        (st)->failed = 1; \
    } while (0)

/* ---- instruction decoding */

typedef struct {
    int start, at, next;    /* start incl. EXTENDED_ARG, opcode unit, next */
    int opcode;             /* as quickened */
    int base;               /* _PyOpcode_Deopt */
    int oparg;
} Ins;

static int
decode(BuildState *st, int i, Ins *ins)
{
    ins->start = i;
    int oparg = 0;
    int op = _Py_OPCODE(st->code[i]);
    while (_PyOpcode_Deopt[op] == EXTENDED_ARG) {
        oparg = (oparg << 8) | _Py_OPARG(st->code[i]);
        i++;
        if (i >= st->ncode) {
            return -1;
        }
        op = _Py_OPCODE(st->code[i]);
    }
    ins->at = i;
    ins->opcode = op;
    ins->base = _PyOpcode_Deopt[op];
    ins->oparg = (oparg << 8) | _Py_OPARG(st->code[i]);
    ins->next = i + 1 + _PyOpcode_Caches[ins->base];
    return 0;
}

static int
is_cond_jump(int op)
{
    switch (op) {
    case POP_JUMP_FORWARD_IF_TRUE: case POP_JUMP_FORWARD_IF_FALSE:
    case POP_JUMP_FORWARD_IF_NONE: case POP_JUMP_FORWARD_IF_NOT_NONE:
    case POP_JUMP_BACKWARD_IF_TRUE: case POP_JUMP_BACKWARD_IF_FALSE:
    case POP_JUMP_BACKWARD_IF_NONE: case POP_JUMP_BACKWARD_IF_NOT_NONE:
    case JUMP_IF_TRUE_OR_POP: case JUMP_IF_FALSE_OR_POP:
    case FOR_ITER: case SEND:
        return 1;
    }
    return 0;
}

static int
is_uncond_jump(int op)
{
    return op == JUMP_FORWARD || op == JUMP_BACKWARD
           || op == JUMP_BACKWARD_NO_INTERRUPT;
}

static int
is_backward(int op)
{
    switch (op) {
    case JUMP_BACKWARD: case JUMP_BACKWARD_NO_INTERRUPT:
    case POP_JUMP_BACKWARD_IF_TRUE: case POP_JUMP_BACKWARD_IF_FALSE:
    case POP_JUMP_BACKWARD_IF_NONE: case POP_JUMP_BACKWARD_IF_NOT_NONE:
        return 1;
    }
    return 0;
}

static int
jump_target(const Ins *ins)
{
    return is_backward(ins->base) ? ins->next - ins->oparg
                                  : ins->next + ins->oparg;
}

static int
is_terminator(int op)
{
    return op == RETURN_VALUE || op == RAISE_VARARGS || op == RERAISE
           || op == YIELD_VALUE || is_uncond_jump(op);
}

/* ---- blocks */

static int
find_blocks(BuildState *st)
{
    int n = st->ncode;
    char *starts = PyMem_RawCalloc(n + 1, 1);
    st->block_of = PyMem_RawMalloc((n + 1) * sizeof(int));
    if (starts == NULL || st->block_of == NULL) {
        PyMem_RawFree(starts);
        return -1;
    }
    starts[0] = 1;
    starts[st->first] = 1;
    Ins ins;
    for (int i = 0; i < n; i = ins.next) {
        if (decode(st, i, &ins) < 0) {
            PyMem_RawFree(starts);
            FAIL(st, "truncated EXTENDED_ARG");
            return -1;
        }
        if (is_cond_jump(ins.base) || is_uncond_jump(ins.base)) {
            int t = jump_target(&ins);
            if (t < 0 || t > n) {
                PyMem_RawFree(starts);
                FAIL(st, "jump target out of range");
                return -1;
            }
            starts[t] = 1;
        }
        if ((is_cond_jump(ins.base) || is_terminator(ins.base))
            && ins.next < n) {
            starts[ins.next] = 1;
        }
    }
    int nb = 0;
    for (int i = 0; i < n; i++) {
        nb += starts[i];
    }
    st->blocks = PyMem_RawCalloc(nb, sizeof(BcBlock));
    if (st->blocks == NULL) {
        PyMem_RawFree(starts);
        return -1;
    }
    int b = -1;
    for (int i = 0; i <= n; i++) {
        st->block_of[i] = -1;
    }
    /* Starts must be at instruction boundaries: walk instructions. */
    for (int i = 0; i < n; i = ins.next) {
        decode(st, i, &ins);
        if (starts[i]) {
            b++;
            st->blocks[b].start = i;
            st->blocks[b].hir_block = -1;
            st->block_of[i] = b;
        }
        st->blocks[b].end = ins.next;
    }
    st->nblocks = b + 1;
    /* Predecessor counts. */
    for (int k = 0; k < st->nblocks; k++) {
        BcBlock *bl = &st->blocks[k];
        int last = -1;
        for (int i = bl->start; i < bl->end; i = ins.next) {
            decode(st, i, &ins);
            last = i;
        }
        decode(st, last, &ins);
        if (is_cond_jump(ins.base) || is_uncond_jump(ins.base)) {
            int t = st->block_of[jump_target(&ins)];
            if (t < 0) {
                PyMem_RawFree(starts);
                FAIL(st, "jump into the middle of an instruction");
                return -1;
            }
            st->blocks[t].npreds++;
            if (is_backward(ins.base)) {
                st->blocks[t].backward_target = 1;
            }
        }
        if (!is_terminator(ins.base) && k + 1 < st->nblocks) {
            st->blocks[k + 1].npreds++;
        }
    }
    for (int k = 0; k < st->nblocks; k++) {
        st->blocks[k].needs_phis = st->blocks[k].npreds > 1
                                   || st->blocks[k].backward_target;
    }
    PyMem_RawFree(starts);
    return 0;
}

/* ---- emitting */

static JitHirInstr *
emit(BuildState *st, JitHirOp op, int nargs, const int *args)
{
    if (st->failed) {
        return NULL;
    }
    JitHirInstr *in = JitHir_Emit(st->hir, op, nargs, args);
    if (in == NULL) {
        FAIL(st, "out of memory");
    }
    return in;
}

/* A value-producing instruction with up to 3 args; its value or -1. */
static int
emit_v(BuildState *st, JitHirOp op, int64_t imm, int nargs, int a0, int a1,
       int a2)
{
    int args[3] = {a0, a1, a2};
    JitHirInstr *in = emit(st, op, nargs, args);
    if (in == NULL) {
        return -1;
    }
    in->imm = imm;
    return in->value;
}

static void
emit_0(BuildState *st, JitHirOp op, int64_t imm, int nargs, int a0, int a1)
{
    int args[2] = {a0, a1};
    JitHirInstr *in = emit(st, op, nargs, args);
    if (in != NULL) {
        in->imm = imm;
    }
}

static int
const_obj(BuildState *st, PyObject *obj)
{
    return emit_v(st, JitHir_Const, (int64_t)(uintptr_t)obj, 0, 0, 0, 0);
}

static int
imm(BuildState *st, int64_t v)
{
    return emit_v(st, JitHir_Imm, v, 0, 0, 0, 0);
}

/* Keep obj alive as long as the compiled code (a site cache's memory: it
 * must refer to nothing that could lead back to the code). */
static void
keep(BuildState *st, PyObject *obj)
{
    if (!st->failed && PyList_Append(st->hir->refs, obj) < 0) {
        PyErr_Clear();
        FAIL(st, "out of memory");
    }
}

static int
is_null_value(BuildState *st, int v)
{
    JitHirInstr *in = st->hir->values[v];
    return in->op == JitHir_Const && in->imm == 0;
}

static void
push(BuildState *st, int v, int owned, int origin)
{
    if (st->sp >= st->co->co_stacksize) {
        FAIL(st, "value stack overflow");
        return;
    }
    st->stack[st->sp].value = v;
    st->stack[st->sp].owned = (unsigned char)owned;
    st->stack[st->sp].origin = (short)origin;
    st->sp++;
}

static Entry
pop(BuildState *st)
{
    if (st->sp <= 0) {
        FAIL(st, "value stack underflow");
        Entry e = {st->null_v, 2, -1};
        return e;
    }
    return st->stack[--st->sp];
}

static void
own(BuildState *st, Entry *e)
{
    if (!e->owned) {
        if (!is_null_value(st, e->value)) {
            emit_0(st, JitHir_Incref, 0, 1, e->value, 0);
        }
        e->owned = 1;
        e->origin = -1;
    }
}

static void
release(BuildState *st, Entry e)
{
    if (e.owned == 1) {
        emit_0(st, JitHir_Decref, 0, 1, e.value, 0);
    }
    else if (e.owned == 2) {
        emit_0(st, JitHir_XDecref, 0, 1, e.value, 0);
    }
}

/* A frame state for the current instruction; the top nconsumed entries
 * are its inputs. */
static JitFrameState *
frame_state(BuildState *st, int nconsumed)
{
    if (st->failed) {
        return NULL;
    }
    JitFrameState *fs = JitHir_NewFrameState(st->sp);
    if (fs == NULL) {
        FAIL(st, "out of memory");
        return NULL;
    }
    fs->resume_at = st->ins_start;
    fs->error_at = st->ins_at;
    fs->nconsumed = nconsumed;
    for (int i = 0; i < st->sp; i++) {
        fs->stack[i] = st->stack[i].value;
        fs->owned[i] = st->stack[i].owned;
    }
    return fs;
}

static void
attach_fs(BuildState *st, JitHirInstr *in, int nconsumed, int kind)
{
    if (in != NULL) {
        in->fs = frame_state(st, nconsumed);
        in->deopt_kind = kind;
    }
}

/* Call helper h with args; the top nconsumed stack entries are its inputs
 * (still on the model stack).  Returns the result value. */
static int
call_helper(BuildState *st, JitHelperId h, int nargs, const int *args,
            int nconsumed, int deopt_on_null)
{
    JitHirInstr *in = emit(st, JitHir_CallHelper, nargs, args);
    if (in == NULL) {
        return -1;
    }
    in->imm = h;
    in->imm2 = deopt_on_null;
    attach_fs(st, in, nconsumed, _PyJitDeopt_GuardValue);
    return in->value;
}

/* An 8-byte StoreField of v at base + off. */
static void
store_word(BuildState *st, int base, int64_t off, int v)
{
    int args[2] = {base, v};
    JitHirInstr *in = emit(st, JitHir_StoreField, 2, args);
    if (in != NULL) {
        in->imm = off;
        in->imm2 = 8;
    }
}

static void
hint(BuildState *st, int v, PyObject *obj)
{
    st->hints[st->nhints % HINTS].value = v;
    st->hints[st->nhints % HINTS].obj = obj;
    st->nhints++;
}

static PyObject *
hint_of(BuildState *st, int v)
{
    for (int i = 0; i < HINTS && i < st->nhints; i++) {
        if (st->hints[i].value == v) {
            return st->hints[i].obj;
        }
    }
    return NULL;
}

/* The offset in the frame of value stack slot idx. */
static int64_t
slot_offset(BuildState *st, int idx)
{
    return (int64_t)(offsetof(_PyInterpreterFrame, localsplus)
                     + sizeof(PyObject *) * (st->nlocalsplus + idx));
}

/* Write the top n entries (owned) to their frame stack slots for a helper
 * that consumes slots; they leave the model stack.  Returns the base. */
static int
flush_top(BuildState *st, int n)
{
    int base = st->sp - n;
    for (int i = base; i < st->sp; i++) {
        Entry *e = &st->stack[i];
        if (e->owned == 0 && !is_null_value(st, e->value)) {
            own(st, e);
        }
        int off = (int)(offsetof(_PyInterpreterFrame, localsplus)
                        + sizeof(PyObject *) * (st->nlocalsplus + i));
        store_word(st, st->frame_v, off, e->value);
    }
    return base;
}

/* The top n entries of an instruction's frame state fs are consumed by
 * the time it can fail (taken by a helper or a callee's frame, or
 * released): its error exit must neither release nor write them. */
static void
mark_consumed(JitFrameState *fs, int n)
{
    for (int i = fs ? fs->depth - n : 0; fs && i < fs->depth; i++) {
        fs->owned[i] = 0;
    }
}

/* The frame state of the instruction defining value v (NULL if none). */
static JitFrameState *
fs_of(BuildState *st, int v)
{
    return v >= 0 ? st->hir->values[v]->fs : NULL;
}

/* A helper on frame slots: the inputs are consumed by it. */
static int
slot_helper(BuildState *st, JitHelperId h, int nargs, const int *args, int n)
{
    int v = call_helper(st, h, nargs, args, n, 0);
    mark_consumed(fs_of(st, v), n);
    st->sp -= n;
    return v;
}

static int
load_slot(BuildState *st, int idx)
{
    int off = (int)(offsetof(_PyInterpreterFrame, localsplus)
                    + sizeof(PyObject *) * (st->nlocalsplus + idx));
    JitHirInstr *in;
    int args[1] = {st->frame_v};
    in = emit(st, JitHir_LoadField, 1, args);
    if (in == NULL) {
        return -1;
    }
    in->imm = off;
    in->imm2 = 8;
    return in->value;
}

static void
deopt_here(BuildState *st, int kind)
{
    JitHirInstr *in = emit(st, JitHir_Deopt, 0, NULL);
    attach_fs(st, in, 0, kind);
}

/* The entry borrowed from local i must not outlive its overwrite. */
static void
own_borrowed_from(BuildState *st, int local)
{
    for (int i = 0; i < st->sp; i++) {
        if (st->stack[i].owned == 0 && st->stack[i].origin == local) {
            own(st, &st->stack[i]);
        }
    }
}

/* ---- edges and phis */

static void
record_edge(BuildState *st, int target_block)
{
    if (st->failed) {
        return;
    }
    BcBlock *t = &st->blocks[target_block];
    if (t->needs_phis) {
        for (int i = 0; i < st->sp; i++) {
            own(st, &st->stack[i]);
        }
    }
    int from = st->hir->cur;
    if (t->built) {
        /* A back edge: add phi inputs. */
        if (t->depth != st->sp) {
            FAIL(st, "stack depth mismatch at a loop header");
            return;
        }
        for (int i = 0; i < st->sp; i++) {
            JitHirInstr *phi = st->hir->values[t->phis[i]];
            JitPhiIn *ni = PyMem_RawRealloc(phi->phi_in,
                                            (phi->nphi_in + 1) * sizeof(JitPhiIn));
            if (ni == NULL) {
                FAIL(st, "out of memory");
                return;
            }
            phi->phi_in = ni;
            ni[phi->nphi_in].block = from;
            ni[phi->nphi_in].value = st->stack[i].value;
            phi->nphi_in++;
        }
    }
    else {
        if (t->reached && t->depth != st->sp) {
            FAIL(st, "stack depth mismatch at a join");
            return;
        }
        t->reached = 1;
        t->depth = st->sp;
        if (t->npending == t->pending_cap) {
            int cap = t->pending_cap ? t->pending_cap * 2 : 4;
            Edge *ne = PyMem_RawRealloc(t->pending, cap * sizeof(Edge));
            if (ne == NULL) {
                FAIL(st, "out of memory");
                return;
            }
            t->pending = ne;
            t->pending_cap = cap;
        }
        Edge *e = &t->pending[t->npending++];
        e->from_block = from;
        e->depth = st->sp;
        e->stack = PyMem_RawMalloc((st->sp + 1) * sizeof(Entry));
        if (e->stack == NULL) {
            FAIL(st, "out of memory");
            return;
        }
        memcpy(e->stack, st->stack, st->sp * sizeof(Entry));
    }
    if (t->hir_block < 0) {
        t->hir_block = JitHir_NewBlock(st->hir);
        if (t->hir_block < 0) {
            FAIL(st, "out of memory");
            return;
        }
        st->hir->blocks[t->hir_block].bc_start = t->start;
    }
    JitHirInstr *j = emit(st, JitHir_Jump, 0, NULL);
    if (j != NULL) {
        j->target = t->hir_block;
    }
}

/* Branch on raw value cond to two new HIR blocks, *bt if non-zero, else
 * *bf.  -1 if out of memory (the build has failed). */
static int
branch_new(BuildState *st, int cond, int *bt, int *bf)
{
    *bt = JitHir_NewBlock(st->hir);
    *bf = JitHir_NewBlock(st->hir);
    if (*bt < 0 || *bf < 0) {
        FAIL(st, "out of memory");
        return -1;
    }
    JitHirInstr *br = emit(st, JitHir_Branch, 1, &cond);
    if (br == NULL) {
        return -1;
    }
    br->target = *bt;
    br->target2 = *bf;
    return 0;
}

/* Branch on raw value cond: to bytecode block t_true if non-zero, else
 * t_false; before each edge, run the stack adjustments the caller
 * describes by the pop counts (entries popped and released). */
static void
branch_to(BuildState *st, int cond, int bc_true, int pop_true, int bc_false,
          int pop_false)
{
    int bt, bf;
    if (st->failed || branch_new(st, cond, &bt, &bf) < 0) {
        return;
    }
    Entry *saved = PyMem_RawMalloc((st->sp + 1) * sizeof(Entry));
    if (saved == NULL) {
        FAIL(st, "out of memory");
        return;
    }
    int saved_sp = st->sp;
    memcpy(saved, st->stack, st->sp * sizeof(Entry));
    st->hir->cur = bt;
    for (int i = 0; i < pop_true; i++) {
        release(st, pop(st));
    }
    record_edge(st, bc_true);
    memcpy(st->stack, saved, saved_sp * sizeof(Entry));
    st->sp = saved_sp;
    st->hir->cur = bf;
    for (int i = 0; i < pop_false; i++) {
        release(st, pop(st));
    }
    record_edge(st, bc_false);
    PyMem_RawFree(saved);
}

/* Enter bytecode block k: set up its HIR block and the stack. */
static int
enter_block(BuildState *st, int k)
{
    BcBlock *bl = &st->blocks[k];
    if (!bl->reached) {
        return 0;
    }
    st->hir->cur = bl->hir_block;
    st->sp = bl->depth;
    if (bl->needs_phis) {
        bl->phis = PyMem_RawCalloc(bl->depth + 1, sizeof(int));
        if (bl->phis == NULL) {
            FAIL(st, "out of memory");
            return 0;
        }
        for (int i = 0; i < bl->depth; i++) {
            JitHirInstr *phi = emit(st, JitHir_Phi, 0, NULL);
            if (phi == NULL) {
                return 0;
            }
            phi->phi_in = PyMem_RawCalloc(bl->npending + 1, sizeof(JitPhiIn));
            if (phi->phi_in == NULL) {
                FAIL(st, "out of memory");
                return 0;
            }
            for (int p = 0; p < bl->npending; p++) {
                phi->phi_in[p].block = bl->pending[p].from_block;
                phi->phi_in[p].value = bl->pending[p].stack[i].value;
            }
            phi->nphi_in = bl->npending;
            bl->phis[i] = phi->value;
            st->stack[i].value = phi->value;
            st->stack[i].owned = 1;
            st->stack[i].origin = -1;
        }
    }
    else {
        if (bl->npending != 1) {
            FAIL(st, "block with one predecessor has %d edges", bl->npending);
            return 0;
        }
        memcpy(st->stack, bl->pending[0].stack, bl->depth * sizeof(Entry));
    }
    bl->built = 1;
    return 1;
}

/* ---- instructions */

static _Py_CODEUNIT *
cache_of(BuildState *st, const Ins *ins)
{
    return &st->code[ins->at + 1];
}

static uint32_t
read32(const _Py_CODEUNIT *p)
{
    uint32_t v;
    memcpy(&v, p, sizeof(v));
    return v;
}

static int
field(BuildState *st, int base, int64_t off, int size)
{
    int args[1] = {base};
    JitHirInstr *in = emit(st, JitHir_LoadField, 1, args);
    if (in == NULL) {
        return -1;
    }
    in->imm = off;
    in->imm2 = size;
    return in->value;
}

static void
guard(BuildState *st, JitHirOp op, int v, int64_t what, int kind)
{
    int args[1] = {v};
    JitHirInstr *in = emit(st, op, 1, args);
    if (in != NULL) {
        in->imm = what;
        attach_fs(st, in, 0, kind);
    }
}

/* A site's cache of size bytes (an attribute cache, a call cache): a
 * zeroed bytearray that the compiled code keeps in its refs; its address
 * as an immediate, or 0 if out of memory (then the site is generic). */
static int
new_site_cache(BuildState *st, size_t size)
{
    PyObject *buf = PyByteArray_FromStringAndSize(NULL, (Py_ssize_t)size);
    if (buf == NULL) {
        PyErr_Clear();
        FAIL(st, "out of memory");
        return imm(st, 0);
    }
    memset(PyByteArray_AS_STRING(buf), 0, size);
    keep(st, buf);
    Py_DECREF(buf);
    return imm(st, (int64_t)(uintptr_t)PyByteArray_AS_STRING(buf));
}

#define new_attr_cache(st) new_site_cache((st), sizeof(JitAttrCache))

/* The generic attribute operations, through the site's cache. */
static int
generic_load_attr(BuildState *st, Entry owner, PyObject *name, int cache)
{
    int args[3] = {owner.value, const_obj(st, name), cache};
    return call_helper(st, JitH_load_attr_cached, 3, args, 1, 0);
}

static void
generic_store_attr(BuildState *st, Entry owner, Entry value, PyObject *name,
                   int cache)
{
    int args[4] = {owner.value, const_obj(st, name), value.value, cache};
    call_helper(st, JitH_store_attr_cached, 4, args, 2, 0);
}

/* ---- fast paths with a generic fallback
 *
 * A specialization from the inline caches is a fast path whose checks
 * branch to a slow block that does the generic thing (a helper), so a
 * site that sees other types does not deoptimize; both paths meet in a
 * join block where their results become phis.  The model stack is not
 * changed before the join, so frame states in either path are right. */

static int
new_block(BuildState *st)
{
    int b = JitHir_NewBlock(st->hir);
    if (b < 0) {
        FAIL(st, "out of memory");
    }
    return b;
}

/* Go on in a new block if raw cond is non-zero, else to block slow. */
static void
check(BuildState *st, int cond, int slow)
{
    JitHirInstr *c = cond >= 0 ? st->hir->values[cond] : NULL;
    if (c != NULL && c->op == JitHir_Imm && c->imm != 0) {
        return;     /* known at compile time to hold */
    }
    int cont = new_block(st);
    JitHirInstr *br = emit(st, JitHir_Branch, 1, &cond);
    if (br == NULL || cont < 0) {
        return;
    }
    br->target = cont;
    br->target2 = slow;
    st->hir->cur = cont;
}

static void
jump(BuildState *st, int target)
{
    JitHirInstr *j = emit(st, JitHir_Jump, 0, NULL);
    if (j != NULL) {
        j->target = target;
    }
}

/* A phi of n inputs: values[i] from block blocks[i].  Its value, or -1. */
static int
phi_n(BuildState *st, int n, const int *blocks, const int *values)
{
    JitHirInstr *phi = emit(st, JitHir_Phi, 0, NULL);
    if (phi == NULL) {
        return -1;
    }
    phi->phi_in = PyMem_RawCalloc(n, sizeof(JitPhiIn));
    if (phi->phi_in == NULL) {
        FAIL(st, "out of memory");
        return -1;
    }
    for (int i = 0; i < n; i++) {
        phi->phi_in[i].block = blocks[i];
        phi->phi_in[i].value = values[i];
    }
    phi->nphi_in = n;
    return phi->value;
}

static int
phi2(BuildState *st, int b1, int v1, int b2, int v2)
{
    int blocks[2] = {b1, b2}, values[2] = {v1, v2};
    return phi_n(st, 2, blocks, values);
}

typedef struct {
    int slow;           /* the slow block */
    int fast_end;       /* the block the fast path ended in */
    int join;
} Split;

static void
split_begin(BuildState *st, Split *sp)
{
    sp->slow = new_block(st);
    sp->join = new_block(st);
    sp->fast_end = -1;
}

static int raw_bin(BuildState *st, JitLirOp op, int a, int b);

/* End the fast path, start the slow one, which counts itself in the
 * code's slow_hits (the recompilation policy, Jit/runtime.c). */
static void
split_slow(BuildState *st, Split *sp)
{
    sp->fast_end = st->hir->cur;
    jump(st, sp->join);
    st->hir->cur = sp->slow;
    if (st->hir->slow_hits != NULL) {
        int c = imm(st, (int64_t)(uintptr_t)st->hir->slow_hits);
        store_word(st, c, 0, raw_bin(st, JitLirOp_Add, field(st, c, 0, 8),
                                     imm(st, 1)));
    }
}

/* End the slow path; values fast[i] / slow[i] become phis out[i]. */
static void
split_join(BuildState *st, Split *sp, int n, const int *fast, const int *slow,
           int *out)
{
    int slow_end = st->hir->cur;
    jump(st, sp->join);
    st->hir->cur = sp->join;
    for (int i = 0; i < n; i++) {
        out[i] = phi2(st, sp->fast_end, fast[i], slow_end, slow[i]);
    }
}

/* The value of an Imm, in *out; 0 if v is not one. */
static int
imm_of(BuildState *st, int v, int64_t *out)
{
    JitHirInstr *d = st->hir->values[v];
    if (d->op != JitHir_Imm) {
        return 0;
    }
    *out = d->imm;
    return 1;
}

static int
raw_cmp(BuildState *st, JitLirCond cond, int a, int b)
{
    int64_t x, y;
    if (imm_of(st, a, &x) && imm_of(st, b, &y)) {
        uint64_t ux = (uint64_t)x, uy = (uint64_t)y;
        int r;
        switch (cond) {
        case JitLirCond_EQ: r = x == y; break;
        case JitLirCond_NE: r = x != y; break;
        case JitLirCond_LT: r = x < y; break;
        case JitLirCond_LE: r = x <= y; break;
        case JitLirCond_GT: r = x > y; break;
        case JitLirCond_GE: r = x >= y; break;
        case JitLirCond_ULT: r = ux < uy; break;
        case JitLirCond_ULE: r = ux <= uy; break;
        case JitLirCond_UGT: r = ux > uy; break;
        default: r = ux >= uy; break;
        }
        return imm(st, r);
    }
    return emit_v(st, JitHir_RawCmp, cond, 2, a, b, 0);
}

static int
raw_bin(BuildState *st, JitLirOp op, int a, int b)
{
    int64_t x, y;
    if (imm_of(st, a, &x) && imm_of(st, b, &y)
        && x > -(1 << 30) && x < (1 << 30) && y > -(1 << 30) && y < (1 << 30)) {
        /* Compact int values: no overflow in any of these. */
        switch (op) {
        case JitLirOp_Add: return imm(st, x + y);
        case JitLirOp_Sub: return imm(st, x - y);
        case JitLirOp_Mul: return imm(st, x * y);
        case JitLirOp_And: return imm(st, x & y);
        case JitLirOp_Or: return imm(st, x | y);
        case JitLirOp_Xor: return imm(st, x ^ y);
        default: break;
        }
    }
    return emit_v(st, JitHir_RawBin, op, 2, a, b, 0);
}

/* Raw 1 if the type of v has version tag `version` (type versions are
 * unique, and change whenever a type is modified). */
static int
type_version_is(BuildState *st, int v, uint32_t version)
{
    int tp = field(st, v, offsetof(PyObject, ob_type), 8);
    int ver = field(st, tp, offsetof(PyTypeObject, tp_version_tag), 4);
    return raw_cmp(st, JitLirCond_EQ, ver, imm(st, version));
}

static PyObject *
const_of(BuildState *st, int v)
{
    JitHirInstr *d = st->hir->values[v];
    return d->op == JitHir_Const ? (PyObject *)(uintptr_t)d->imm : NULL;
}

static int
type_is(BuildState *st, int v, PyTypeObject *tp)
{
    PyObject *c = const_of(st, v);
    if (c != NULL) {
        return imm(st, Py_IS_TYPE(c, tp));     /* folded */
    }
    int t = field(st, v, offsetof(PyObject, ob_type), 8);
    return raw_cmp(st, JitLirCond_EQ, t, const_obj(st, (PyObject *)tp));
}

/* LOAD_ATTR_INSTANCE_VALUE and LOAD_ATTR_SLOT: the value read behind a
 * type-version check, else PyObject_GetAttr.  -1 if not specialized. */
static int
load_attr_cached(BuildState *st, const Ins *ins, Entry owner, PyObject *name)
{
    if (ins->opcode != LOAD_ATTR_INSTANCE_VALUE && ins->opcode != LOAD_ATTR_SLOT) {
        return -1;
    }
    _PyAttrCache *cache = (_PyAttrCache *)cache_of(st, ins);
    uint32_t version = read32(cache->version);
    if (version == 0) {
        return -1;
    }
    Split sp;
    split_begin(st, &sp);
    check(st, type_version_is(st, owner.value, version), sp.slow);
    int v;
    if (ins->opcode == LOAD_ATTR_INSTANCE_VALUE) {
        /* The inline values sit 4 words before the object. */
        int values = field(st, owner.value, -4 * (int64_t)sizeof(PyObject *), 8);
        check(st, values, sp.slow);
        v = field(st, values, sizeof(PyObject *) * (int64_t)cache->index, 8);
    }
    else {
        v = field(st, owner.value, cache->index, 8);   /* a byte offset */
    }
    check(st, v, sp.slow);
    emit_0(st, JitHir_Incref, 0, 1, v, 0);
    split_slow(st, &sp);
    int g = generic_load_attr(st, owner, name, new_attr_cache(st));
    int out;
    split_join(st, &sp, 1, &v, &g, &out);
    return out;
}

/* STORE_ATTR_INSTANCE_VALUE / STORE_ATTR_SLOT: store behind a type-version
 * check (and, for inline values, an existing value), else
 * PyObject_SetAttr.  The stack holds [value, owner].  0 if done. */
static int
store_attr_cached(BuildState *st, const Ins *ins, Entry owner, Entry value,
                  PyObject *name)
{
    if (ins->opcode != STORE_ATTR_INSTANCE_VALUE && ins->opcode != STORE_ATTR_SLOT) {
        return -1;
    }
    _PyAttrCache *cache = (_PyAttrCache *)cache_of(st, ins);
    uint32_t version = read32(cache->version);
    if (version == 0) {
        return -1;
    }
    Split sp;
    split_begin(st, &sp);
    check(st, type_version_is(st, owner.value, version), sp.slow);
    int base, off;
    if (ins->opcode == STORE_ATTR_INSTANCE_VALUE) {
        base = field(st, owner.value, -4 * (int64_t)sizeof(PyObject *), 8);
        check(st, base, sp.slow);
        off = (int)(sizeof(PyObject *) * cache->index);
    }
    else {
        base = owner.value;
        off = cache->index;
    }
    int old = field(st, base, off, 8);
    if (ins->opcode == STORE_ATTR_INSTANCE_VALUE) {
        /* A new attribute changes the insertion order: the generic path
         * (its site cache does that, Jit/attr_cache.c). */
        check(st, old, sp.slow);
    }
    /* The object takes a reference of its own; the stack entry is
     * released after the join like on the generic path. */
    emit_0(st, JitHir_Incref, 0, 1, value.value, 0);
    store_word(st, base, off, value.value);
    if (ins->opcode == STORE_ATTR_INSTANCE_VALUE) {
        emit_0(st, JitHir_Decref, 0, 1, old, 0);
    }
    else {
        emit_0(st, JitHir_XDecref, 0, 1, old, 0);
    }
    split_slow(st, &sp);
    generic_store_attr(st, owner, value, name, new_attr_cache(st));
    int dummy_f = st->null_v, dummy_s = st->null_v, out;
    split_join(st, &sp, 0, &dummy_f, &dummy_s, &out);
    return 0;
}

/* LOAD_METHOD_WITH_VALUES / LOAD_METHOD_NO_DICT: the cached method behind
 * checks of the type version (and, with values, that the instance has no
 * dict and the shared keys' version), else _PyObject_GetMethod.  Replaces
 * the owner on the stack by [method or NULL, self or attribute]. */
static int
load_method_cached(BuildState *st, const Ins *ins, PyObject *name)
{
    if (ins->opcode != LOAD_METHOD_WITH_VALUES
        && ins->opcode != LOAD_METHOD_NO_DICT) {
        return -1;
    }
    _PyLoadMethodCache *cache = (_PyLoadMethodCache *)cache_of(st, ins);
    uint32_t version = read32(cache->type_version);
    PyObject *descr;
    memcpy(&descr, cache->descr, sizeof(descr));
    if (version == 0 || descr == NULL) {
        return -1;
    }
    /* The cache's pointer is followed only if the type with that version
     * is alive and still has that method (a dead type's cache entry
     * dangles: Jit/type_versions.c). */
    PyTypeObject *tp = _PyJit_TypeOfVersion(version);
    if (tp == NULL || _PyType_Lookup(tp, name) != descr) {
        return -1;
    }
    /* No reference to the method, as the interpreter's cache holds none:
     * the code reaches it only past the type-version check, and while the
     * type has that version its dict holds the method. */
    Entry owner = st->stack[st->sp - 1];
    int base = st->sp - 1;
    Split sp;
    split_begin(st, &sp);
    check(st, type_version_is(st, owner.value, version), sp.slow);
    if (ins->opcode == LOAD_METHOD_WITH_VALUES) {
        int dict = field(st, owner.value, -3 * (int64_t)sizeof(PyObject *), 8);
        check(st, raw_cmp(st, JitLirCond_EQ, dict, imm(st, 0)), sp.slow);
        int tp = field(st, owner.value, offsetof(PyObject, ob_type), 8);
        int keys = field(st, tp, offsetof(PyHeapTypeObject, ht_cached_keys), 8);
        int kv = field(st, keys, offsetof(PyDictKeysObject, dk_version), 4);
        check(st, raw_cmp(st, JitLirCond_EQ, kv,
                          imm(st, read32(cache->keys_version))), sp.slow);
    }
    int fast[2];
    fast[0] = const_obj(st, descr);
    PyObject *method = descr;
    emit_0(st, JitHir_Incref, 0, 1, fast[0], 0);
    fast[1] = owner.value;
    emit_0(st, JitHir_Incref, 0, 1, owner.value, 0);
    split_slow(st, &sp);
    int args[5] = {st->frame_v, imm(st, base), owner.value, const_obj(st, name),
                   new_attr_cache(st)};
    call_helper(st, JitH_load_method_cached, 5, args, 1, 0);
    int slow[2] = {load_slot(st, base), load_slot(st, base + 1)};
    int out[2];
    split_join(st, &sp, 2, fast, slow, out);
    pop(st);
    release(st, owner);
    push(st, out[0], 2, -1);
    push(st, out[1], 1, -1);
    hint(st, out[0], method);
    return 0;
}

/* The value of the compact int v (|value| < 2**30) as a raw word, going to
 * block slow unless v is an exact compact int. */
static int
compact_int_value(BuildState *st, int v, int slow)
{
    PyObject *c = const_of(st, v);
    if (c != NULL && PyLong_CheckExact(c) && (size_t)(Py_SIZE(c) + 1) <= 2) {
        return imm(st, (int64_t)Py_SIZE(c) * ((PyLongObject *)c)->ob_digit[0]);
    }
    check(st, type_is(st, v, &PyLong_Type), slow);
    int size = field(st, v, offsetof(PyVarObject, ob_size), 8);
    int biased = raw_bin(st, JitLirOp_Add, size, imm(st, 1));
    check(st, raw_cmp(st, JitLirCond_ULE, biased, imm(st, 2)), slow);
    int digit = field(st, v, offsetof(PyLongObject, ob_digit), 4);
    return raw_bin(st, JitLirOp_Mul, size, digit);
}

/* The generic BINARY_OP, the slow path of every arithmetic fast path. */
static int
generic_binary_op(BuildState *st, const Ins *ins, Entry lhs, Entry rhs)
{
    int args[3] = {lhs.value, rhs.value, imm(st, ins->oparg)};
    return call_helper(st, JitH_binary_op, 3, args, 2, 0);
}

/* The boxed result of an int fast path on operands lhs and rhs: an
 * operand that is a temporary (owned, released after the operation) is
 * handed to box_int_into, which writes the result into it when nothing
 * else holds it, as the float helper does. */
static int
box_int_result(BuildState *st, int raw, Entry lhs, Entry rhs)
{
    Entry *tmp = lhs.owned == 1 ? &lhs : rhs.owned == 1 ? &rhs : NULL;
    if (tmp == NULL) {
        return call_helper(st, JitH_box_int, 1, &raw, 2, 0);
    }
    int args[2] = {raw, tmp->value};
    return call_helper(st, JitH_box_int_into, 2, args, 2, 0);
}

/* BINARY_OP specialized for ints or floats: compact ints computed raw and
 * boxed (the raw result of +, - or * of two values below 2**30 cannot
 * overflow a machine word; bigger ints take the generic path), exact
 * floats by float_binary; else the generic helper.  -1 if not
 * specialized. */
static int
binary_op_cached(BuildState *st, const Ins *ins, Entry lhs, Entry rhs)
{
    static const JitLirOp int_ops[] = {JitLirOp_Add, JitLirOp_Sub, JitLirOp_Mul};
    int is_int, op;
    switch (ins->opcode) {
    case BINARY_OP_ADD_INT: is_int = 1; op = 0; break;
    case BINARY_OP_SUBTRACT_INT: is_int = 1; op = 1; break;
    case BINARY_OP_MULTIPLY_INT: is_int = 1; op = 2; break;
    case BINARY_OP_ADD_FLOAT: is_int = 0; op = 0; break;
    case BINARY_OP_SUBTRACT_FLOAT: is_int = 0; op = 1; break;
    case BINARY_OP_MULTIPLY_FLOAT: is_int = 0; op = 2; break;
    default:
        return -1;
    }
    Split sp;
    split_begin(st, &sp);
    int f;
    if (is_int) {
        int a = compact_int_value(st, lhs.value, sp.slow);
        int b = compact_int_value(st, rhs.value, sp.slow);
        int r = raw_bin(st, int_ops[op], a, b);
        f = box_int_result(st, r, lhs, rhs);
    }
    else {
        check(st, type_is(st, lhs.value, &PyFloat_Type), sp.slow);
        check(st, type_is(st, rhs.value, &PyFloat_Type), sp.slow);
        /* Owned operands are temporaries the helper may reuse. */
        op |= (lhs.owned == 1 ? 0x10 : 0) | (rhs.owned == 1 ? 0x20 : 0);
        int args[3] = {lhs.value, rhs.value, imm(st, op)};
        f = call_helper(st, JitH_float_binary, 3, args, 2, 0);
    }
    split_slow(st, &sp);
    int g = generic_binary_op(st, ins, lhs, rhs);
    int out;
    split_join(st, &sp, 1, &f, &g, &out);
    return out;
}

/* BINARY_OP &, |, ^, >> that the interpreter does not specialize: inline
 * on compact ints (the result cannot overflow a machine word), boxed by
 * PyLong_FromSsize_t; the generic helper otherwise.  -1 if not one. */
static int
bitwise_int(BuildState *st, const Ins *ins, Entry lhs, Entry rhs)
{
    JitLirOp op;
    switch (ins->oparg) {
    case NB_AND: case NB_INPLACE_AND: op = JitLirOp_And; break;
    case NB_OR: case NB_INPLACE_OR: op = JitLirOp_Or; break;
    case NB_XOR: case NB_INPLACE_XOR: op = JitLirOp_Xor; break;
    case NB_RSHIFT: case NB_INPLACE_RSHIFT: op = JitLirOp_Sar; break;
    default: return -1;
    }
    long shift = 0;
    if (op == JitLirOp_Sar) {
        /* Only a constant shift count (LIR shifts by immediates). */
        JitHirInstr *bd = st->hir->values[rhs.value];
        PyObject *c = (PyObject *)(uintptr_t)bd->imm;
        if (bd->op != JitHir_Const || c == NULL || !PyLong_CheckExact(c)) {
            return -1;
        }
        shift = PyLong_AsLong(c);
        if (shift < 0 || shift > 62) {
            PyErr_Clear();
            return -1;
        }
    }
    Split sp;
    split_begin(st, &sp);
    int a = compact_int_value(st, lhs.value, sp.slow);
    int r;
    if (op == JitLirOp_Sar) {
        r = raw_bin(st, JitLirOp_Sar, a, imm(st, shift));
    }
    else {
        int b = compact_int_value(st, rhs.value, sp.slow);
        r = raw_bin(st, op, a, b);
    }
    int f = box_int_result(st, r, lhs, rhs);
    split_slow(st, &sp);
    int g = generic_binary_op(st, ins, lhs, rhs);
    int out;
    split_join(st, &sp, 1, &f, &g, &out);
    return out;
}

/* A generic COMPARE_OP (one the interpreter specializes only when a jump
 * follows): compact ints compared inline, the generic compare otherwise;
 * the result is a bool either way.  -1 if not applicable. */
static int
compare_int_generic(BuildState *st, const Ins *ins, Entry lhs, Entry rhs)
{
    if (ins->oparg > Py_GE) {
        return -1;
    }
    static const JitLirCond conds[] = {
        JitLirCond_LT, JitLirCond_LE, JitLirCond_EQ, JitLirCond_NE,
        JitLirCond_GT, JitLirCond_GE};
    Split sp;
    split_begin(st, &sp);
    int a = compact_int_value(st, lhs.value, sp.slow);
    int b = compact_int_value(st, rhs.value, sp.slow);
    int raw = raw_cmp(st, conds[ins->oparg], a, b);
    int f = emit_v(st, JitHir_BoolFromRaw, 0, 1, raw, 0, 0);
    /* Both paths give an owned reference (True and False are immortal). */
    emit_0(st, JitHir_Incref, 0, 1, f, 0);
    split_slow(st, &sp);
    int args[3] = {lhs.value, rhs.value, imm(st, ins->oparg)};
    int g = call_helper(st, JitH_compare_op, 3, args, 2, 0);
    int out;
    split_join(st, &sp, 1, &f, &g, &out);
    return out;
}

/* FOR_ITER (which 3.11 does not specialize): the next item of a list or
 * range iterator read inline, the iterator's tp_iternext otherwise.  The
 * result is the item or JIT_ITER_DONE.  The layouts are those of 3.11.2's
 * listiterobject (Objects/listobject.c: index, list) and rangeiterobject
 * (Objects/rangeobject.c: index, start, step, len), private to those
 * files. */
static int
for_iter_fast(BuildState *st, Entry it)
{
    const int64_t it_index = 16, it_seq = 24;                   /* list */
    const int64_t r_index = 16, r_start = 24, r_step = 32, r_len = 40;
    Split sp;
    split_begin(st, &sp);
    int range_b = new_block(st);
    int list_end, list_v;
    int tp = field(st, it.value, offsetof(PyObject, ob_type), 8);
    check(st, raw_cmp(st, JitLirCond_EQ, tp,
                      const_obj(st, (PyObject *)&PyListIter_Type)), range_b);
    {
        int seq = field(st, it.value, it_seq, 8);
        check(st, seq, sp.slow);
        int idx = field(st, it.value, it_index, 8);
        int size = field(st, seq, offsetof(PyVarObject, ob_size), 8);
        check(st, raw_cmp(st, JitLirCond_LT, idx, size), sp.slow);
        int items = field(st, seq, offsetof(PyListObject, ob_item), 8);
        int off = raw_bin(st, JitLirOp_Shl, idx, imm(st, 3));
        int addr = raw_bin(st, JitLirOp_Add, items, off);
        list_v = field(st, addr, 0, 8);
        emit_0(st, JitHir_Incref, 0, 1, list_v, 0);
        int next = raw_bin(st, JitLirOp_Add, idx, imm(st, 1));
        store_word(st, it.value, it_index, next);
        list_end = st->hir->cur;
        jump(st, sp.join);
    }
    st->hir->cur = range_b;
    check(st, raw_cmp(st, JitLirCond_EQ, tp,
                      const_obj(st, (PyObject *)&PyRangeIter_Type)), sp.slow);
    int idx = field(st, it.value, r_index, 8);
    int len = field(st, it.value, r_len, 8);
    check(st, raw_cmp(st, JitLirCond_LT, idx, len), sp.slow);
    int start = field(st, it.value, r_start, 8);
    int step = field(st, it.value, r_step, 8);
    int value = raw_bin(st, JitLirOp_Add, start,
                        raw_bin(st, JitLirOp_Mul, idx, step));
    int next = raw_bin(st, JitLirOp_Add, idx, imm(st, 1));
    store_word(st, it.value, r_index, next);
    int range_v = call_helper(st, JitH_box_int, 1, &value, 0, 0);
    split_slow(st, &sp);
    int args[2] = {st->tstate_v, it.value};
    int g = call_helper(st, JitH_for_iter, 2, args, 0, 0);
    int slow_end = st->hir->cur;
    jump(st, sp.join);
    st->hir->cur = sp.join;
    int blocks[3] = {list_end, sp.fast_end, slow_end};
    int values[3] = {list_v, range_v, g};
    return phi_n(st, 3, blocks, values);
}

/* STORE_SUBSCR_LIST_INT: the item replaced inline for a list and a
 * non-negative compact int in range, else PyObject_SetItem.  0 if done. */
static int
store_subscr_cached(BuildState *st, const Ins *ins, Entry container, Entry sub,
                    Entry value)
{
    if (ins->opcode != STORE_SUBSCR_LIST_INT) {
        return -1;
    }
    Split sp;
    split_begin(st, &sp);
    check(st, type_is(st, container.value, &PyList_Type), sp.slow);
    int index = compact_int_value(st, sub.value, sp.slow);
    check(st, raw_cmp(st, JitLirCond_GE, index, imm(st, 0)), sp.slow);
    int n = field(st, container.value, offsetof(PyVarObject, ob_size), 8);
    check(st, raw_cmp(st, JitLirCond_LT, index, n), sp.slow);
    int items = field(st, container.value, offsetof(PyListObject, ob_item), 8);
    int off = raw_bin(st, JitLirOp_Shl, index, imm(st, 3));
    int addr = raw_bin(st, JitLirOp_Add, items, off);
    int old = field(st, addr, 0, 8);
    /* The list takes a reference of its own; the stack entry is released
     * after the join as on the generic path. */
    emit_0(st, JitHir_Incref, 0, 1, value.value, 0);
    store_word(st, addr, 0, value.value);
    emit_0(st, JitHir_XDecref, 0, 1, old, 0);
    split_slow(st, &sp);
    int args[3] = {container.value, sub.value, value.value};
    call_helper(st, JitH_store_subscr, 3, args, 3, 0);
    int dummy = st->null_v, out;
    split_join(st, &sp, 0, &dummy, &dummy, &out);
    return 0;
}

/* The CALL of the top oparg + 2 entries (the last ones keyword arguments
 * named by kw's tuple, or kw is NULL) through the generic helper, with the
 * site's cache of callees.  Returns the result (the entries are
 * consumed). */
static int
generic_call(BuildState *st, int oparg, int kw)
{
    int base = flush_top(st, oparg + 2);
    int args[6] = {st->tstate_v, st->frame_v, imm(st, base), imm(st, oparg),
                   kw, new_site_cache(st, sizeof(JitCallCache))};
    return slot_helper(st, JitH_call_site, 6, args, oparg + 2);
}

/* A StoreField of size bytes of v at base + off. */
static void
store_sized(BuildState *st, int base, int64_t off, int v, int size)
{
    int args[2] = {base, v};
    JitHirInstr *in = emit(st, JitHir_StoreField, 2, args);
    if (in != NULL) {
        in->imm = off;
        in->imm2 = size;
    }
}

#define DIRECT_MAX_LOCALS 64    /* callee's locals a direct call clears inline */

/* The run counter of the code being built: its record's, or one that
 * nothing reads when the HIR is only printed. */
static Py_ssize_t *
self_runs(BuildState *st)
{
    static Py_ssize_t unread;
    return st->hir->self_runs ? st->hir->self_runs : &unread;
}

/* The compiled code a direct call of func enters, as the address of its
 * entry (an Imm) or a load from the cell the compiler fills for the code
 * being compiled; -1 if there is none yet or func's code is not fit.
 * *runs is the counter of that code's runs, which the call adds to. */
static int
direct_entry(BuildState *st, PyFunctionObject *func, int nargs,
             Py_ssize_t **runs)
{
    PyCodeObject *co = (PyCodeObject *)func->func_code;
    Py_ssize_t ndefaults = func->func_defaults
                           ? PyTuple_GET_SIZE(func->func_defaults) : 0;
    if (nargs > co->co_argcount || nargs < co->co_argcount - ndefaults
        || co->co_kwonlyargcount != 0
        || (co->co_flags & (CO_VARARGS | CO_VARKEYWORDS | CO_GENERATOR
                            | CO_COROUTINE | CO_ASYNC_GENERATOR
                            | CO_ITERABLE_COROUTINE))
        || _PyOpcode_Deopt[_Py_OPCODE(_PyCode_CODE(co)[0])] != RESUME
        || co->co_nlocalsplus > DIRECT_MAX_LOCALS) {
        return -1;
    }
    if (co == st->co) {
        /* A call of the code being compiled, through a cell. */
        if (func->func_globals != st->hir->globals
            || func->func_builtins != st->hir->builtins) {
            return -1;
        }
        if (st->hir->self_entry_cell == NULL) {
            int cell = new_site_cache(st, sizeof(void *));
            int64_t addr;
            if (st->failed || !imm_of(st, cell, &addr) || addr == 0) {
                return -1;
            }
            st->hir->self_entry_cell = (void **)(uintptr_t)addr;
        }
        *runs = self_runs(st);
        return field(st, imm(st, (int64_t)(uintptr_t)st->hir->self_entry_cell),
                     0, 8);
    }
    _PyJitCompiled *compiled = _PyJit_CompileCallee(func);
    if (compiled == NULL || compiled->builtins != func->func_builtins) {
        return -1;
    }
    *runs = &compiled->runs;
    return imm(st, (int64_t)(uintptr_t)compiled->entry);
}

/* To block slow unless the recursion limit is at least one call away:
 * *rem = tstate->recursion_remaining, and the count for the call,
 * *rem - 1, is returned (a zero-extended 32-bit load: the unsigned test
 * also sends negative counts to the generic path). */
static int
recursion_room(BuildState *st, int slow, int *rem)
{
    *rem = field(st, st->tstate_v,
                 offsetof(PyThreadState, recursion_remaining), 4);
    int rem1 = raw_bin(st, JitLirOp_Sub, *rem, imm(st, 1));
    check(st, raw_cmp(st, JitLirCond_ULT, rem1, imm(st, 0x7fffffff)), slow);
    return rem1;
}

/* What a direct call has checked and loaded before it pushes a frame. */
typedef struct {
    int cframe;         /* tstate->cframe */
    int rem;            /* tstate->recursion_remaining before the call */
    int rem1;           /* ... and during it */
    int top, end;       /* the new frame, and the frame stack's new top */
} Direct;

/* A direct call's checks, going to block slow unless the callee's frame
 * can be pushed and entered now: what _PyJit_CallCachedExact checks (the
 * JIT on, no tracing, no PEP 523 evaluator), RESUME's eval breaker, room
 * below the recursion limit, room in the frame stack for co's frame. */
static void
direct_checks(BuildState *st, PyCodeObject *co, int slow, Direct *d)
{
    int on = field(st, imm(st, (int64_t)(uintptr_t)&_PyJit_Enabled), 0,
                   sizeof(_PyJit_Enabled));
    check(st, raw_cmp(st, JitLirCond_NE, on, imm(st, 0)), slow);
    int tstate = st->tstate_v;
    d->cframe = field(st, tstate, offsetof(PyThreadState, cframe), 8);
    int tracing = field(st, d->cframe, offsetof(_PyCFrame, use_tracing), 1);
    check(st, raw_cmp(st, JitLirCond_EQ, tracing, imm(st, 0)), slow);
    int interp = field(st, tstate, offsetof(PyThreadState, interp), 8);
    int pep523 = field(st, interp, offsetof(PyInterpreterState, eval_frame), 8);
    check(st, raw_cmp(st, JitLirCond_EQ, pep523, imm(st, 0)), slow);
    int eb = field(st, interp,
                   offsetof(PyInterpreterState, ceval.eval_breaker), 4);
    check(st, raw_cmp(st, JitLirCond_EQ, eb, imm(st, 0)), slow);
    d->rem1 = recursion_room(st, slow, &d->rem);
    /* _PyThreadState_BumpFramePointer's test: a NULL top fails it too. */
    int64_t size = (int64_t)(co->co_nlocalsplus + co->co_stacksize
                             + FRAME_SPECIALS_SIZE)
                   * (int64_t)sizeof(PyObject *);
    d->top = field(st, tstate, offsetof(PyThreadState, datastack_top), 8);
    d->end = raw_bin(st, JitLirOp_Add, d->top, imm(st, size));
    int limit = field(st, tstate, offsetof(PyThreadState, datastack_limit), 8);
    check(st, raw_cmp(st, JitLirCond_ULT, d->end, limit), slow);
}

/* Push func's frame (func is value f, whose reference the frame takes;
 * the nargs arguments' references too), enter its compiled code (entry),
 * then pop the frame, as the interpreter's CALL_PY_EXACT_ARGS and
 * RETURN_VALUE would.  If the code returns NULL (it raised or
 * deoptimized) the eval loop finishes the frame through helper finish
 * (call_finish, which fails the call; finish_raw, which returns NULL).
 * The top n model stack entries are the call's: consumed.  Returns the
 * result. */
static int
direct_enter(BuildState *st, Direct *d, PyFunctionObject *func, int f,
             int entry, Py_ssize_t *runs, const int *argv, int nargs, int n,
             JitHelperId finish)
{
    PyCodeObject *co = (PyCodeObject *)func->func_code;
    int tstate = st->tstate_v;
    int nlocals = co->co_nlocalsplus;
    int fr = d->top;
    store_word(st, tstate, offsetof(PyThreadState, datastack_top), d->end);
    store_sized(st, tstate, offsetof(PyThreadState, recursion_remaining),
                d->rem1, 4);
    store_word(st, fr, offsetof(_PyInterpreterFrame, f_func), f);
    int code = imm(st, (int64_t)(uintptr_t)co);
    emit_0(st, JitHir_Incref, 0, 1, code, 0);
    store_word(st, fr, offsetof(_PyInterpreterFrame, f_code), code);
    store_word(st, fr, offsetof(_PyInterpreterFrame, f_globals),
               imm(st, (int64_t)(uintptr_t)func->func_globals));
    store_word(st, fr, offsetof(_PyInterpreterFrame, f_builtins),
               imm(st, (int64_t)(uintptr_t)func->func_builtins));
    int zero = imm(st, 0);
    store_word(st, fr, offsetof(_PyInterpreterFrame, f_locals), zero);
    store_word(st, fr, offsetof(_PyInterpreterFrame, frame_obj), zero);
    /* As if RESUME (the first instruction) just ran. */
    store_word(st, fr, offsetof(_PyInterpreterFrame, prev_instr),
               imm(st, (int64_t)(uintptr_t)_PyCode_CODE(co)));
    store_sized(st, fr, offsetof(_PyInterpreterFrame, stacktop),
                imm(st, nlocals), 4);
    store_sized(st, fr, offsetof(_PyInterpreterFrame, is_entry), zero, 1);
    store_sized(st, fr, offsetof(_PyInterpreterFrame, owner),
                imm(st, FRAME_OWNED_BY_THREAD), 1);
    int64_t lp = offsetof(_PyInterpreterFrame, localsplus);
    for (int i = 0; i < nlocals; i++) {
        store_word(st, fr, lp + i * (int64_t)sizeof(PyObject *),
                   i < nargs ? argv[i] : zero);
    }
    /* Counted as a run of that code, link, enter, unlink (run_entered in
     * Jit/runtime.c). */
    int count = imm(st, (int64_t)(uintptr_t)runs);
    store_word(st, count, 0,
               raw_bin(st, JitLirOp_Add, field(st, count, 0, 8), imm(st, 1)));
    int prev = field(st, d->cframe, offsetof(_PyCFrame, current_frame), 8);
    store_word(st, fr, offsetof(_PyInterpreterFrame, previous), prev);
    store_word(st, d->cframe, offsetof(_PyCFrame, current_frame), fr);
    int cargs[3] = {entry, tstate, fr};
    JitHirInstr *call = emit(st, JitHir_CallRaw, 3, cargs);
    if (call == NULL) {
        return -1;
    }
    call->imm = 2;
    attach_fs(st, call, n, _PyJitDeopt_GuardValue);
    int res = call->value;
    store_sized(st, tstate, offsetof(PyThreadState, recursion_remaining),
                d->rem, 4);
    store_word(st, d->cframe, offsetof(_PyCFrame, current_frame), prev);
    int b_ret, b_other;
    if (branch_new(st, res, &b_ret, &b_other) < 0) {
        return -1;
    }
    int done = new_block(st);
    /* NULL: the callee raised or deoptimized. */
    st->hir->cur = b_other;
    int hargs[2] = {tstate, fr};
    int finished = call_helper(st, finish, 2, hargs, n, 0);
    mark_consumed(fs_of(st, finished), n);  /* the callee's frame has them */
    int other_end = st->hir->cur;
    jump(st, done);
    /* Returned: cleared and popped as clear_and_pop in Jit/runtime.c does,
     * inline unless a frame object or locals dict was made for the frame
     * or it starts a stack chunk. */
    st->hir->cur = b_ret;
    int pop_slow = new_block(st);
    int fo = field(st, fr, offsetof(_PyInterpreterFrame, frame_obj), 8);
    check(st, raw_cmp(st, JitLirCond_EQ, fo, zero), pop_slow);
    int fl = field(st, fr, offsetof(_PyInterpreterFrame, f_locals), 8);
    check(st, raw_cmp(st, JitLirCond_EQ, fl, zero), pop_slow);
    int chunk = field(st, tstate, offsetof(PyThreadState, datastack_chunk), 8);
    int first = raw_bin(st, JitLirOp_Add, chunk,
                        imm(st, offsetof(_PyStackChunk, data)));
    check(st, raw_cmp(st, JitLirCond_NE, fr, first), pop_slow);
    for (int i = 0; i < nlocals; i++) {
        int v = field(st, fr, lp + i * (int64_t)sizeof(PyObject *), 8);
        emit_0(st, JitHir_XDecref, 0, 1, v, 0);
    }
    emit_0(st, JitHir_Decref, 0, 1,
           field(st, fr, offsetof(_PyInterpreterFrame, f_func), 8), 0);
    emit_0(st, JitHir_Decref, 0, 1, code, 0);
    store_word(st, tstate, offsetof(PyThreadState, datastack_top), fr);
    int ret_end = st->hir->cur;
    jump(st, done);
    st->hir->cur = pop_slow;
    call_helper(st, JitH_frame_pop, 2, hargs, 0, 0);
    int pop_end = st->hir->cur;
    jump(st, done);
    st->hir->cur = done;
    int blocks[3] = {ret_end, pop_end, other_end};
    int values[3] = {res, res, finished};
    return phi_n(st, 3, blocks, values);
}

/* The end of a direct call: the generic call in the slow block, the
 * results joined and pushed in place of the call's entries. */
static void
direct_join(BuildState *st, Split *sp, int fast, int oparg)
{
    split_slow(st, sp);
    int g = generic_call(st, oparg, st->null_v);
    int out;
    split_join(st, sp, 1, &fast, &g, &out);
    push(st, out, 1, -1);
}

/* An argument's value for a callee's frame, which takes a reference. */
static int
frame_arg(BuildState *st, Entry e)
{
    if (!e.owned) {
        emit_0(st, JitHir_Incref, 0, 1, e.value, 0);
    }
    return e.value;
}

/* argv[nargs..] = the defaults of the positional parameters a call with
 * nargs arguments leaves out (direct_entry checked there are enough), as
 * values the callee's frame takes references to: func_version pins the
 * defaults tuple, which keeps them alive.  Returns co_argcount. */
static int
with_defaults(BuildState *st, PyFunctionObject *func, int *argv, int nargs)
{
    PyCodeObject *co = (PyCodeObject *)func->func_code;
    int first = co->co_argcount
        - (func->func_defaults ? (int)PyTuple_GET_SIZE(func->func_defaults)
                               : 0);
    for (int i = nargs; i < co->co_argcount; i++) {
        PyObject *dv = PyTuple_GET_ITEM(func->func_defaults, i - first);
        argv[i] = imm(st, (int64_t)(uintptr_t)dv);
        emit_0(st, JitHir_Incref, 0, 1, argv[i], 0);
    }
    return co->co_argcount;
}

/* CALL_PY_EXACT_ARGS or CALL_PY_WITH_DEFAULTS of the function the inline
 * caches name (its func_version in the CALL's cache, the function itself a hint from the
 * LOAD_GLOBAL or LOAD_METHOD that produced the callable) when its code is
 * compiled: the frame pushed, entered and popped inline (direct_enter),
 * with no call-site lookup.  The func_version check pins the function
 * (versions are never reused, and reset when __code__ or __defaults__
 * change), so its code, globals, builtins and compiled code are
 * constants.  Anything unusual takes the generic call (direct_checks).
 * Pops the call's entries and pushes the result; 0 if done, -1 if not
 * applicable (nothing emitted but constants, which DCE drops). */
static int
direct_call(BuildState *st, const Ins *ins, int oparg)
{
    if ((ins->opcode != CALL_PY_EXACT_ARGS
         && ins->opcode != CALL_PY_WITH_DEFAULTS)
        || st->kwnames >= 0 || oparg + 2 > st->sp) {
        return -1;
    }
    int n = oparg + 2;
    Entry *e = &st->stack[st->sp - n];
    /* [NULL or method, callable or self, args...] */
    int maybe_meth = !is_null_value(st, e[0].value);
    Entry callee = maybe_meth ? e[0] : e[1];
    Entry *args = maybe_meth ? &e[1] : &e[2];
    int nargs = oparg + maybe_meth;
    PyObject *obj = hint_of(st, callee.value);
    _PyCallCache *cache = (_PyCallCache *)cache_of(st, ins);
    uint32_t version = read32(cache->func_version);
    if (obj == NULL || Py_TYPE(obj) != &PyFunction_Type || version == 0
        || ((PyFunctionObject *)obj)->func_version != version) {
        return -1;
    }
    PyFunctionObject *func = (PyFunctionObject *)obj;
    Py_ssize_t *runs = NULL;
    int entry = direct_entry(st, func, nargs, &runs);
    if (entry < 0) {
        return -1;
    }
    Split sp;
    split_begin(st, &sp);
    int f = callee.value;
    if (maybe_meth) {
        check(st, raw_cmp(st, JitLirCond_NE, f, imm(st, 0)), sp.slow);
    }
    check(st, type_is(st, f, &PyFunction_Type), sp.slow);
    int ver = field(st, f, offsetof(PyFunctionObject, func_version), 4);
    check(st, raw_cmp(st, JitLirCond_EQ, ver, imm(st, version)), sp.slow);
    Direct d;
    direct_checks(st, (PyCodeObject *)func->func_code, sp.slow, &d);
    int argv[DIRECT_MAX_LOCALS];
    for (int i = 0; i < nargs; i++) {
        argv[i] = frame_arg(st, args[i]);
    }
    int res = direct_enter(st, &d, func, frame_arg(st, callee), entry, runs, argv,
                           with_defaults(st, func, argv, nargs), n,
                           JitH_call_finish);
    if (res >= 0) {
        direct_join(st, &sp, res, oparg);
    }
    return 0;
}

/* CALL of a class the LOAD_GLOBAL's cache names, with positional
 * arguments, when its instances are made as call_site.c's class cache
 * makes them (type its metaclass, object.__new__ its __new__, a Python
 * function with compiled code its __init__): the instance allocated as
 * object.__new__ would, __init__'s frame pushed and entered directly
 * (direct_enter), its result checked as type.__call__ does.  The class's
 * version tag pins __new__ and __init__; __init__'s func_version pins its
 * code.  0 if done, -1 if not applicable. */
static int
direct_new(BuildState *st, const Ins *ins, int oparg)
{
    if (st->kwnames >= 0 || oparg + 2 > st->sp) {
        return -1;
    }
    int n = oparg + 2;
    Entry *e = &st->stack[st->sp - n];
    if (!is_null_value(st, e[0].value)) {
        return -1;
    }
    PyObject *obj = hint_of(st, e[1].value);
    if (obj == NULL || Py_TYPE(obj) != &PyType_Type) {
        return -1;
    }
    PyTypeObject *tp = (PyTypeObject *)obj;
    if (tp->tp_new != PyBaseObject_Type.tp_new
        || (tp->tp_flags & Py_TPFLAGS_IS_ABSTRACT)
        || !PyType_HasFeature(tp, Py_TPFLAGS_VALID_VERSION_TAG)
        || tp->tp_version_tag == 0) {
        return -1;
    }
    PyObject *init = _PyType_Lookup(tp, &_Py_ID(__init__));
    if (init == NULL || Py_TYPE(init) != &PyFunction_Type) {
        return -1;
    }
    PyFunctionObject *func = (PyFunctionObject *)init;
    uint32_t fversion = _PyFunction_GetVersionForCurrentState(func);
    if (fversion == 0) {
        return -1;
    }
    Py_ssize_t *runs = NULL;
    int entry = direct_entry(st, func, oparg + 1, &runs);
    if (entry < 0) {
        return -1;
    }
    Split sp;
    split_begin(st, &sp);
    int cls = imm(st, (int64_t)(uintptr_t)tp);
    check(st, raw_cmp(st, JitLirCond_EQ, e[1].value, cls), sp.slow);
    int tv = field(st, cls, offsetof(PyTypeObject, tp_version_tag), 4);
    check(st, raw_cmp(st, JitLirCond_EQ, tv, imm(st, tp->tp_version_tag)),
          sp.slow);
    int f = imm(st, (int64_t)(uintptr_t)func);
    int fv = field(st, f, offsetof(PyFunctionObject, func_version), 4);
    check(st, raw_cmp(st, JitLirCond_EQ, fv, imm(st, fversion)), sp.slow);
    Direct d;
    direct_checks(st, (PyCodeObject *)func->func_code, sp.slow, &d);
    int self = call_helper(st, JitH_alloc_instance, 1, &cls, 0, 0);
    /* The class's entry is done with (the class keeps __init__ alive). */
    release(st, e[1]);
    int argv[DIRECT_MAX_LOCALS];
    argv[0] = self;
    emit_0(st, JitHir_Incref, 0, 1, self, 0);
    for (int i = 0; i < oparg; i++) {
        argv[i + 1] = frame_arg(st, e[2 + i]);
    }
    emit_0(st, JitHir_Incref, 0, 1, f, 0);
    int r = direct_enter(st, &d, func, f, entry, runs, argv,
                         with_defaults(st, func, argv, oparg + 1), n,
                         JitH_finish_raw);
    if (r < 0) {
        return 0;
    }
    int dargs[2] = {self, r};
    int res = call_helper(st, JitH_init_done, 2, dargs, n, 0);
    mark_consumed(fs_of(st, res), n);   /* released or given to __init__ */
    direct_join(st, &sp, res, oparg);
    return 0;
}

/* CALL of a C function that the inline caches name, as the interpreter's
 * specialized PRECALLs run it, with its C function called directly:
 * - a builtin function the LOAD_GLOBAL's cache names, after
 *   PRECALL_NO_KW_BUILTIN_O (METH_O, one argument),
 *   PRECALL_NO_KW_BUILTIN_FAST (METH_FASTCALL) or
 *   PRECALL_BUILTIN_FAST_WITH_KEYWORDS (METH_FASTCALL | METH_KEYWORDS,
 *   called without keywords);
 * - a builtin class (static type) the LOAD_GLOBAL's cache names, after
 *   PRECALL_BUILTIN_CLASS, through its tp_vectorcall (int(x), zip(a, b));
 * - a method descriptor of a builtin type the LOAD_METHOD's cache names,
 *   after PRECALL_NO_KW_METHOD_DESCRIPTOR_O, _NOARGS or _FAST, on an
 *   instance of exactly that type.
 * Behind a check that the callable is that object (kept alive by the
 * compiled code, so its address cannot be reused: only functions bound to
 * a module or to nothing, and methods of static types, which lead back to
 * no Python code) and that the recursion limit is not one call away.  The
 * arguments go in registers (METH_O) or as their value stack slots (FAST).
 * Pops the call's entries and pushes the result; 0 if done, -1 if not
 * applicable (nothing emitted). */
static int
direct_builtin(BuildState *st, int oparg)
{
    int flags, is_descr;
    switch (st->precall) {
    case PRECALL_NO_KW_BUILTIN_O: flags = METH_O; is_descr = 0; break;
    case PRECALL_NO_KW_BUILTIN_FAST: flags = METH_FASTCALL; is_descr = 0; break;
    case PRECALL_BUILTIN_FAST_WITH_KEYWORDS:
        flags = METH_FASTCALL | METH_KEYWORDS; is_descr = 0; break;
    case PRECALL_NO_KW_METHOD_DESCRIPTOR_O: flags = METH_O; is_descr = 1; break;
    case PRECALL_NO_KW_METHOD_DESCRIPTOR_NOARGS:
        flags = METH_NOARGS; is_descr = 1; break;
    case PRECALL_NO_KW_METHOD_DESCRIPTOR_FAST:
        flags = METH_FASTCALL; is_descr = 1; break;
    case PRECALL_BUILTIN_CLASS:
        /* As vectorcall: (class, args, nargs, kwnames). */
        flags = -1; is_descr = 0; break;
    default:
        return -1;
    }
    if (st->kwnames >= 0 || oparg + 2 > st->sp) {
        return -1;
    }
    /* C arguments besides self: METH_O one, METH_NOARGS none. */
    int nc = oparg;
    if ((flags == METH_O && nc != 1) || (flags == METH_NOARGS && nc != 0)) {
        return -1;
    }
    int n = oparg + 2;
    Entry *e = &st->stack[st->sp - n];
    PyObject *obj, *self = NULL;
    PyCFunction cfunc;
    if (is_descr) {
        /* [descriptor, self, args...] */
        obj = hint_of(st, e[0].value);
        if (obj == NULL || Py_TYPE(obj) != &PyMethodDescr_Type) {
            return -1;
        }
        PyMethodDescrObject *d = (PyMethodDescrObject *)obj;
        if (d->d_method->ml_flags != flags
            || (d->d_common.d_type->tp_flags & Py_TPFLAGS_HEAPTYPE)) {
            return -1;
        }
        cfunc = d->d_method->ml_meth;
    }
    else {
        /* [NULL, function, args...] */
        if (!is_null_value(st, e[0].value)) {
            return -1;
        }
        obj = hint_of(st, e[1].value);
        if (obj == NULL) {
            return -1;
        }
        if (flags == -1) {
            if (!PyType_Check(obj)
                || (((PyTypeObject *)obj)->tp_flags & Py_TPFLAGS_HEAPTYPE)
                || ((PyTypeObject *)obj)->tp_vectorcall == NULL) {
                return -1;
            }
            cfunc = (PyCFunction)(void (*)(void))
                    ((PyTypeObject *)obj)->tp_vectorcall;
            self = obj;
        }
        else {
            if (Py_TYPE(obj) != &PyCFunction_Type
                || PyCFunction_GET_FLAGS(obj) != flags) {
                return -1;
            }
            self = PyCFunction_GET_SELF(obj);
            if (self != NULL && !PyModule_CheckExact(self)) {
                return -1;
            }
            cfunc = PyCFunction_GET_FUNCTION(obj);
        }
    }
    keep(st, obj);
    Split sp;
    split_begin(st, &sp);
    int callee = is_descr ? e[0].value : e[1].value;
    check(st, raw_cmp(st, JitLirCond_EQ, callee,
                      imm(st, (int64_t)(uintptr_t)obj)), sp.slow);
    if (is_descr) {
        PyTypeObject *tp = ((PyMethodDescrObject *)obj)->d_common.d_type;
        check(st, type_is(st, e[1].value, tp), sp.slow);
    }
    /* The recursion count, as the interpreter keeps it around C functions
     * (not around a class's vectorcall, which counts for itself). */
    int tstate = st->tstate_v, rem = -1;
    if (flags != -1) {
        int rem1 = recursion_room(st, sp.slow, &rem);
        store_sized(st, tstate, offsetof(PyThreadState, recursion_remaining),
                    rem1, 4);
    }
    int cargs[5];
    cargs[0] = imm(st, (int64_t)(uintptr_t)cfunc);
    cargs[1] = is_descr ? e[1].value : imm(st, (int64_t)(uintptr_t)self);
    int ncargs;
    if (flags == METH_O) {
        cargs[2] = e[2].value;
        ncargs = 2;
    }
    else if (flags == METH_NOARGS) {
        cargs[2] = imm(st, 0);
        ncargs = 2;
    }
    else {
        /* The arguments as an array: in their value stack slots. */
        int base = st->sp - nc;
        for (int i = 0; i < nc; i++) {
            store_word(st, st->frame_v, slot_offset(st, base + i),
                       e[2 + i].value);
        }
        cargs[2] = raw_bin(st, JitLirOp_Add, st->frame_v,
                           imm(st, slot_offset(st, base)));
        cargs[3] = imm(st, nc);
        ncargs = 3;
        if (flags == -1 || (flags & METH_KEYWORDS)) {
            cargs[4] = imm(st, 0);      /* no keywords */
            ncargs = 4;
        }
    }
    JitHirInstr *call = emit(st, JitHir_CallRaw, ncargs + 1, cargs);
    if (call == NULL) {
        return 0;
    }
    call->imm = ncargs;
    attach_fs(st, call, n, _PyJitDeopt_GuardValue);
    int res = call->value;
    if (rem >= 0) {
        store_sized(st, tstate, offsetof(PyThreadState, recursion_remaining),
                    rem, 4);
    }
    for (int i = 0; i < n; i++) {
        if (!is_null_value(st, e[i].value)) {
            release(st, e[i]);
        }
    }
    JitHirInstr *chk = emit(st, JitHir_ErrorIfNull, 1, &res);
    if (chk != NULL) {
        attach_fs(st, chk, n, _PyJitDeopt_GuardValue);
        mark_consumed(chk->fs, n);          /* released above */
    }
    direct_join(st, &sp, res, oparg);
    return 0;
}

/* CALL after PRECALL_NO_KW_LEN or PRECALL_NO_KW_LIST_APPEND: len(x) and
 * list.append(x) called directly when the callable is the builtin the
 * interpreter's cache names (and the list an exact list), the generic
 * call otherwise.  Pops the call's entries and pushes the result; 0 if
 * done, -1 if not applicable (nothing emitted). */
static int
call_cached(BuildState *st, int oparg)
{
    if (st->kwnames >= 0 || oparg != 1 || st->sp < 3) {
        return -1;
    }
    PyInterpreterState *interp = _PyInterpreterState_GET();
    Entry *e = &st->stack[st->sp - 3];     /* [NULL or method, callable or self, arg] */
    int is_len = st->precall == PRECALL_NO_KW_LEN && is_null_value(st, e[0].value);
    int is_append = st->precall == PRECALL_NO_KW_LIST_APPEND
                    && !is_null_value(st, e[0].value);
    if (!is_len && !is_append) {
        return -1;
    }
    Split sp;
    split_begin(st, &sp);
    int fast;
    if (is_len) {
        check(st, raw_cmp(st, JitLirCond_EQ, e[1].value,
                          const_obj(st, interp->callable_cache.len)), sp.slow);
        fast = call_helper(st, JitH_len, 1, &e[2].value, 3, 0);
    }
    else {
        check(st, raw_cmp(st, JitLirCond_EQ, e[0].value,
                          const_obj(st, interp->callable_cache.list_append)),
              sp.slow);
        check(st, type_is(st, e[1].value, &PyList_Type), sp.slow);
        int args[2] = {e[1].value, e[2].value};
        call_helper(st, JitH_list_append, 2, args, 3, 0);
        fast = const_obj(st, Py_None);
    }
    /* The fast path is done with the call's entries. */
    for (int i = 0; i < 3; i++) {
        release(st, e[i]);
    }
    split_slow(st, &sp);
    int g = generic_call(st, oparg, st->null_v);
    int out;
    split_join(st, &sp, 1, &fast, &g, &out);
    push(st, out, 1, -1);
    return 0;
}

/* BINARY_SUBSCR_LIST_INT: the item read inline for a list and a
 * non-negative compact int in range, else PyObject_GetItem. */
static int
subscr_cached(BuildState *st, const Ins *ins, Entry container, Entry sub)
{
    int is_list = ins->opcode == BINARY_SUBSCR_LIST_INT;
    if (ins->opcode == BINARY_SUBSCR_DICT) {
        /* An exact dict (no __missing__): the lookup in C, as the
         * interpreter's BINARY_SUBSCR_DICT. */
        Split sp;
        split_begin(st, &sp);
        check(st, type_is(st, container.value, &PyDict_Type), sp.slow);
        int args[2] = {container.value, sub.value};
        int v = call_helper(st, JitH_dict_subscr, 2, args, 2, 0);
        split_slow(st, &sp);
        int g = call_helper(st, JitH_binary_subscr, 2, args, 2, 0);
        int out;
        split_join(st, &sp, 1, &v, &g, &out);
        return out;
    }
    if (!is_list && ins->opcode != BINARY_SUBSCR_TUPLE_INT) {
        return -1;
    }
    Split sp;
    split_begin(st, &sp);
    check(st, type_is(st, container.value,
                      is_list ? &PyList_Type : &PyTuple_Type), sp.slow);
    int index = compact_int_value(st, sub.value, sp.slow);
    check(st, raw_cmp(st, JitLirCond_GE, index, imm(st, 0)), sp.slow);
    int n = field(st, container.value, offsetof(PyVarObject, ob_size), 8);
    check(st, raw_cmp(st, JitLirCond_ULT, index, n), sp.slow);
    int items;
    if (is_list) {
        items = field(st, container.value, offsetof(PyListObject, ob_item), 8);
    }
    else {
        items = raw_bin(st, JitLirOp_Add, container.value,
                        imm(st, offsetof(PyTupleObject, ob_item)));
    }
    int off = raw_bin(st, JitLirOp_Shl, index, imm(st, 3));
    int addr = raw_bin(st, JitLirOp_Add, items, off);
    int v = field(st, addr, 0, 8);
    emit_0(st, JitHir_Incref, 0, 1, v, 0);
    split_slow(st, &sp);
    int args[2] = {container.value, sub.value};
    int g = call_helper(st, JitH_binary_subscr, 2, args, 2, 0);
    int out;
    split_join(st, &sp, 1, &v, &g, &out);
    return out;
}

/* COMPARE_OP_{INT,FLOAT,STR}_JUMP: a raw 0/1 result (the jump that follows
 * branches on it), with a generic fallback.  -1 if not specialized. */
static int
compare_cached(BuildState *st, const Ins *ins, Entry lhs, Entry rhs)
{
    int oparg = ins->oparg;
    if (oparg > Py_GE) {
        return -1;
    }
    static const JitLirCond conds[] = {
        JitLirCond_LT, JitLirCond_LE, JitLirCond_EQ, JitLirCond_NE,
        JitLirCond_GT, JitLirCond_GE};
    Split sp;
    int fast;
    switch (ins->opcode) {
    case COMPARE_OP_INT_JUMP: {
        split_begin(st, &sp);
        int vals[2];
        vals[0] = compact_int_value(st, lhs.value, sp.slow);
        vals[1] = compact_int_value(st, rhs.value, sp.slow);
        fast = raw_cmp(st, conds[oparg], vals[0], vals[1]);
        break;
    }
    case COMPARE_OP_FLOAT_JUMP: {
        split_begin(st, &sp);
        check(st, type_is(st, lhs.value, &PyFloat_Type), sp.slow);
        check(st, type_is(st, rhs.value, &PyFloat_Type), sp.slow);
        int args[3] = {lhs.value, rhs.value, imm(st, oparg)};
        JitHirInstr *in = emit(st, JitHir_CallHelper, 3, args);
        if (in == NULL) {
            return -1;
        }
        in->imm = JitH_float_compare;
        fast = in->value;
        break;
    }
    case COMPARE_OP_STR_JUMP: {
        if (oparg != Py_EQ && oparg != Py_NE) {
            return -1;
        }
        split_begin(st, &sp);
        check(st, type_is(st, lhs.value, &PyUnicode_Type), sp.slow);
        check(st, type_is(st, rhs.value, &PyUnicode_Type), sp.slow);
        int args[2] = {lhs.value, rhs.value};
        JitHirInstr *in = emit(st, JitHir_CallHelper, 2, args);
        if (in == NULL) {
            return -1;
        }
        in->imm = JitH_str_equal;
        fast = in->value;
        if (oparg == Py_NE) {
            fast = raw_bin(st, JitLirOp_Xor, fast, imm(st, 1));
        }
        break;
    }
    default:
        return -1;
    }
    split_slow(st, &sp);
    int args[3] = {lhs.value, rhs.value, imm(st, oparg)};
    int g = call_helper(st, JitH_compare_op, 3, args, 2, 0);
    JitHirInstr *t = emit(st, JitHir_IsTrue, 1, &g);
    attach_fs(st, t, 0, 0);
    if (t == NULL) {
        return -1;
    }
    /* The object result is no longer needed. */
    emit_0(st, JitHir_Decref, 0, 1, g, 0);
    int out;
    split_join(st, &sp, 1, &fast, &t->value, &out);
    return out;
}

/* UNPACK_SEQUENCE of at most UNPACK_INLINE_MAX items: read inline from an
 * exact tuple or an exact list of that length, whichever the interpreter
 * specialized the site for tested first (tuple when it did not), the
 * other one second; anything else goes to the helper.  Both are cheap to
 * test, and a site that sees both (one function unpacking tuples in one
 * call and lists in the next) would otherwise leave one of them to the
 * helper for good, since the profile compiled code was built from no
 * longer changes.  Pushes the items. */
#define UNPACK_INLINE_MAX 16

/* The items of seq (an exact tp of n items: checked), with references. */
static void
unpack_items(BuildState *st, int seq, PyTypeObject *tp, int n, int *out)
{
    int items = seq;
    int64_t first = offsetof(PyTupleObject, ob_item);
    if (tp == &PyList_Type) {
        items = field(st, seq, offsetof(PyListObject, ob_item), 8);
        first = 0;
    }
    for (int j = 0; j < n; j++) {
        /* The last item ends up lowest on the stack. */
        out[j] = field(st, items,
                       first + (int64_t)sizeof(PyObject *) * (n - 1 - j), 8);
        emit_0(st, JitHir_Incref, 0, 1, out[j], 0);
    }
}

static int
unpack_inline(BuildState *st, const Ins *ins, Entry seq)
{
    int n = ins->oparg;
    if (n > UNPACK_INLINE_MAX || n < 1) {
        return -1;
    }
    PyTypeObject *first = &PyTuple_Type, *second = &PyList_Type;
    if (ins->opcode == UNPACK_SEQUENCE_LIST) {
        first = &PyList_Type;
        second = &PyTuple_Type;
    }
    int base = st->sp - 1;
    int fast1[UNPACK_INLINE_MAX], fast2[UNPACK_INLINE_MAX];
    int slow[UNPACK_INLINE_MAX], inner[UNPACK_INLINE_MAX];
    int out[UNPACK_INLINE_MAX];
    Split outer, sp;
    split_begin(st, &outer);
    check(st, type_is(st, seq.value, first), outer.slow);
    int size = field(st, seq.value, offsetof(PyVarObject, ob_size), 8);
    check(st, raw_cmp(st, JitLirCond_EQ, size, imm(st, n)), outer.slow);
    unpack_items(st, seq.value, first, n, fast1);
    split_slow(st, &outer);
    split_begin(st, &sp);
    check(st, type_is(st, seq.value, second), sp.slow);
    size = field(st, seq.value, offsetof(PyVarObject, ob_size), 8);
    check(st, raw_cmp(st, JitLirCond_EQ, size, imm(st, n)), sp.slow);
    unpack_items(st, seq.value, second, n, fast2);
    split_slow(st, &sp);
    int args[4] = {st->frame_v, imm(st, base), seq.value, imm(st, n)};
    call_helper(st, JitH_unpack_sequence, 4, args, 1, 0);
    for (int j = 0; j < n; j++) {
        slow[j] = load_slot(st, base + j);
    }
    split_join(st, &sp, n, fast2, slow, inner);
    split_join(st, &outer, n, fast1, inner, out);
    pop(st);
    release(st, seq);
    for (int j = 0; j < n; j++) {
        push(st, out[j], 1, -1);
    }
    return 0;
}

/* The value the name has in the globals, else the builtins, now
 * (borrowed, no exception); NULL if none or they are not exact dicts. */
static PyObject *
global_now(BuildState *st, PyObject *name)
{
    PyObject *g = st->hir->globals, *b = st->hir->builtins;
    if (!PyDict_CheckExact(g) || !PyDict_CheckExact(b)
        || !PyUnicode_CheckExact(name)) {
        return NULL;
    }
    PyObject *v = PyDict_GetItemWithError(g, name);
    if (v == NULL && !PyErr_Occurred()) {
        v = PyDict_GetItemWithError(b, name);
    }
    if (v == NULL) {
        PyErr_Clear();
    }
    return v;
}

/* LOAD_GLOBAL_MODULE / _BUILTIN: the value from the dict entry the cache
 * names, behind checks of the keys' versions; else the generic lookup (a
 * module that gains a global changes its keys' version: the site goes on
 * working, through the helper).  -1 if not specialized. */
static int
load_global_cached(BuildState *st, const Ins *ins, PyObject *name)
{
    if (ins->opcode != LOAD_GLOBAL_MODULE && ins->opcode != LOAD_GLOBAL_BUILTIN) {
        return -1;
    }
    if (!PyDict_CheckExact(st->hir->globals)
        || !PyDict_CheckExact(st->hir->builtins)) {
        return -1;
    }
    _PyLoadGlobalCache *cache = (_PyLoadGlobalCache *)cache_of(st, ins);
    uint32_t gver = read32(cache->module_keys_version);
    PyDictObject *gd = (PyDictObject *)st->hir->globals;
    if (gd->ma_keys->dk_version != gver || !DK_IS_UNICODE(gd->ma_keys)) {
        return -1;
    }
    PyDictObject *d = gd;
    uint32_t ver = gver;
    if (ins->opcode == LOAD_GLOBAL_BUILTIN) {
        d = (PyDictObject *)st->hir->builtins;
        ver = cache->builtin_keys_version;
        if (d->ma_keys->dk_version != ver || !DK_IS_UNICODE(d->ma_keys)) {
            return -1;
        }
    }
    uint16_t index = cache->index;
    if (index >= d->ma_keys->dk_nentries) {
        return -1;
    }
    int64_t value_off = (char *)&DK_UNICODE_ENTRIES(d->ma_keys)[index].me_value
                        - (char *)d->ma_keys;
    PyObject *now = DK_UNICODE_ENTRIES(d->ma_keys)[index].me_value;
    Split sp;
    split_begin(st, &sp);
    int g = const_obj(st, (PyObject *)gd);
    int gkeys = field(st, g, offsetof(PyDictObject, ma_keys), 8);
    int gv = field(st, gkeys, offsetof(PyDictKeysObject, dk_version), 4);
    check(st, raw_cmp(st, JitLirCond_EQ, gv, imm(st, gver)), sp.slow);
    int keys = gkeys;
    if (d != gd) {
        int b = const_obj(st, (PyObject *)d);
        keys = field(st, b, offsetof(PyDictObject, ma_keys), 8);
        int bv = field(st, keys, offsetof(PyDictKeysObject, dk_version), 4);
        check(st, raw_cmp(st, JitLirCond_EQ, bv, imm(st, ver)), sp.slow);
    }
    int v = field(st, keys, value_off, 8);
    check(st, v, sp.slow);
    emit_0(st, JitHir_Incref, 0, 1, v, 0);
    split_slow(st, &sp);
    int args[3] = {st->tstate_v, st->frame_v, const_obj(st, name)};
    int h = call_helper(st, JitH_load_global, 3, args, 0, 1);
    int out;
    split_join(st, &sp, 1, &v, &h, &out);
    if (now != NULL) {
        hint(st, out, now);
    }
    return out;
}

/* A generator's frame while its compiled code runs: stacktop -1, as the
 * eval loop leaves it while it runs a frame.  The collector
 * (gen_traverse) and gc.get_referents() then see nothing of the frame,
 * as with the interpreter; with the depth of the last yield left there
 * they walked slots whose references the code had moved into registers
 * and released (the nqueens crash).  Every way out of the code sets it
 * again: a yield, a deoptimization or error exit, a return (the run
 * time). */
static void
generator_running(BuildState *st)
{
    store_sized(st, st->frame_v, offsetof(_PyInterpreterFrame, stacktop),
                imm(st, -1), sizeof(((_PyInterpreterFrame *)0)->stacktop));
}

/* YIELD_VALUE of a generator: the value stack under the value goes to the
 * frame (as the interpreter leaves it: owned, stacktop past it), the frame
 * is marked suspended at this instruction, and the value is returned.  The
 * RESUME that follows becomes a resume point: a landing block that the
 * entry dispatches to when the generator is resumed there reloads the
 * stack from the frame, the sent value on top, and goes on at the RESUME's
 * block. */
static void
yield_value(BuildState *st, const Ins *ins)
{
    Ins nx;
    if (!(st->co->co_flags & CO_GENERATOR) || ins->next >= st->ncode
        || decode(st, ins->next, &nx) < 0 || nx.base != RESUME
        || st->resumes == NULL) {
        FAIL(st, "YIELD_VALUE outside a generator's yield");
        return;
    }
    Entry v = pop(st);
    own(st, &v);
    int depth = st->sp;
    char *kinds = PyMem_RawMalloc(depth + 1);
    if (kinds == NULL) {
        FAIL(st, "out of memory");
        return;
    }
    for (int i = 0; i < depth; i++) {
        Entry *e = &st->stack[i];
        kinds[i] = is_null_value(st, e->value) ? 0 : e->owned == 2 ? 2 : 1;
    }
    flush_top(st, depth);
    st->sp = 0;                 /* the frame owns them now */
    /* The frame as YIELD_VALUE leaves it: stacktop, prev_instr, and the
     * generator (around the frame) suspended. */
    JitHirInstr *in;
    int sargs[2] = {st->frame_v, imm(st, st->nlocalsplus + depth)};
    in = emit(st, JitHir_StoreField, 2, sargs);
    if (in != NULL) {
        in->imm = offsetof(_PyInterpreterFrame, stacktop);
        in->imm2 = sizeof(((_PyInterpreterFrame *)0)->stacktop);
    }
    store_word(st, st->frame_v, offsetof(_PyInterpreterFrame, prev_instr),
               imm(st, (int64_t)(uintptr_t)(st->code + ins->at)));
    sargs[1] = imm(st, FRAME_SUSPENDED);
    in = emit(st, JitHir_StoreField, 2, sargs);
    if (in != NULL) {
        in->imm = (int64_t)offsetof(PyGenObject, gi_frame_state)
                  - (int64_t)offsetof(PyGenObject, gi_iframe);
        in->imm2 = sizeof(((PyGenObject *)0)->gi_frame_state);
    }
    emit_0(st, JitHir_Return, 0, 1, v.value, 0);

    int landing = JitHir_NewBlock(st->hir);
    if (landing < 0) {
        PyMem_RawFree(kinds);
        FAIL(st, "out of memory");
        return;
    }
    st->hir->cur = landing;
    for (int i = 0; i < depth; i++) {
        if (kinds[i] == 0) {
            push(st, st->null_v, 2, -1);
        }
        else {
            push(st, load_slot(st, i), kinds[i], -1);
        }
    }
    push(st, load_slot(st, depth), 1, -1);      /* the sent value */
    PyMem_RawFree(kinds);
    /* The registers own those entries now: the frame is running again. */
    generator_running(st);
    int k = st->block_of[ins->next];
    if (k < 0 || st->blocks[k].reached || st->blocks[k].needs_phis) {
        FAIL(st, "a yield's RESUME is reached another way");
        return;
    }
    record_edge(st, k);
    st->resumes[st->nresumes].at = nx.at;
    st->resumes[st->nresumes].landing = landing;
    st->nresumes++;
}

/* A generator's entry: compiled code is entered at RESUME instructions
 * (the eval loop's hook, Jit/runtime.c): the first one, or one after a
 * yield that has a resume point.  Dispatch on the frame's prev_instr from
 * block `from` (empty) to the landing blocks; at the first RESUME to
 * block start; anywhere else return NULL without an exception, which the
 * hook takes as "interpret from here" with the frame untouched. */
static void
emit_resume_dispatch(BuildState *st, int from, int start, int first_resume)
{
    st->hir->cur = from;
    int pi = field(st, st->frame_v, offsetof(_PyInterpreterFrame, prev_instr), 8);
    for (int r = 0; r <= st->nresumes && !st->failed; r++) {
        int at = r < st->nresumes ? st->resumes[r].at : first_resume;
        int target = r < st->nresumes ? st->resumes[r].landing : start;
        int addr = imm(st, (int64_t)(uintptr_t)(st->code + at));
        int cond = raw_cmp(st, JitLirCond_EQ, pi, addr);
        int next = JitHir_NewBlock(st->hir);
        if (next < 0) {
            FAIL(st, "out of memory");
            return;
        }
        JitHirInstr *br = emit(st, JitHir_Branch, 1, &cond);
        if (br != NULL) {
            br->target = target;
            br->target2 = next;
        }
        st->hir->cur = next;
    }
    emit_0(st, JitHir_Return, 0, 1, st->null_v, 0);
}

static int
build_block(BuildState *st, int k)
{
    BcBlock *bl = &st->blocks[k];
    Ins ins;
    for (int i = bl->start; i < bl->end && !st->failed; i = ins.next) {
        decode(st, i, &ins);
        st->ins_start = ins.start;
        st->ins_at = ins.at;
        st->next = ins.next;
        int oparg = ins.oparg;
        PyObject *names = st->co->co_names;
        PyObject *consts = st->co->co_consts;
        switch (ins.base) {
        case PRECALL:
            st->precall = ins.opcode;
            break;
        case NOP:
        case RESUME:
        case CACHE:
            break;
        case LOAD_FAST:
        case LOAD_CLOSURE: {
            int v = emit_v(st, JitHir_LoadLocal, oparg, 0, 0, 0, 0);
            if (!(oparg < 256 && st->arg_never_deleted[oparg])) {
                guard(st, JitHir_GuardNotNull, v, 0, _PyJitDeopt_GuardValue);
            }
            push(st, v, 0, oparg);
            break;
        }
        case STORE_FAST: {
            Entry e = pop(st);
            own(st, &e);
            own_borrowed_from(st, oparg);
            int old = emit_v(st, JitHir_LoadLocal, oparg, 0, 0, 0, 0);
            emit_0(st, JitHir_StoreLocal, oparg, 1, e.value, 0);
            emit_0(st, JitHir_XDecref, 0, 1, old, 0);
            break;
        }
        case DELETE_FAST: {
            int old = emit_v(st, JitHir_LoadLocal, oparg, 0, 0, 0, 0);
            guard(st, JitHir_GuardNotNull, old, 0, _PyJitDeopt_GuardValue);
            own_borrowed_from(st, oparg);
            emit_0(st, JitHir_StoreLocal, oparg, 1, st->null_v, 0);
            emit_0(st, JitHir_Decref, 0, 1, old, 0);
            break;
        }
        case LOAD_CONST:
            push(st, const_obj(st, PyTuple_GET_ITEM(consts, oparg)), 0, -1);
            break;
        case LOAD_ASSERTION_ERROR:
            push(st, const_obj(st, PyExc_AssertionError), 0, -1);
            break;
        case POP_TOP:
            release(st, pop(st));
            break;
        case PUSH_NULL:
            push(st, st->null_v, 2, -1);
            break;
        case COPY: {
            if (oparg < 1 || oparg > st->sp) {
                FAIL(st, "bad COPY");
                break;
            }
            Entry e = st->stack[st->sp - oparg];
            if (!is_null_value(st, e.value)) {
                emit_0(st, JitHir_Incref, 0, 1, e.value, 0);
            }
            push(st, e.value, is_null_value(st, e.value) ? 2 : 1, -1);
            break;
        }
        case SWAP: {
            if (oparg < 2 || oparg > st->sp) {
                FAIL(st, "bad SWAP");
                break;
            }
            Entry t = st->stack[st->sp - 1];
            st->stack[st->sp - 1] = st->stack[st->sp - oparg];
            st->stack[st->sp - oparg] = t;
            break;
        }
        case KW_NAMES:
            st->kwnames = oparg;
            break;
        case RETURN_VALUE: {
            Entry e = pop(st);
            own(st, &e);
            while (st->sp > 0) {
                release(st, pop(st));
            }
            emit_0(st, JitHir_Return, 0, 1, e.value, 0);
            return 0;
        }
        case YIELD_VALUE: {
            yield_value(st, &ins);
            return st->failed ? -1 : 0;
        }
        case LOAD_GLOBAL: {
            PyObject *name = PyTuple_GET_ITEM(names, oparg >> 1);
            int v = load_global_cached(st, &ins, name);
            if (v < 0) {
                int args[3] = {st->tstate_v, st->frame_v, const_obj(st, name)};
                v = call_helper(st, JitH_load_global, 3, args, 0, 1);
                /* The cache is stale (say a global was added since): the
                 * value now is as good a hint. */
                PyObject *now = global_now(st, name);
                if (now != NULL) {
                    hint(st, v, now);
                }
            }
            if (oparg & 1) {
                push(st, st->null_v, 2, -1);
            }
            push(st, v, 1, -1);
            break;
        }
        case LOAD_ATTR: {
            PyObject *name = PyTuple_GET_ITEM(names, oparg);
            Entry owner = st->stack[st->sp - 1];
            int v = load_attr_cached(st, &ins, owner, name);
            if (v < 0) {
                v = generic_load_attr(st, owner, name, new_attr_cache(st));
            }
            pop(st);
            release(st, owner);
            push(st, v, 1, -1);
            break;
        }
        case STORE_ATTR: {
            PyObject *name = PyTuple_GET_ITEM(names, oparg);
            Entry owner = st->stack[st->sp - 1];
            Entry value = st->stack[st->sp - 2];
            if (store_attr_cached(st, &ins, owner, value, name) < 0) {
                generic_store_attr(st, owner, value, name, new_attr_cache(st));
            }
            pop(st);
            pop(st);
            release(st, owner);
            release(st, value);
            break;
        }
        case DELETE_ATTR: {
            PyObject *name = PyTuple_GET_ITEM(names, oparg);
            Entry owner = st->stack[st->sp - 1];
            int args[2] = {owner.value, const_obj(st, name)};
            call_helper(st, JitH_delete_attr, 2, args, 1, 0);
            pop(st);
            release(st, owner);
            break;
        }
        case LOAD_METHOD: {
            if (load_method_cached(st, &ins, PyTuple_GET_ITEM(names, oparg)) == 0) {
                break;
            }
            PyObject *name = PyTuple_GET_ITEM(names, oparg);
            Entry owner = st->stack[st->sp - 1];
            int base = st->sp - 1;
            int args[5] = {st->frame_v, imm(st, base), owner.value,
                           const_obj(st, name), new_attr_cache(st)};
            call_helper(st, JitH_load_method_cached, 5, args, 1, 0);
            pop(st);
            release(st, owner);
            push(st, load_slot(st, base), 2, -1);
            push(st, load_slot(st, base + 1), 1, -1);
            break;
        }
        case CALL: {
            int n = oparg + 2;
            if (n > st->sp) {
                FAIL(st, "bad CALL");
                break;
            }
            int kw = st->kwnames >= 0
                     ? const_obj(st, PyTuple_GET_ITEM(consts, st->kwnames))
                     : st->null_v;
            if (direct_call(st, &ins, oparg) < 0
                && direct_new(st, &ins, oparg) < 0
                && direct_builtin(st, oparg) < 0
                && call_cached(st, oparg) < 0) {
                push(st, generic_call(st, oparg, kw), 1, -1);
            }
            st->kwnames = -1;
            st->precall = 0;
            /* A call may switch tracing on: the rest runs interpreted. */
            st->ins_start = ins.next;
            JitHirInstr *ct = emit(st, JitHir_CheckTracing, 0, NULL);
            attach_fs(st, ct, 0, _PyJitDeopt_Tracing);
            break;
        }
        case BINARY_OP: {
            Entry rhs = st->stack[st->sp - 1];
            Entry lhs = st->stack[st->sp - 2];
            int v = binary_op_cached(st, &ins, lhs, rhs);
            if (v < 0) {
                v = bitwise_int(st, &ins, lhs, rhs);
            }
            if (v < 0) {
                v = generic_binary_op(st, &ins, lhs, rhs);
            }
            pop(st);
            pop(st);
            release(st, lhs);
            release(st, rhs);
            push(st, v, 1, -1);
            break;
        }
        case COMPARE_OP: {
            Entry rhs = st->stack[st->sp - 1];
            Entry lhs = st->stack[st->sp - 2];
            int raw = compare_cached(st, &ins, lhs, rhs);
            if (raw >= 0) {
                int v = emit_v(st, JitHir_BoolFromRaw, 0, 1, raw, 0, 0);
                pop(st);
                pop(st);
                release(st, lhs);
                release(st, rhs);
                push(st, v, 0, -1);
                break;
            }
            int v = compare_int_generic(st, &ins, lhs, rhs);
            if (v < 0) {
                int args[3] = {lhs.value, rhs.value, imm(st, oparg)};
                v = call_helper(st, JitH_compare_op, 3, args, 2, 0);
            }
            pop(st);
            pop(st);
            release(st, lhs);
            release(st, rhs);
            push(st, v, 1, -1);
            break;
        }
        case IS_OP: {
            Entry rhs = pop(st);
            Entry lhs = pop(st);
            int r = emit_v(st, JitHir_PtrEq, 0, 2, lhs.value, rhs.value, 0);
            release(st, lhs);
            release(st, rhs);
            push(st, emit_v(st, JitHir_BoolFromRaw, oparg ? 1 : 0, 1, r, 0, 0),
                 0, -1);
            break;
        }
        case CONTAINS_OP: {
            Entry rhs = st->stack[st->sp - 1];
            Entry lhs = st->stack[st->sp - 2];
            int args[2] = {rhs.value, lhs.value};
            int r = call_helper(st, JitH_contains, 2, args, 2, 0);
            pop(st);
            pop(st);
            release(st, lhs);
            release(st, rhs);
            push(st, emit_v(st, JitHir_BoolFromRaw, oparg ? 1 : 0, 1, r, 0, 0),
                 0, -1);
            break;
        }
        case UNARY_NEGATIVE:
        case UNARY_POSITIVE:
        case UNARY_INVERT: {
            Entry e = st->stack[st->sp - 1];
            int args[2] = {e.value, imm(st, ins.base)};
            int v = call_helper(st, JitH_unary, 2, args, 1, 0);
            pop(st);
            release(st, e);
            push(st, v, 1, -1);
            break;
        }
        case UNARY_NOT: {
            Entry e = st->stack[st->sp - 1];
            JitHirInstr *t = emit(st, JitHir_IsTrue, 1, &e.value);
            attach_fs(st, t, 1, 0);
            pop(st);
            release(st, e);
            if (t != NULL) {
                push(st, emit_v(st, JitHir_BoolFromRaw, 1, 1, t->value, 0, 0),
                     0, -1);
            }
            break;
        }
        case POP_JUMP_FORWARD_IF_TRUE: case POP_JUMP_FORWARD_IF_FALSE:
        case POP_JUMP_BACKWARD_IF_TRUE: case POP_JUMP_BACKWARD_IF_FALSE: {
            int jump_if_true = ins.base == POP_JUMP_FORWARD_IF_TRUE
                               || ins.base == POP_JUMP_BACKWARD_IF_TRUE;
            if (is_backward(ins.base)) {
                JitHirInstr *cb = emit(st, JitHir_CheckEvalBreaker, 0, NULL);
                attach_fs(st, cb, 0, _PyJitDeopt_EvalBreaker);
            }
            Entry e = st->stack[st->sp - 1];
            JitHirInstr *def = st->hir->values[e.value];
            int raw;
            if (def->op == JitHir_BoolFromRaw) {
                raw = def->args[0];
                if (def->imm) {
                    jump_if_true = !jump_if_true;
                }
            }
            else {
                JitHirInstr *t = emit(st, JitHir_IsTrue, 1, &e.value);
                attach_fs(st, t, 1, 0);
                raw = t ? t->value : -1;
            }
            pop(st);
            release(st, e);
            int tgt = st->block_of[jump_target(&ins)];
            int fall = st->block_of[ins.next];
            if (jump_if_true) {
                branch_to(st, raw, tgt, 0, fall, 0);
            }
            else {
                branch_to(st, raw, fall, 0, tgt, 0);
            }
            return 0;
        }
        case POP_JUMP_FORWARD_IF_NONE: case POP_JUMP_FORWARD_IF_NOT_NONE:
        case POP_JUMP_BACKWARD_IF_NONE: case POP_JUMP_BACKWARD_IF_NOT_NONE: {
            int jump_if_none = ins.base == POP_JUMP_FORWARD_IF_NONE
                               || ins.base == POP_JUMP_BACKWARD_IF_NONE;
            if (is_backward(ins.base)) {
                JitHirInstr *cb = emit(st, JitHir_CheckEvalBreaker, 0, NULL);
                attach_fs(st, cb, 0, _PyJitDeopt_EvalBreaker);
            }
            Entry e = pop(st);
            int raw = emit_v(st, JitHir_PtrEq, 0, 2, e.value,
                             const_obj(st, Py_None), 0);
            release(st, e);
            int tgt = st->block_of[jump_target(&ins)];
            int fall = st->block_of[ins.next];
            if (jump_if_none) {
                branch_to(st, raw, tgt, 0, fall, 0);
            }
            else {
                branch_to(st, raw, fall, 0, tgt, 0);
            }
            return 0;
        }
        case JUMP_IF_TRUE_OR_POP:
        case JUMP_IF_FALSE_OR_POP: {
            Entry e = st->stack[st->sp - 1];
            JitHirInstr *t = emit(st, JitHir_IsTrue, 1, &e.value);
            attach_fs(st, t, 0, 0);
            if (t == NULL) {
                break;
            }
            int tgt = st->block_of[jump_target(&ins)];
            int fall = st->block_of[ins.next];
            if (ins.base == JUMP_IF_TRUE_OR_POP) {
                branch_to(st, t->value, tgt, 0, fall, 1);
            }
            else {
                branch_to(st, t->value, fall, 1, tgt, 0);
            }
            return 0;
        }
        case JUMP_FORWARD:
        case JUMP_BACKWARD_NO_INTERRUPT:
            record_edge(st, st->block_of[jump_target(&ins)]);
            return 0;
        case JUMP_BACKWARD: {
            JitHirInstr *cb = emit(st, JitHir_CheckEvalBreaker, 0, NULL);
            attach_fs(st, cb, 0, _PyJitDeopt_EvalBreaker);
            record_edge(st, st->block_of[jump_target(&ins)]);
            return 0;
        }
        case GET_ITER: {
            Entry e = st->stack[st->sp - 1];
            int v = call_helper(st, JitH_get_iter, 1, &e.value, 1, 0);
            pop(st);
            release(st, e);
            push(st, v, 1, -1);
            break;
        }
        case GET_YIELD_FROM_ITER: {
            Entry e = st->stack[st->sp - 1];
            int args[2] = {st->frame_v, e.value};
            int v = call_helper(st, JitH_get_yield_from_iter, 2, args, 1, 0);
            pop(st);
            release(st, e);
            push(st, v, 1, -1);
            break;
        }
        case SEND: {
            /* [receiver, value]: the helper sends the value (consumed)
             * and leaves what came back in the value's slot. */
            if (st->sp < 2 || !(st->co->co_flags & CO_GENERATOR)) {
                FAIL(st, "bad SEND");
                break;
            }
            int base = flush_top(st, 2);
            int args[2] = {st->frame_v, imm(st, base)};
            int status = call_helper(st, JitH_send, 2, args, 1, 0);
            if (status < 0) {
                break;
            }
            JitFrameState *fs = st->hir->values[status]->fs;
            if (fs != NULL) {
                fs->owned[fs->depth - 1] = 0;   /* the helper took it */
            }
            st->sp--;
            int returned = raw_cmp(st, JitLirCond_EQ, status, imm(st, 1));
            int bt, bf;
            if (branch_new(st, returned, &bt, &bf) < 0) {
                break;
            }
            Entry receiver = st->stack[st->sp - 1];
            /* Returned: the result replaces the receiver; jump. */
            st->hir->cur = bt;
            release(st, pop(st));
            push(st, load_slot(st, base + 1), 1, -1);
            record_edge(st, st->block_of[jump_target(&ins)]);
            /* Yielded a value: pushed for the YIELD_VALUE that follows. */
            st->stack[st->sp - 1] = receiver;
            st->hir->cur = bf;
            push(st, load_slot(st, base + 1), 1, -1);
            record_edge(st, st->block_of[ins.next]);
            return 0;
        }
        case FOR_ITER: {
            Entry it = st->stack[st->sp - 1];
            int v = for_iter_fast(st, it);
            int done = emit_v(st, JitHir_PtrEq, 0, 2, v,
                              imm(st, (int64_t)(uintptr_t)JIT_ITER_DONE), 0);
            int tgt = st->block_of[jump_target(&ins)];
            int fall = st->block_of[ins.next];
            /* Not done: push the item.  Done: pop the iterator. */
            int bt, bf;
            if (branch_new(st, done, &bt, &bf) < 0) {
                break;
            }
            int saved_sp = st->sp;
            Entry saved_top = st->stack[st->sp - 1];
            st->hir->cur = bt;
            release(st, pop(st));
            record_edge(st, tgt);
            st->sp = saved_sp;
            st->stack[st->sp - 1] = saved_top;
            st->hir->cur = bf;
            push(st, v, 1, -1);
            record_edge(st, fall);
            return 0;
        }
        case BINARY_SUBSCR: {
            Entry sub = st->stack[st->sp - 1];
            Entry container = st->stack[st->sp - 2];
            int v = subscr_cached(st, &ins, container, sub);
            if (v < 0) {
                int args[2] = {container.value, sub.value};
                v = call_helper(st, JitH_binary_subscr, 2, args, 2, 0);
            }
            pop(st);
            pop(st);
            release(st, container);
            release(st, sub);
            push(st, v, 1, -1);
            break;
        }
        case STORE_SUBSCR: {
            Entry sub = st->stack[st->sp - 1];
            Entry container = st->stack[st->sp - 2];
            Entry value = st->stack[st->sp - 3];
            if (store_subscr_cached(st, &ins, container, sub, value) < 0) {
                int args[3] = {container.value, sub.value, value.value};
                call_helper(st, JitH_store_subscr, 3, args, 3, 0);
            }
            pop(st);
            pop(st);
            pop(st);
            release(st, sub);
            release(st, container);
            release(st, value);
            break;
        }
        case DELETE_SUBSCR: {
            Entry sub = st->stack[st->sp - 1];
            Entry container = st->stack[st->sp - 2];
            int args[2] = {container.value, sub.value};
            call_helper(st, JitH_delete_subscr, 2, args, 2, 0);
            pop(st);
            pop(st);
            release(st, sub);
            release(st, container);
            break;
        }
        case BUILD_TUPLE: case BUILD_LIST: case BUILD_SET: case BUILD_STRING:
        case BUILD_MAP: case BUILD_CONST_KEY_MAP: case BUILD_SLICE:
        case LIST_TO_TUPLE: {
            int n = ins.base == BUILD_MAP ? 2 * oparg
                    : ins.base == BUILD_CONST_KEY_MAP ? oparg + 1
                    : ins.base == LIST_TO_TUPLE ? 1 : oparg;
            if (n > st->sp) {
                FAIL(st, "bad BUILD");
                break;
            }
            int count = ins.base == LIST_TO_TUPLE ? 1 : oparg;
            int base = flush_top(st, n);
            int args[4] = {st->frame_v, imm(st, base), imm(st, count),
                           imm(st, ins.base)};
            int v = slot_helper(st, JitH_build, 4, args, n);
            push(st, v, 1, -1);
            break;
        }
        case LIST_APPEND: case SET_ADD: case LIST_EXTEND: case SET_UPDATE: {
            Entry v = st->stack[st->sp - 1];
            if (oparg + 1 > st->sp) {
                FAIL(st, "bad LIST_APPEND");
                break;
            }
            Entry target = st->stack[st->sp - 1 - oparg];
            JitHelperId h = ins.base == LIST_APPEND ? JitH_list_append
                            : ins.base == SET_ADD ? JitH_set_add
                            : ins.base == LIST_EXTEND ? JitH_list_extend
                            : JitH_set_update;
            int args[2] = {target.value, v.value};
            call_helper(st, h, 2, args, 1, 0);
            pop(st);
            release(st, v);
            break;
        }
        case MAP_ADD: {
            Entry value = st->stack[st->sp - 1];
            Entry key = st->stack[st->sp - 2];
            if (oparg + 2 > st->sp) {
                FAIL(st, "bad MAP_ADD");
                break;
            }
            Entry dict = st->stack[st->sp - 2 - oparg];
            int args[3] = {dict.value, key.value, value.value};
            call_helper(st, JitH_map_add, 3, args, 2, 0);
            pop(st);
            pop(st);
            release(st, key);
            release(st, value);
            break;
        }
        case UNPACK_SEQUENCE: {
            Entry seq = st->stack[st->sp - 1];
            if (unpack_inline(st, &ins, seq) == 0) {
                break;
            }
            int base = st->sp - 1;
            if (base + oparg > st->co->co_stacksize) {
                FAIL(st, "bad UNPACK_SEQUENCE");
                break;
            }
            int args[4] = {st->frame_v, imm(st, base), seq.value, imm(st, oparg)};
            call_helper(st, JitH_unpack_sequence, 4, args, 1, 0);
            pop(st);
            release(st, seq);
            for (int j = 0; j < oparg; j++) {
                push(st, load_slot(st, base + j), 1, -1);
            }
            break;
        }
        case LOAD_DEREF: {
            /* The cell's contents, inline; an empty cell deoptimizes (the
             * interpreter raises its NameError). */
            int off = (int)(offsetof(_PyInterpreterFrame, localsplus)
                            + sizeof(PyObject *) * oparg);
            int cell = field(st, st->frame_v, off, 8);
            int v = field(st, cell, offsetof(PyCellObject, ob_ref), 8);
            guard(st, JitHir_GuardNotNull, v, 0, _PyJitDeopt_GuardValue);
            push(st, v, 0, -1);
            own(st, &st->stack[st->sp - 1]);
            break;
        }
        case STORE_DEREF: {
            Entry e = pop(st);
            own(st, &e);
            int args[3] = {st->frame_v, imm(st, oparg), e.value};
            JitHirInstr *in = emit(st, JitHir_CallHelper, 3, args);
            if (in != NULL) {
                in->imm = JitH_store_deref;
            }
            break;
        }
        case MAKE_FUNCTION: {
            int n = 1 + !!(oparg & 1) + !!(oparg & 2) + !!(oparg & 4)
                    + !!(oparg & 8);
            if (n > st->sp) {
                FAIL(st, "bad MAKE_FUNCTION");
                break;
            }
            int base = flush_top(st, n);
            int args[3] = {st->frame_v, imm(st, base), imm(st, oparg)};
            int v = slot_helper(st, JitH_make_function, 3, args, n);
            push(st, v, 1, -1);
            break;
        }
        case FORMAT_VALUE: {
            int have_spec = (oparg & 4) != 0;
            Entry spec = {st->null_v, 2, -1};
            Entry value;
            if (have_spec) {
                spec = st->stack[st->sp - 1];
                value = st->stack[st->sp - 2];
            }
            else {
                value = st->stack[st->sp - 1];
            }
            int args[3] = {value.value, spec.value, imm(st, oparg & 3)};
            int v = call_helper(st, JitH_format_value, 3, args, 1 + have_spec, 0);
            pop(st);
            if (have_spec) {
                pop(st);
                release(st, spec);
            }
            release(st, value);
            push(st, v, 1, -1);
            break;
        }
        case CALL_FUNCTION_EX: {
            int n = 3 + (oparg & 1);
            if (n > st->sp) {
                FAIL(st, "bad CALL_FUNCTION_EX");
                break;
            }
            /* The interpreter converts other iterables and mappings first,
             * with its own error messages: it does those. */
            Entry callargs = st->stack[st->sp - 1 - (oparg & 1)];
            guard(st, JitHir_GuardType, callargs.value,
                  (int64_t)(uintptr_t)&PyTuple_Type, _PyJitDeopt_GuardType);
            if (oparg & 1) {
                guard(st, JitHir_GuardType, st->stack[st->sp - 1].value,
                      (int64_t)(uintptr_t)&PyDict_Type, _PyJitDeopt_GuardType);
            }
            int base = flush_top(st, n);
            int args[3] = {st->frame_v, imm(st, base), imm(st, oparg)};
            int v = slot_helper(st, JitH_call_ex, 3, args, n);
            push(st, v, 1, -1);
            st->ins_start = ins.next;
            JitHirInstr *ct = emit(st, JitHir_CheckTracing, 0, NULL);
            attach_fs(st, ct, 0, _PyJitDeopt_Tracing);
            break;
        }
        case DICT_MERGE:
        case DICT_UPDATE: {
            Entry update = st->stack[st->sp - 1];
            int need = ins.base == DICT_MERGE ? oparg + 3 : oparg + 1;
            if (need > st->sp) {
                FAIL(st, "bad DICT_MERGE");
                break;
            }
            Entry dict = st->stack[st->sp - 1 - oparg];
            if (ins.base == DICT_MERGE) {
                /* The function being called, for the error message. */
                Entry func = st->stack[st->sp - 3 - oparg];
                int args[3] = {dict.value, update.value, func.value};
                call_helper(st, JitH_dict_merge, 3, args, 1, 0);
            }
            else {
                int args[2] = {dict.value, update.value};
                call_helper(st, JitH_dict_update, 2, args, 1, 0);
            }
            pop(st);
            release(st, update);
            break;
        }
        case RAISE_VARARGS: {
            if (oparg > 2 || oparg > st->sp) {
                FAIL(st, "bad RAISE_VARARGS");
                break;
            }
            Entry none = {st->null_v, 2, -1};
            Entry exc = oparg >= 1 ? st->stack[st->sp - oparg] : none;
            Entry cause = oparg == 2 ? st->stack[st->sp - 1] : none;
            int args[4] = {st->tstate_v, exc.value, cause.value, imm(st, oparg)};
            /* Never returns an object: the error exit releases the
             * operands; a bare raise that re-raises deoptimizes (the
             * interpreter re-raises without a traceback entry). */
            int v = call_helper(st, JitH_raise_varargs, 4, args, oparg,
                                oparg == 0);
            emit_0(st, JitHir_Return, 0, 1, v, 0);     /* not reached */
            return 0;
        }
        case STORE_GLOBAL: {
            Entry e = st->stack[st->sp - 1];
            int args[3] = {st->frame_v, const_obj(st, PyTuple_GET_ITEM(names, oparg)),
                           e.value};
            call_helper(st, JitH_store_global, 3, args, 1, 0);
            pop(st);
            release(st, e);
            break;
        }
        case DELETE_GLOBAL: {
            int args[3] = {st->tstate_v, st->frame_v,
                           const_obj(st, PyTuple_GET_ITEM(names, oparg))};
            call_helper(st, JitH_delete_global, 3, args, 0, 0);
            break;
        }
        case DELETE_DEREF: {
            int args[3] = {st->tstate_v, st->frame_v, imm(st, oparg)};
            call_helper(st, JitH_delete_deref, 3, args, 0, 0);
            break;
        }
        case GET_LEN: {
            Entry e = st->stack[st->sp - 1];
            push(st, call_helper(st, JitH_len, 1, &e.value, 0, 0), 1, -1);
            break;
        }
        case IMPORT_NAME: {
            Entry fromlist = st->stack[st->sp - 1];
            Entry level = st->stack[st->sp - 2];
            int args[5] = {st->tstate_v, st->frame_v,
                           const_obj(st, PyTuple_GET_ITEM(names, oparg)),
                           fromlist.value, level.value};
            int v = call_helper(st, JitH_import_name, 5, args, 2, 0);
            pop(st);
            pop(st);
            release(st, fromlist);
            release(st, level);
            push(st, v, 1, -1);
            /* The import ran code, which may have switched tracing on. */
            st->ins_start = ins.next;
            JitHirInstr *ct = emit(st, JitHir_CheckTracing, 0, NULL);
            attach_fs(st, ct, 0, _PyJitDeopt_Tracing);
            break;
        }
        case IMPORT_FROM: {
            Entry module = st->stack[st->sp - 1];
            int args[3] = {st->tstate_v, module.value,
                           const_obj(st, PyTuple_GET_ITEM(names, oparg))};
            push(st, call_helper(st, JitH_import_from, 3, args, 0, 0), 1, -1);
            break;
        }
        case LOAD_BUILD_CLASS: {
            int args[2] = {st->tstate_v, st->frame_v};
            push(st, call_helper(st, JitH_load_build_class, 2, args, 0, 0), 1, -1);
            break;
        }
        case UNPACK_EX: {
            Entry seq = st->stack[st->sp - 1];
            int total = 1 + (oparg & 0xFF) + (oparg >> 8);
            int base = st->sp - 1;
            if (base + total > st->co->co_stacksize) {
                FAIL(st, "bad UNPACK_EX");
                break;
            }
            int args[5] = {st->tstate_v, st->frame_v, imm(st, base), seq.value,
                           imm(st, oparg)};
            call_helper(st, JitH_unpack_ex, 5, args, 1, 0);
            pop(st);
            release(st, seq);
            for (int j = 0; j < total; j++) {
                push(st, load_slot(st, base + j), 1, -1);
            }
            break;
        }
        case MATCH_MAPPING:
        case MATCH_SEQUENCE: {
            /* The subject's type flag, read inline (type flags of the
             * constants' immutable types never change). */
            Entry subject = st->stack[st->sp - 1];
            unsigned long flag = ins.base == MATCH_MAPPING ? Py_TPFLAGS_MAPPING
                                                           : Py_TPFLAGS_SEQUENCE;
            PyObject *c = const_of(st, subject.value);
            int raw;
            if (c != NULL) {
                raw = imm(st, (Py_TYPE(c)->tp_flags & flag) != 0);
            }
            else {
                int tp = field(st, subject.value, offsetof(PyObject, ob_type), 8);
                int flags = field(st, tp, offsetof(PyTypeObject, tp_flags),
                                  sizeof(unsigned long));
                raw = raw_bin(st, JitLirOp_And, flags, imm(st, (int64_t)flag));
            }
            push(st, emit_v(st, JitHir_BoolFromRaw, 0, 1, raw, 0, 0), 0, -1);
            break;
        }
        case MATCH_KEYS: {
            Entry keys = st->stack[st->sp - 1];
            Entry subject = st->stack[st->sp - 2];
            int args[3] = {st->tstate_v, subject.value, keys.value};
            push(st, call_helper(st, JitH_match_keys, 3, args, 0, 0), 1, -1);
            break;
        }
        case MATCH_CLASS: {
            Entry kwnames = st->stack[st->sp - 1];
            Entry type = st->stack[st->sp - 2];
            Entry subject = st->stack[st->sp - 3];
            int args[5] = {st->tstate_v, subject.value, type.value,
                           kwnames.value, imm(st, oparg)};
            int v = call_helper(st, JitH_match_class, 5, args, 3, 0);
            pop(st);
            pop(st);
            pop(st);
            release(st, kwnames);
            release(st, type);
            release(st, subject);
            push(st, v, 1, -1);
            break;
        }
        case BEFORE_WITH: {
            if (st->sp + 1 > st->co->co_stacksize) {
                FAIL(st, "bad BEFORE_WITH");
                break;
            }
            int base = flush_top(st, 1);
            int args[3] = {st->tstate_v, st->frame_v, imm(st, base)};
            slot_helper(st, JitH_before_with, 3, args, 1);
            push(st, load_slot(st, base), 1, -1);          /* __exit__ */
            push(st, load_slot(st, base + 1), 1, -1);      /* __enter__() */
            /* __enter__ may have switched tracing on. */
            st->ins_start = ins.next;
            JitHirInstr *ct = emit(st, JitHir_CheckTracing, 0, NULL);
            attach_fs(st, ct, 0, _PyJitDeopt_Tracing);
            break;
        }
        case GET_AITER: {
            Entry e = st->stack[st->sp - 1];
            int v = call_helper(st, JitH_get_aiter, 1, &e.value, 1, 0);
            pop(st);
            release(st, e);
            push(st, v, 1, -1);
            break;
        }
        default:
            /* Not compiled: the interpreter runs it (and the rest). */
            deopt_here(st, _PyJitDeopt_Unsupported);
            return 0;
        }
    }
    if (st->failed) {
        return -1;
    }
    /* Fell off the end of the block into the next one. */
    if (k + 1 < st->nblocks) {
        record_edge(st, k + 1);
    }
    else {
        FAIL(st, "code falls off its end");
    }
    return st->failed ? -1 : 0;
}

int
JitHir_Build(JitHir *hir)
{
    PyCodeObject *co = hir->code;
    BuildState st;
    memset(&st, 0, sizeof(st));
    st.hir = hir;
    st.co = co;
    st.code = _PyCode_CODE(co);
    st.ncode = (int)Py_SIZE(co);
    st.nlocalsplus = co->co_nlocalsplus;
    st.kwnames = -1;
    int rc = -1;
    st.stack = PyMem_RawCalloc(co->co_stacksize + 1, sizeof(Entry));
    if (st.stack == NULL) {
        snprintf(hir->error, sizeof(hir->error), "out of memory");
        return -1;
    }
    /* Compiled code starts after the RESUME that the eval loop ran. */
    Ins ins;
    st.first = -1;
    for (int i = 0; i < st.ncode; i = ins.next) {
        if (decode(&st, i, &ins) < 0) {
            break;
        }
        if (ins.base == RESUME) {
            st.first = ins.next;
            break;
        }
    }
    if (st.first < 0 || st.first >= st.ncode) {
        snprintf(hir->error, sizeof(hir->error), "no RESUME instruction");
        goto done;
    }
    if (find_blocks(&st) < 0) {
        if (!st.failed) {
            snprintf(hir->error, sizeof(hir->error), "out of memory");
        }
        goto done;
    }
    /* Arguments that no DELETE_FAST touches are never NULL. */
    int nargs = co->co_argcount + co->co_kwonlyargcount
                + !!(co->co_flags & CO_VARARGS) + !!(co->co_flags & CO_VARKEYWORDS);
    for (int i = 0; i < nargs && i < 256; i++) {
        _PyLocals_Kind kind = _PyLocals_GetKind(co->co_localspluskinds, i);
        st.arg_never_deleted[i] = !(kind & CO_FAST_CELL);
    }
    for (int i = 0; i < st.ncode; i = ins.next) {
        decode(&st, i, &ins);
        if (ins.base == DELETE_FAST && ins.oparg < 256) {
            st.arg_never_deleted[ins.oparg] = 0;
        }
    }
    /* The entry block: parameters, then the first bytecode block. */
    hir->cur = JitHir_NewBlock(hir);
    if (hir->cur < 0) {
        FAIL(&st, "out of memory");
        goto done;
    }
    st.tstate_v = emit_v(&st, JitHir_Param, 0, 0, 0, 0, 0);
    st.frame_v = emit_v(&st, JitHir_Param, 1, 0, 0, 0, 0);
    st.null_v = emit_v(&st, JitHir_Const, 0, 0, 0, 0, 0);
    st.sp = 0;
    int first = st.first;
    int dispatch = -1, start = -1;
    if (co->co_flags & CO_GENERATOR) {
        /* Room for a resume point per YIELD_VALUE; the dispatch block is
         * filled once they are known. */
        int nyields = 0;
        for (int i = 0; i < st.ncode; i = ins.next) {
            decode(&st, i, &ins);
            nyields += ins.base == YIELD_VALUE;
        }
        st.resumes = PyMem_RawCalloc(nyields + 1, sizeof(*st.resumes));
        dispatch = JitHir_NewBlock(hir);
        start = JitHir_NewBlock(hir);
        if (st.resumes == NULL || dispatch < 0 || start < 0) {
            FAIL(&st, "out of memory");
            goto done;
        }
        JitHirInstr *j = emit(&st, JitHir_Jump, 0, NULL);
        if (j != NULL) {
            j->target = dispatch;
        }
        hir->cur = start;
        generator_running(&st);
    }
    /* RESUME may sit inside block 0: start a block right after it. */
    record_edge(&st, st.block_of[first]);
    for (int k = 0; k < st.nblocks && !st.failed; k++) {
        if (st.blocks[k].start < first) {
            continue;
        }
        if (!enter_block(&st, k)) {
            continue;
        }
        if (build_block(&st, k) < 0) {
            break;
        }
    }
    if (dispatch >= 0 && !st.failed) {
        /* prev_instr at the first RESUME: the code unit before first. */
        Ins r;
        int first_resume = 0;
        for (int i = 0; i < first; i = r.next) {
            decode(&st, i, &r);
            first_resume = r.at;
        }
        emit_resume_dispatch(&st, dispatch, start, first_resume);
    }
    if (!st.failed) {
        rc = 0;
    }
done:
    for (int k = 0; k < st.nblocks; k++) {
        for (int p = 0; p < st.blocks[k].npending; p++) {
            PyMem_RawFree(st.blocks[k].pending[p].stack);
        }
        PyMem_RawFree(st.blocks[k].pending);
        PyMem_RawFree(st.blocks[k].phis);
    }
    PyMem_RawFree(st.blocks);
    PyMem_RawFree(st.block_of);
    PyMem_RawFree(st.stack);
    PyMem_RawFree(st.resumes);
    return rc;
}
