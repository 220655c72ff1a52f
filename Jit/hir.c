/* HIR construction, freeing, the passes' use counts and value
 * replacements, and the text form (Jit/hir.h).
 *
 * Data: owns nothing beyond the JitHir it is given; every allocation made
 * here belongs to that JitHir and is freed by JitHir_Free, except the
 * replacement maps of JitHir_NewReplacements, which belong to the pass
 * that asked for one.
 *
 * Text form, one block after another (Jit/hir_parse.c reads it back):
 *
 *   bb1 (@12):                      block 1, starts at code unit 12
 *     v3 = LoadLocal 0
 *     v4 = CallHelper binary_op v2, v3, v9 {resume 12, error 14, consumed 2, stack v1 v2*}
 *     GuardType int v4 {resume 16, error 16, consumed 0, deopt guard-type, stack v4}
 *     Branch v5 -> bb2, bb3
 *
 * An instruction is "[vN = ]Op [immediates] [args] [-> targets] [{frame
 * state}]"; dead instructions, and blocks with no live instruction, are
 * not printed, so value and block numbers may have gaps.  Immediates by op:
 * Param tstate|frame; Const and GuardIs an object: an int, a float, None,
 * True, False, a str of under 40 characters (as repr() shows them), NULL,
 * or <typename> for any other object; Imm, GuardRawEq, LoadLocal and
 * StoreLocal an integer; LoadField and StoreField +offset:size (offset
 * may print as +-32); CallHelper the helper's name (Jit/helpers.h), then
 * "deopt-on-null" when imm2 says so; GuardType the type's tp_name;
 * IntCompare eq|ne|lt|le|gt|ge; BoolFromRaw "not" when negated.  Args are
 * "v1, v2"; a Phi's inputs are "bb1:v3, bb4:v7" (predecessor: value);
 * Branch "-> bbT, bbF", Jump "-> bbT".
 *
 * The frame state: the bytecode positions to resume at (deopt) and to
 * report an error at, how many of the top entries the instruction consumes
 * (nconsumed), the deoptimization kind for the ops whose lowering uses it
 * (JitHir_OpUsesDeoptKind; the names of _PyJit_DEOPT_KINDS), and the value
 * stack, bottom first: "v2" an owned entry, "v2*" a borrowed one, "v2?"
 * an owned one that may be NULL.
 */
#include "Python.h"
#include "hir.h"
#include "helpers.h"
#include "lir.h"
#include "internal/ember_jit.h"

#include <stdarg.h>

const char *const JitHir_OpNames[JitHir_COUNT] = {
#define JIT_HIR_NAME(name, res, fs) #name,
    JIT_HIR_OPS(JIT_HIR_NAME)
#undef JIT_HIR_NAME
};
const char JitHir_OpHasResult[JitHir_COUNT] = {
#define JIT_HIR_RES(name, res, fs) res,
    JIT_HIR_OPS(JIT_HIR_RES)
#undef JIT_HIR_RES
};
const char JitHir_OpHasFrameState[JitHir_COUNT] = {
#define JIT_HIR_FS(name, res, fs) fs,
    JIT_HIR_OPS(JIT_HIR_FS)
#undef JIT_HIR_FS
};

JitHir *
JitHir_New(PyCodeObject *co, PyObject *globals, PyObject *builtins)
{
    JitHir *hir = PyMem_RawCalloc(1, sizeof(JitHir));
    if (hir == NULL) {
        return NULL;
    }
    hir->code = co;
    hir->globals = globals;
    hir->builtins = builtins;
    hir->refs = PyList_New(0);
    if (hir->refs == NULL) {
        PyMem_RawFree(hir);
        return NULL;
    }
    return hir;
}

static void
free_frame_state(JitFrameState *fs)
{
    if (fs != NULL) {
        PyMem_RawFree(fs->stack);
        PyMem_RawFree(fs->owned);
        PyMem_RawFree(fs);
    }
}

void
JitHir_Free(JitHir *hir)
{
    if (hir == NULL) {
        return;
    }
    for (int b = 0; b < hir->nblocks; b++) {
        JitHirBlock *bl = &hir->blocks[b];
        for (int i = 0; i < bl->ninstrs; i++) {
            JitHirInstr *in = bl->instrs[i];
            free_frame_state(in->fs);
            PyMem_RawFree(in->phi_in);
            PyMem_RawFree(in);
        }
        PyMem_RawFree(bl->instrs);
    }
    PyMem_RawFree(hir->blocks);
    PyMem_RawFree(hir->values);
    Py_XDECREF(hir->refs);
    PyMem_RawFree(hir);
}

int
JitHir_NewBlock(JitHir *hir)
{
    if (hir->nblocks == hir->blocks_cap) {
        int cap = hir->blocks_cap ? hir->blocks_cap * 2 : 16;
        JitHirBlock *nb = PyMem_RawRealloc(hir->blocks, cap * sizeof(JitHirBlock));
        if (nb == NULL) {
            return -1;
        }
        hir->blocks = nb;
        hir->blocks_cap = cap;
    }
    JitHirBlock *bl = &hir->blocks[hir->nblocks];
    memset(bl, 0, sizeof(*bl));
    bl->bc_start = -1;
    return hir->nblocks++;
}

JitHirInstr *
JitHir_Emit(JitHir *hir, JitHirOp op, int nargs, const int *args)
{
    assert(nargs <= JIT_HIR_MAX_ARGS);
    JitHirBlock *bl = &hir->blocks[hir->cur];
    if (bl->ninstrs == bl->cap) {
        int cap = bl->cap ? bl->cap * 2 : 16;
        JitHirInstr **ni = PyMem_RawRealloc(bl->instrs, cap * sizeof(JitHirInstr *));
        if (ni == NULL) {
            return NULL;
        }
        bl->instrs = ni;
        bl->cap = cap;
    }
    JitHirInstr *in = PyMem_RawCalloc(1, sizeof(JitHirInstr));
    if (in == NULL) {
        return NULL;
    }
    in->op = op;
    in->nargs = nargs;
    for (int i = 0; i < nargs; i++) {
        in->args[i] = args[i];
    }
    in->value = -1;
    in->target = in->target2 = -1;
    if (JitHir_OpHasResult[op]) {
        if (hir->nvalues == hir->values_cap) {
            int cap = hir->values_cap ? hir->values_cap * 2 : 64;
            JitHirInstr **nv = PyMem_RawRealloc(hir->values, cap * sizeof(JitHirInstr *));
            if (nv == NULL) {
                PyMem_RawFree(in);
                return NULL;
            }
            hir->values = nv;
            hir->values_cap = cap;
        }
        in->value = hir->nvalues;
        hir->values[hir->nvalues++] = in;
    }
    bl->instrs[bl->ninstrs++] = in;
    return in;
}

JitFrameState *
JitHir_NewFrameState(int depth)
{
    JitFrameState *fs = PyMem_RawCalloc(1, sizeof(JitFrameState));
    if (fs == NULL) {
        return NULL;
    }
    fs->depth = depth;
    fs->stack = PyMem_RawCalloc(depth + 1, sizeof(int));
    fs->owned = PyMem_RawCalloc(depth + 1, 1);
    if (fs->stack == NULL || fs->owned == NULL) {
        free_frame_state(fs);
        return NULL;
    }
    return fs;
}

int *
JitHir_NewReplacements(const JitHir *hir)
{
    int *repl = PyMem_RawMalloc((hir->nvalues + 1) * sizeof(int));
    if (repl != NULL) {
        for (int v = 0; v < hir->nvalues; v++) {
            repl[v] = v;
        }
    }
    return repl;
}

int
JitHir_Resolve(int *repl, int v)
{
    int r = v;
    while (repl[r] != r) {
        r = repl[r];
    }
    /* Path compression: later look-ups of the chain are one step. */
    while (repl[v] != r) {
        int next = repl[v];
        repl[v] = r;
        v = next;
    }
    return r;
}

void
JitHir_ApplyReplacements(JitHir *hir, int *repl)
{
    for (int b = 0; b < hir->nblocks; b++) {
        JitHirBlock *bl = &hir->blocks[b];
        hir->work += bl->ninstrs;
        for (int i = 0; i < bl->ninstrs; i++) {
            JitHirInstr *in = bl->instrs[i];
            for (int a = 0; a < in->nargs; a++) {
                in->args[a] = JitHir_Resolve(repl, in->args[a]);
            }
            for (int p = 0; p < in->nphi_in; p++) {
                in->phi_in[p].value = JitHir_Resolve(repl, in->phi_in[p].value);
            }
            if (in->fs != NULL) {
                for (int s = 0; s < in->fs->depth; s++) {
                    in->fs->stack[s] = JitHir_Resolve(repl, in->fs->stack[s]);
                }
            }
        }
    }
}

/* uses[v] = how many instruction arguments, phi inputs (other than a phi's
 * own value) and frame-state entries of live instructions name v. */
void
JitHir_CountUses(JitHir *hir, int *uses)
{
    memset(uses, 0, hir->nvalues * sizeof(int));
    for (int b = 0; b < hir->nblocks; b++) {
        JitHirBlock *bl = &hir->blocks[b];
        hir->work += bl->ninstrs;
        for (int i = 0; i < bl->ninstrs; i++) {
            JitHirInstr *in = bl->instrs[i];
            if (in->dead) {
                continue;
            }
            for (int a = 0; a < in->nargs; a++) {
                uses[in->args[a]]++;
            }
            for (int p = 0; p < in->nphi_in; p++) {
                if (in->phi_in[p].value != in->value) {
                    uses[in->phi_in[p].value]++;
                }
            }
            if (in->fs != NULL) {
                for (int s = 0; s < in->fs->depth; s++) {
                    uses[in->fs->stack[s]]++;
                }
            }
        }
    }
}

/* ---- text */

typedef struct {
    char *buf;
    size_t len, cap;
    int failed;
} TextBuf;

static void
tb_printf(TextBuf *tb, const char *fmt, ...)
{
    if (tb->failed) {
        return;
    }
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(tb->buf + tb->len, tb->cap - tb->len, fmt, ap);
        va_end(ap);
        if (n < 0) {
            tb->failed = 1;
            return;
        }
        if ((size_t)n < tb->cap - tb->len) {
            tb->len += n;
            return;
        }
        size_t cap = tb->cap * 2 + n + 64;
        char *nb = PyMem_RawRealloc(tb->buf, cap);
        if (nb == NULL) {
            tb->failed = 1;
            return;
        }
        tb->buf = nb;
        tb->cap = cap;
    }
}

const char *const JitHir_CondNames[JIT_HIR_NCONDS] = {
    "eq", "ne", "lt", "le", "gt", "ge"};

const char *const JitHir_DeoptKindNames[] = {
#define JIT_HIR_DEOPT_NAME(name, text) text,
    _PyJit_DEOPT_KINDS(JIT_HIR_DEOPT_NAME)
#undef JIT_HIR_DEOPT_NAME
    NULL
};

int
JitHir_OpUsesDeoptKind(JitHirOp op)
{
    switch (op) {
    case JitHir_GuardType: case JitHir_GuardNotNull: case JitHir_GuardIs:
    case JitHir_GuardRawEq: case JitHir_CheckTracing: case JitHir_Deopt:
        return 1;
    default:
        return 0;
    }
}

static void
print_imm(TextBuf *tb, const JitHir *hir, const JitHirInstr *in)
{
    switch (in->op) {
    case JitHir_Param:
        tb_printf(tb, " %s", in->imm == 0 ? "tstate" : "frame");
        break;
    case JitHir_Const:
    case JitHir_GuardIs: {
        PyObject *o = (PyObject *)(uintptr_t)in->imm;
        if (o == NULL) {
            tb_printf(tb, " NULL");
        }
        else if (PyLong_CheckExact(o) || PyFloat_CheckExact(o) || o == Py_None
                 || PyBool_Check(o)) {
            PyObject *r = PyObject_Repr(o);
            tb_printf(tb, " %s", r ? PyUnicode_AsUTF8(r) : "?");
            Py_XDECREF(r);
            PyErr_Clear();
        }
        else if (PyUnicode_CheckExact(o) && PyUnicode_GET_LENGTH(o) < 40) {
            PyObject *r = PyObject_Repr(o);
            tb_printf(tb, " %s", r ? PyUnicode_AsUTF8(r) : "?");
            Py_XDECREF(r);
            PyErr_Clear();
        }
        else {
            tb_printf(tb, " <%s>", Py_TYPE(o)->tp_name);
        }
        break;
    }
    case JitHir_GuardType:
        tb_printf(tb, " %s", ((PyTypeObject *)(uintptr_t)in->imm)->tp_name);
        break;
    case JitHir_Imm:
    case JitHir_GuardRawEq:
    case JitHir_CallRaw:
        tb_printf(tb, " %lld", (long long)in->imm);
        break;
    case JitHir_LoadLocal:
    case JitHir_StoreLocal:
        tb_printf(tb, " %lld", (long long)in->imm);
        break;
    case JitHir_LoadField:
    case JitHir_StoreField:
        tb_printf(tb, " +%lld:%lld", (long long)in->imm, (long long)in->imm2);
        break;
    case JitHir_CallHelper:
        tb_printf(tb, " %s%s", JitHelpers[in->imm].name,
                  in->imm2 & 1 ? " deopt-on-null" : "");
        break;
    case JitHir_IntCompare:
        tb_printf(tb, " %s", JitHir_CondNames[in->imm]);
        break;
    case JitHir_BoolFromRaw:
        if (in->imm) {
            tb_printf(tb, " not");
        }
        break;
    case JitHir_RawCmp: {
        static const char *const names[] = {
#define JIT_LIR_COND_NAME(name, text) text,
            JIT_LIR_CONDS(JIT_LIR_COND_NAME)
#undef JIT_LIR_COND_NAME
        };
        tb_printf(tb, " %s", names[in->imm]);
        break;
    }
    case JitHir_RawBin: {
        static const char *const names[] = {
#define JIT_LIR_OP_NAME(name) #name,
            JIT_LIR_OPS(JIT_LIR_OP_NAME)
#undef JIT_LIR_OP_NAME
        };
        tb_printf(tb, " %s", names[in->imm]);
        break;
    }
    default:
        break;
    }
    (void)hir;
}

char *
JitHir_Text(const JitHir *hir)
{
    TextBuf tb = {NULL, 0, 0, 0};
    tb.buf = PyMem_RawMalloc(256);
    if (tb.buf == NULL) {
        return NULL;
    }
    tb.cap = 256;
    tb.buf[0] = '\0';
    for (int b = 0; b < hir->nblocks; b++) {
        const JitHirBlock *bl = &hir->blocks[b];
        int live = 0;
        for (int i = 0; i < bl->ninstrs; i++) {
            live += !bl->instrs[i]->dead;
        }
        if (live == 0) {
            continue;
        }
        if (bl->bc_start >= 0) {
            tb_printf(&tb, "bb%d (@%d):\n", b, bl->bc_start);
        }
        else {
            tb_printf(&tb, "bb%d:\n", b);
        }
        for (int i = 0; i < bl->ninstrs; i++) {
            const JitHirInstr *in = bl->instrs[i];
            if (in->dead) {
                continue;
            }
            tb_printf(&tb, "  ");
            if (in->value >= 0) {
                tb_printf(&tb, "v%d = ", in->value);
            }
            tb_printf(&tb, "%s", JitHir_OpNames[in->op]);
            print_imm(&tb, hir, in);
            for (int a = 0; a < in->nargs; a++) {
                tb_printf(&tb, "%s v%d", a ? "," : "", in->args[a]);
            }
            for (int p = 0; p < in->nphi_in; p++) {
                tb_printf(&tb, "%s bb%d:v%d", p ? "," : "",
                          in->phi_in[p].block, in->phi_in[p].value);
            }
            if (in->op == JitHir_Branch) {
                tb_printf(&tb, " -> bb%d, bb%d", in->target, in->target2);
            }
            else if (in->op == JitHir_Jump) {
                tb_printf(&tb, " -> bb%d", in->target);
            }
            if (in->fs != NULL) {
                tb_printf(&tb, " {resume %d, error %d, consumed %d",
                          in->fs->resume_at, in->fs->error_at,
                          in->fs->nconsumed);
                if (JitHir_OpUsesDeoptKind(in->op)) {
                    int k = in->deopt_kind;
                    tb_printf(&tb, ", deopt %s",
                              k >= 0 && k < _PyJitDeopt_COUNT
                              ? JitHir_DeoptKindNames[k] : "?");
                }
                tb_printf(&tb, ", stack");
                for (int s = 0; s < in->fs->depth; s++) {
                    int o = in->fs->owned[s];
                    tb_printf(&tb, " v%d%s", in->fs->stack[s],
                              o == 1 ? "" : o == 2 ? "?" : "*");
                }
                tb_printf(&tb, "}");
            }
            tb_printf(&tb, "\n");
        }
    }
    if (tb.failed) {
        PyMem_RawFree(tb.buf);
        return NULL;
    }
    return tb.buf;
}
