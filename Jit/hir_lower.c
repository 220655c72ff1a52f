/* Lowering: HIR (Jit/hir.h) → LIR (Jit/lir.h).
 *
 * Each HIR block becomes one LIR block (same number, so the entry stays
 * block 0); HIR values become virtual registers, except constants, which
 * become immediates at their uses.  A phi becomes a register that each
 * predecessor moves its input into before its jump (through temporaries,
 * so phis of one block that read each other stay right).
 *
 * Guards, failing helpers and Deopt branch to exit blocks made here, one
 * per frame state: a deoptimization exit writes the value stack into the
 * frame (taking references for borrowed entries), sets stacktop and
 * prev_instr to the resume point, counts the deopt by kind and returns
 * NULL; an error exit releases the failing instruction's inputs, writes
 * the rest of the stack, points prev_instr at the instruction and returns
 * NULL with the exception set (ember_jit.h gives the contract).  With
 * -X jit-stress-deopt every guard also deoptimizes every
 * _PyJit_StressPeriod-th time it runs.
 *
 * Data: a LowerState for one call of JitHir_Lower; the JitLir it returns
 * belongs to the caller.
 */
#include "Python.h"
#include "pycore_code.h"
#include "pycore_frame.h"
#include "pycore_interp.h"
#include "pycore_long.h"
#include "pycore_pystate.h"
#include "internal/ember_jit.h"
#include "hir.h"
#include "helpers.h"
#include "lir.h"

#include <stddef.h>

typedef struct {
    JitHir *hir;
    JitLir *lir;
    int *vreg;              /* HIR value -> LIR register, -1 for constants */
    int tstate, frame;      /* registers of the two parameters */
    int nlocalsplus;
    _Py_CODEUNIT *code;
    /* A comparison whose only use is the Branch right after it is not
     * computed into a register: the Branch compares and jumps (fused[v]). */
    char *fused;
    /* Per HIR block, the index after its last phi: the phi moves of an
     * edge look no further (a block's other instructions may be many). */
    int *phi_end;
} LowerState;

#define SLOT_OFF(ls, i) ((int32_t)(offsetof(_PyInterpreterFrame, localsplus) \
                                   + sizeof(PyObject *) * ((ls)->nlocalsplus + (i))))
#define LOCAL_OFF(i) ((int32_t)(offsetof(_PyInterpreterFrame, localsplus) \
                                + sizeof(PyObject *) * (i)))

static JitHirInstr *
def_of(LowerState *ls, int v)
{
    return ls->hir->values[v];
}

static int
is_const(LowerState *ls, int v)
{
    JitHirOp op = def_of(ls, v)->op;
    return op == JitHir_Const || op == JitHir_Imm;
}

static JitLirOpnd
opnd(LowerState *ls, int v)
{
    if (is_const(ls, v)) {
        return JitLir_I(def_of(ls, v)->imm);
    }
    return JitLir_R(ls->vreg[v]);
}

/* v in a register (constants are moved into a fresh one). */
static int
reg(LowerState *ls, int v)
{
    if (is_const(ls, v)) {
        return JitLir_Move(ls->lir, JitLir_I(def_of(ls, v)->imm));
    }
    return ls->vreg[v];
}

static int
is_null_const(LowerState *ls, int v)
{
    JitHirInstr *d = def_of(ls, v);
    return d->op == JitHir_Const && d->imm == 0;
}

static int
is_immortal_const(LowerState *ls, int v)
{
    JitHirInstr *d = def_of(ls, v);
    if (d->op != JitHir_Const) {
        return 0;
    }
    PyObject *o = (PyObject *)(uintptr_t)d->imm;
    return o == NULL || _Py_IsImmortal(o);
}

static void
store_imm64(LowerState *ls, int base, int32_t off, int64_t value)
{
    if (value >= INT32_MIN && value <= INT32_MAX) {
        JitLir_Store(ls->lir, base, off, JitLir_I(value), 8);
    }
    else {
        int t = JitLir_Move(ls->lir, JitLir_I(value));
        JitLir_Store(ls->lir, base, off, JitLir_R(t), 8);
    }
}

static void
count_deopt(LowerState *ls, int kind)
{
    int addr = JitLir_Move(ls->lir,
                           JitLir_I((int64_t)(uintptr_t)&_PyJit_DeoptCount[kind]));
    int c = JitLir_Load(ls->lir, addr, 0, 8);
    int c2 = JitLir_BinOp(ls->lir, JitLirOp_Add, JitLir_R(c), JitLir_I(1));
    JitLir_Store(ls->lir, addr, 0, JitLir_R(c2), 8);
}

/* Write stack entries [0, upto) to the frame; borrowed ones get a
 * reference (the interpreter's stack owns its entries). */
static void
flush_stack(LowerState *ls, JitFrameState *fs, int upto)
{
    for (int i = 0; i < upto; i++) {
        int v = fs->stack[i];
        if (is_null_const(ls, v)) {
            JitLir_Store(ls->lir, ls->frame, SLOT_OFF(ls, i), JitLir_I(0), 8);
            continue;
        }
        int r = reg(ls, v);
        if (!fs->owned[i] && !is_immortal_const(ls, v)) {
            JitLir_Incref(ls->lir, r);
        }
        JitLir_Store(ls->lir, ls->frame, SLOT_OFF(ls, i), JitLir_R(r), 8);
    }
    JitLir_Store(ls->lir, ls->frame, offsetof(_PyInterpreterFrame, stacktop),
                 JitLir_I(ls->nlocalsplus + upto), 4);
}

/* A new block that deoptimizes at fs; returns its number.  The current
 * block is kept. */
static int
deopt_exit(LowerState *ls, JitFrameState *fs, int kind)
{
    int saved = JitLir_CurrentBlock(ls->lir);
    int b = JitLir_NewBlock(ls->lir);
    JitLir_SetBlock(ls->lir, b);
    flush_stack(ls, fs, fs->depth);
    store_imm64(ls, ls->frame, offsetof(_PyInterpreterFrame, prev_instr),
                (int64_t)(uintptr_t)(ls->code + fs->resume_at - 1));
    count_deopt(ls, kind);
    JitLir_Ret(ls->lir, JitLir_I(0));
    JitLir_SetBlock(ls->lir, saved);
    return b;
}

static int
error_exit(LowerState *ls, JitFrameState *fs)
{
    int saved = JitLir_CurrentBlock(ls->lir);
    int b = JitLir_NewBlock(ls->lir);
    JitLir_SetBlock(ls->lir, b);
    int below = fs->depth - fs->nconsumed;
    uint64_t dealloc = (uint64_t)(uintptr_t)_Py_Dealloc;
    for (int i = below; i < fs->depth; i++) {
        int v = fs->stack[i];
        if (fs->owned[i] == 0 || is_immortal_const(ls, v)) {
            continue;
        }
        if (fs->owned[i] == 2) {
            JitLir_XDecref(ls->lir, reg(ls, v), dealloc);
        }
        else {
            JitLir_Decref(ls->lir, reg(ls, v), dealloc);
        }
    }
    flush_stack(ls, fs, below);
    store_imm64(ls, ls->frame, offsetof(_PyInterpreterFrame, prev_instr),
                (int64_t)(uintptr_t)(ls->code + fs->error_at));
    JitLir_Ret(ls->lir, JitLir_I(0));
    JitLir_SetBlock(ls->lir, saved);
    return b;
}

/* frame->prev_instr = the instruction of fs, as the interpreter has it
 * while the instruction runs: code that the call runs may read the line
 * number of this frame (sys._getframe(1).f_lineno, warnings, logging). */
static void
set_prev_instr(LowerState *ls, JitFrameState *fs)
{
    if (fs != NULL) {
        store_imm64(ls, ls->frame, offsetof(_PyInterpreterFrame, prev_instr),
                    (int64_t)(uintptr_t)(ls->code + fs->error_at));
    }
}

/* Continue in a new block after a conditional exit. */
static void
branch_out(LowerState *ls, JitLirCond cond, JitLirOpnd a, JitLirOpnd b,
           int exit_block)
{
    int cont = JitLir_NewBlock(ls->lir);
    JitLir_Branch(ls->lir, cond, a, b, exit_block, cont);
    JitLir_SetBlock(ls->lir, cont);
}

/* -X jit-stress-deopt: deoptimize every _PyJit_StressPeriod-th time. */
static void
stress(LowerState *ls, JitFrameState *fs)
{
    if (!_PyJit_Options.stress_deopt || fs == NULL) {
        return;
    }
    int addr = JitLir_Move(ls->lir,
                           JitLir_I((int64_t)(uintptr_t)&_PyJit_StressCounter));
    int c = JitLir_Load(ls->lir, addr, 0, 8);
    int c2 = JitLir_BinOp(ls->lir, JitLirOp_Sub, JitLir_R(c), JitLir_I(1));
    JitLir_Store(ls->lir, addr, 0, JitLir_R(c2), 8);
    int saved = JitLir_CurrentBlock(ls->lir);
    int sb = JitLir_NewBlock(ls->lir);
    JitLir_SetBlock(ls->lir, sb);
    int a2 = JitLir_Move(ls->lir,
                         JitLir_I((int64_t)(uintptr_t)&_PyJit_StressCounter));
    JitLir_Store(ls->lir, a2, 0, JitLir_I(_PyJit_StressPeriod), 8);
    JitLir_Jump(ls->lir, deopt_exit(ls, fs, _PyJitDeopt_Stress));
    JitLir_SetBlock(ls->lir, saved);
    branch_out(ls, JitLirCond_LE, JitLir_R(c2), JitLir_I(0), sb);
}

/* The phi moves for the edge from HIR block from to HIR block to. */
static void
phi_moves(LowerState *ls, int from, int to)
{
    JitHirBlock *tb = &ls->hir->blocks[to];
    int tmps[256];
    int n = 0;
    for (int pass = 0; pass < 2; pass++) {
        int k = 0;
        for (int i = 0; i < ls->phi_end[to]; i++) {
            JitHirInstr *in = tb->instrs[i];
            if (in->op != JitHir_Phi || in->dead) {
                continue;
            }
            for (int p = 0; p < in->nphi_in; p++) {
                if (in->phi_in[p].block != from) {
                    continue;
                }
                if (pass == 0) {
                    if (n < 256) {
                        tmps[n++] = JitLir_Move(ls->lir,
                                                opnd(ls, in->phi_in[p].value));
                    }
                }
                else if (k < n) {
                    JitLir_MoveTo(ls->lir, ls->vreg[in->value],
                                  JitLir_R(tmps[k++]));
                }
                break;
            }
        }
    }
}

static int
lower_instr(LowerState *ls, int hb, JitHirInstr *in)
{
    JitLir *lir = ls->lir;
    uint64_t dealloc = (uint64_t)(uintptr_t)_Py_Dealloc;
    int *a = in->args;
    switch (in->op) {
    case JitHir_Param:
        ls->vreg[in->value] = JitLir_Param(lir, (int)in->imm);
        if (in->imm == 0) {
            ls->tstate = ls->vreg[in->value];
        }
        else {
            ls->frame = ls->vreg[in->value];
        }
        break;
    case JitHir_Const:
    case JitHir_Imm:
        break;
    case JitHir_Phi:
        break;      /* its register exists; predecessors move into it */
    case JitHir_LoadLocal:
        ls->vreg[in->value] = JitLir_Load(lir, ls->frame, LOCAL_OFF(in->imm), 8);
        break;
    case JitHir_StoreLocal:
        JitLir_Store(lir, ls->frame, LOCAL_OFF(in->imm),
                     is_null_const(ls, a[0]) ? JitLir_I(0) : JitLir_R(reg(ls, a[0])),
                     8);
        break;
    case JitHir_Incref:
        if (!is_immortal_const(ls, a[0])) {
            JitLir_Incref(lir, reg(ls, a[0]));
        }
        break;
    case JitHir_Decref:
        if (!is_immortal_const(ls, a[0])) {
            JitLir_Decref(lir, reg(ls, a[0]), dealloc);
        }
        break;
    case JitHir_XDecref:
        if (!is_immortal_const(ls, a[0])) {
            JitLir_XDecref(lir, reg(ls, a[0]), dealloc);
        }
        break;
    case JitHir_LoadField:
        ls->vreg[in->value] = JitLir_Load(lir, reg(ls, a[0]), (int32_t)in->imm,
                                          (int)in->imm2);
        break;
    case JitHir_StoreField: {
        JitLirOpnd val = opnd(ls, a[1]);
        if (val.is_imm && (val.value < INT32_MIN || val.value > INT32_MAX)) {
            val = JitLir_R(reg(ls, a[1]));
        }
        JitLir_Store(lir, reg(ls, a[0]), (int32_t)in->imm, val, (int)in->imm2);
        break;
    }
    case JitHir_CallHelper: {
        const JitHelperInfo *h = &JitHelpers[in->imm];
        set_prev_instr(ls, in->fs);
        JitLirOpnd args[JIT_LIR_MAX_ARGS];
        for (int i = 0; i < in->nargs; i++) {
            args[i] = opnd(ls, a[i]);
        }
        int r = JitLir_Call(lir, JitLir_I((int64_t)(uintptr_t)h->addr), args,
                            in->nargs, 1);
        ls->vreg[in->value] = r;
        if (h->kind == JitHelper_OBJ) {
            int fail;
            if (in->imm2 & 1) {
                /* NULL without an exception: deoptimize. */
                int saved = JitLir_CurrentBlock(lir);
                fail = JitLir_NewBlock(lir);
                JitLir_SetBlock(lir, fail);
                int exc = JitLir_Load(lir, ls->tstate,
                                      offsetof(PyThreadState, curexc_type), 8);
                JitLir_Branch(lir, JitLirCond_EQ, JitLir_R(exc), JitLir_I(0),
                              deopt_exit(ls, in->fs, _PyJitDeopt_GuardValue),
                              error_exit(ls, in->fs));
                JitLir_SetBlock(lir, saved);
            }
            else {
                fail = error_exit(ls, in->fs);
            }
            branch_out(ls, JitLirCond_EQ, JitLir_R(r), JitLir_I(0), fail);
        }
        else if (h->kind == JitHelper_INT) {
            branch_out(ls, JitLirCond_LT, JitLir_R(r), JitLir_I(0),
                       error_exit(ls, in->fs));
        }
        break;
    }
    case JitHir_CallRaw: {
        set_prev_instr(ls, in->fs);
        JitLirOpnd args[JIT_LIR_MAX_ARGS];
        for (int i = 1; i < in->nargs; i++) {
            args[i - 1] = opnd(ls, a[i]);
        }
        ls->vreg[in->value] = JitLir_Call(lir, opnd(ls, a[0]), args,
                                          in->nargs - 1, 1);
        break;
    }
    case JitHir_ErrorIfNull:
        branch_out(ls, JitLirCond_EQ, opnd(ls, a[0]), JitLir_I(0),
                   error_exit(ls, in->fs));
        break;
    case JitHir_GuardType: {
        stress(ls, in->fs);
        int t = JitLir_Load(lir, reg(ls, a[0]), offsetof(PyObject, ob_type), 8);
        branch_out(ls, JitLirCond_NE, JitLir_R(t), JitLir_I(in->imm),
                   deopt_exit(ls, in->fs, in->deopt_kind));
        break;
    }
    case JitHir_GuardNotNull:
        stress(ls, in->fs);
        branch_out(ls, JitLirCond_EQ, opnd(ls, a[0]), JitLir_I(0),
                   deopt_exit(ls, in->fs, in->deopt_kind));
        break;
    case JitHir_GuardIs:
    case JitHir_GuardRawEq:
        stress(ls, in->fs);
        branch_out(ls, JitLirCond_NE, JitLir_R(reg(ls, a[0])), JitLir_I(in->imm),
                   deopt_exit(ls, in->fs, in->deopt_kind));
        break;
    case JitHir_CheckEvalBreaker: {
        int interp = JitLir_Load(lir, ls->tstate, offsetof(PyThreadState, interp), 8);
        int eb = JitLir_Load(lir, interp,
                             offsetof(PyInterpreterState, ceval.eval_breaker), 4);
        int saved = JitLir_CurrentBlock(lir);
        int slow = JitLir_NewBlock(lir);
        int cont = JitLir_NewBlock(lir);
        JitLir_SetBlock(lir, slow);
        set_prev_instr(ls, in->fs);
        JitLirOpnd targ = JitLir_I((int64_t)(uintptr_t)JitHelpers[JitH_handle_pending].addr);
        JitLirOpnd arg = JitLir_R(ls->tstate);
        int r = JitLir_Call(lir, targ, &arg, 1, 1);
        int ok = JitLir_NewBlock(lir);
        JitLir_Branch(lir, JitLirCond_LT, JitLir_R(r), JitLir_I(0),
                      error_exit(ls, in->fs), ok);
        JitLir_SetBlock(lir, ok);
        /* A signal handler may have switched tracing on. */
        int cf = JitLir_Load(lir, ls->tstate, offsetof(PyThreadState, cframe), 8);
        int ut = JitLir_Load(lir, cf, offsetof(_PyCFrame, use_tracing), 1);
        JitLir_Branch(lir, JitLirCond_NE, JitLir_R(ut), JitLir_I(0),
                      deopt_exit(ls, in->fs, _PyJitDeopt_Tracing), cont);
        JitLir_SetBlock(lir, saved);
        JitLir_Branch(lir, JitLirCond_NE, JitLir_R(eb), JitLir_I(0), slow, cont);
        JitLir_SetBlock(lir, cont);
        break;
    }
    case JitHir_CheckTracing: {
        stress(ls, in->fs);
        int cf = JitLir_Load(lir, ls->tstate, offsetof(PyThreadState, cframe), 8);
        int ut = JitLir_Load(lir, cf, offsetof(_PyCFrame, use_tracing), 1);
        branch_out(ls, JitLirCond_NE, JitLir_R(ut), JitLir_I(0),
                   deopt_exit(ls, in->fs, in->deopt_kind));
        break;
    }
    case JitHir_IntCompare: {
        stress(ls, in->fs);
        int vals[2];
        for (int i = 0; i < 2; i++) {
            int o = reg(ls, a[i]);
            int size = JitLir_Load(lir, o, offsetof(PyVarObject, ob_size), 8);
            int biased = JitLir_BinOp(lir, JitLirOp_Add, JitLir_R(size), JitLir_I(1));
            branch_out(ls, JitLirCond_UGT, JitLir_R(biased), JitLir_I(2),
                       deopt_exit(ls, in->fs, _PyJitDeopt_GuardValue));
            int digit = JitLir_Load(lir, o, offsetof(PyLongObject, ob_digit), 4);
            vals[i] = JitLir_BinOp(lir, JitLirOp_Mul, JitLir_R(size), JitLir_R(digit));
        }
        static const JitLirCond conds[] = {
            JitLirCond_EQ, JitLirCond_NE, JitLirCond_LT, JitLirCond_LE,
            JitLirCond_GT, JitLirCond_GE};
        ls->vreg[in->value] = JitLir_Cmp(lir, conds[in->imm], JitLir_R(vals[0]),
                                         JitLir_R(vals[1]));
        break;
    }
    case JitHir_PtrEq:
        if (ls->fused[in->value]) {
            break;
        }
        ls->vreg[in->value] = JitLir_Cmp(lir, JitLirCond_EQ,
                                         JitLir_R(reg(ls, a[0])), opnd(ls, a[1]));
        break;
    case JitHir_RawCmp:
        if (ls->fused[in->value]) {
            break;
        }
        ls->vreg[in->value] = JitLir_Cmp(lir, (JitLirCond)in->imm,
                                         JitLir_R(reg(ls, a[0])), opnd(ls, a[1]));
        break;
    case JitHir_RawBin:
        ls->vreg[in->value] = JitLir_BinOp(lir, (JitLirOp)in->imm,
                                           JitLir_R(reg(ls, a[0])), opnd(ls, a[1]));
        break;
    case JitHir_BoolFromRaw: {
        int t = JitLir_Cmp(lir, in->imm ? JitLirCond_EQ : JitLirCond_NE,
                           opnd(ls, a[0]), JitLir_I(0));
        int64_t diff = (int64_t)((char *)Py_True - (char *)Py_False);
        int m = JitLir_BinOp(lir, JitLirOp_Mul, JitLir_R(t), JitLir_I(diff));
        int f = JitLir_Move(lir, JitLir_I((int64_t)(uintptr_t)Py_False));
        ls->vreg[in->value] = JitLir_BinOp(lir, JitLirOp_Add, JitLir_R(f),
                                           JitLir_R(m));
        break;
    }
    case JitHir_IsTrue: {
        int v = reg(ls, a[0]);
        int res = JitLir_NewVReg(lir);
        ls->vreg[in->value] = res;
        int t_blk = JitLir_NewBlock(lir);
        int f_blk = JitLir_NewBlock(lir);
        int n1 = JitLir_NewBlock(lir);
        int n2 = JitLir_NewBlock(lir);
        int slow = JitLir_NewBlock(lir);
        int join = JitLir_NewBlock(lir);
        JitLir_Branch(lir, JitLirCond_EQ, JitLir_R(v),
                      JitLir_I((int64_t)(uintptr_t)Py_True), t_blk, n1);
        JitLir_SetBlock(lir, n1);
        JitLir_Branch(lir, JitLirCond_EQ, JitLir_R(v),
                      JitLir_I((int64_t)(uintptr_t)Py_False), f_blk, n2);
        JitLir_SetBlock(lir, n2);
        int n3 = JitLir_NewBlock(lir);
        int int_blk = JitLir_NewBlock(lir);
        JitLir_Branch(lir, JitLirCond_EQ, JitLir_R(v),
                      JitLir_I((int64_t)(uintptr_t)Py_None), f_blk, n3);
        /* An exact int is true unless zero (ob_size 0). */
        JitLir_SetBlock(lir, n3);
        int tp = JitLir_Load(lir, v, offsetof(PyObject, ob_type), 8);
        JitLir_Branch(lir, JitLirCond_EQ, JitLir_R(tp),
                      JitLir_I((int64_t)(uintptr_t)&PyLong_Type), int_blk,
                      slow);
        JitLir_SetBlock(lir, int_blk);
        int size = JitLir_Load(lir, v, offsetof(PyVarObject, ob_size), 8);
        JitLir_MoveTo(lir, res, JitLir_R(JitLir_Cmp(lir, JitLirCond_NE,
                                                    JitLir_R(size),
                                                    JitLir_I(0))));
        JitLir_Jump(lir, join);
        JitLir_SetBlock(lir, t_blk);
        JitLir_MoveTo(lir, res, JitLir_I(1));
        JitLir_Jump(lir, join);
        JitLir_SetBlock(lir, f_blk);
        JitLir_MoveTo(lir, res, JitLir_I(0));
        JitLir_Jump(lir, join);
        JitLir_SetBlock(lir, slow);
        set_prev_instr(ls, in->fs);
        JitLirOpnd arg = JitLir_R(v);
        int r = JitLir_Call(lir,
                            JitLir_I((int64_t)(uintptr_t)JitHelpers[JitH_is_true].addr),
                            &arg, 1, 1);
        int ok = JitLir_NewBlock(lir);
        JitLir_Branch(lir, JitLirCond_LT, JitLir_R(r), JitLir_I(0),
                      error_exit(ls, in->fs), ok);
        JitLir_SetBlock(lir, ok);
        JitLir_MoveTo(lir, res, JitLir_R(r));
        JitLir_Jump(lir, join);
        JitLir_SetBlock(lir, join);
        break;
    }
    case JitHir_Deopt:
        stress(ls, NULL);
        JitLir_Jump(lir, deopt_exit(ls, in->fs, in->deopt_kind));
        return 1;
    case JitHir_Branch:
        if (ls->fused[a[0]]) {
            JitHirInstr *c = def_of(ls, a[0]);
            JitLirCond cond = c->op == JitHir_PtrEq ? JitLirCond_EQ
                                                    : (JitLirCond)c->imm;
            JitLir_Branch(lir, cond, JitLir_R(reg(ls, c->args[0])),
                          opnd(ls, c->args[1]), in->target, in->target2);
            return 1;
        }
        JitLir_Branch(lir, JitLirCond_NE, opnd(ls, a[0]), JitLir_I(0),
                      in->target, in->target2);
        return 1;
    case JitHir_Jump:
        phi_moves(ls, hb, in->target);
        JitLir_Jump(lir, in->target);
        return 1;
    case JitHir_Return:
        JitLir_Ret(lir, JitLir_R(reg(ls, a[0])));
        return 1;
    default:
        snprintf(ls->hir->error, sizeof(ls->hir->error),
                 "cannot lower HIR op %d", (int)in->op);
        return -1;
    }
    return 0;
}

/* Mark the comparisons (RawCmp, PtrEq) used only by the Branch that
 * follows them in their block. */
static int
find_fused(LowerState *ls)
{
    JitHir *hir = ls->hir;
    int *uses = PyMem_RawCalloc(hir->nvalues + 1, sizeof(int));
    ls->fused = PyMem_RawCalloc(hir->nvalues + 1, 1);
    if (uses == NULL || ls->fused == NULL) {
        PyMem_RawFree(uses);
        return -1;
    }
    JitHir_CountUses(hir, uses);
    for (int b = 0; b < hir->nblocks; b++) {
        JitHirBlock *bl = &hir->blocks[b];
        JitHirInstr *prev = NULL;
        for (int i = 0; i < bl->ninstrs; i++) {
            JitHirInstr *in = bl->instrs[i];
            if (in->dead) {
                continue;
            }
            if (in->op == JitHir_Branch && prev != NULL
                && (prev->op == JitHir_RawCmp || prev->op == JitHir_PtrEq)
                && in->args[0] == prev->value && uses[prev->value] == 1) {
                ls->fused[prev->value] = 1;
            }
            prev = in;
        }
    }
    PyMem_RawFree(uses);
    return 0;
}

JitLir *
JitHir_Lower(JitHir *hir)
{
    LowerState ls;
    memset(&ls, 0, sizeof(ls));
    ls.hir = hir;
    ls.nlocalsplus = hir->code->co_nlocalsplus;
    ls.code = _PyCode_CODE(hir->code);
    ls.lir = JitLir_New();
    ls.vreg = PyMem_RawMalloc((hir->nvalues + 1) * sizeof(int));
    if (ls.lir == NULL || ls.vreg == NULL) {
        snprintf(hir->error, sizeof(hir->error), "out of memory");
        goto fail;
    }
    ls.phi_end = PyMem_RawCalloc(hir->nblocks + 1, sizeof(int));
    if (ls.phi_end == NULL) {
        snprintf(hir->error, sizeof(hir->error), "out of memory");
        goto fail;
    }
    for (int b = 0; b < hir->nblocks; b++) {
        JitHirBlock *bl = &hir->blocks[b];
        for (int i = 0; i < bl->ninstrs; i++) {
            if (bl->instrs[i]->op == JitHir_Phi) {
                ls.phi_end[b] = i + 1;
            }
        }
    }
    for (int b = 0; b < hir->nblocks; b++) {
        if (JitLir_NewBlock(ls.lir) != b) {
            snprintf(hir->error, sizeof(hir->error), "LIR block numbering");
            goto fail;
        }
    }
    for (int v = 0; v < hir->nvalues; v++) {
        JitHirInstr *d = hir->values[v];
        ls.vreg[v] = -1;
        if (d->op == JitHir_Phi && !d->dead) {
            ls.vreg[v] = JitLir_NewVReg(ls.lir);
        }
    }
    if (find_fused(&ls) < 0) {
        snprintf(hir->error, sizeof(hir->error), "out of memory");
        goto fail;
    }
    for (int b = 0; b < hir->nblocks; b++) {
        JitHirBlock *bl = &hir->blocks[b];
        JitLir_SetBlock(ls.lir, b);
        int terminated = 0;
        for (int i = 0; i < bl->ninstrs && !terminated; i++) {
            JitHirInstr *in = bl->instrs[i];
            if (in->dead) {
                continue;
            }
            int r = lower_instr(&ls, b, in);
            if (r < 0) {
                goto fail;
            }
            terminated = r;
        }
        if (!terminated) {
            /* An empty (unreached) block: never entered. */
            JitLir_Ret(ls.lir, JitLir_I(0));
        }
    }
    if (JitLir_Failed(ls.lir)) {
        snprintf(hir->error, sizeof(hir->error), "out of memory in LIR");
        goto fail;
    }
    PyMem_RawFree(ls.vreg);
    PyMem_RawFree(ls.fused);
    PyMem_RawFree(ls.phi_end);
    return ls.lir;
fail:
    PyMem_RawFree(ls.vreg);
    PyMem_RawFree(ls.fused);
    PyMem_RawFree(ls.phi_end);
    if (ls.lir != NULL) {
        JitLir_Free(ls.lir);
    }
    return NULL;
}
