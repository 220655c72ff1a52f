/* x86-64 machine code for allocated LIR (Jit/lir.h), through the assembler
 * wrapper Jit/asm.h into W^X code memory (Jit/code_memory.h).
 *
 * Data: JitLir_Emit owns an assembler and its label tables only while it
 * runs; what it returns (a malloc'ed _PyJitCode holding sealed code memory,
 * and the malloc'ed listing) belongs to the caller, who releases the code
 * with JitLir_FreeCode and the listing with free().
 *
 * The frame (System V ABI, no frame pointer; rbp is an ordinary
 * callee-saved register):
 *
 *     [rsp + frame + 8*k]  the pushed callee-saved registers the allocator
 *                          used (rbx rbp r12 r13 r14 r15, in that order),
 *                          below the return address
 *     [rsp + 8*nslots ...] the arguments, stored by the prologue when the
 *                          function has Param instructions (6 slots)
 *     [rsp + 8*s]          spill slot s
 *
 * frame is padded so that rsp is 16-byte aligned everywhere in the body,
 * hence at every call.  rsp does not move in the body except inside the
 * out-of-line Decref slow paths.  Every Ret runs the epilogue (add rsp,
 * pop, ret).  Param i loads the argument saved by the prologue, so Params
 * may sit anywhere (the allocator may reuse rdi and friends right away).
 *
 * r11 and r10 are scratch registers (never allocated): a spilled operand or
 * a result going to a spill slot passes through r11, a second operand, an
 * immediate that does not fit in 32 bits or the parallel move's cycle
 * breaker through r10, a register call target through r11.
 *
 * Incref:  cmp byte [a+7], 0; jne 1f; add qword [a], 1; 1:
 * Decref:  cmp byte [a+7], 0; jne 1f; sub qword [a], 1; jz slow; 1:
 *   (XDecref starts with test a, a; jz 1f), and after the function's last
 *   block: slow: push the caller-saved registers live across (as the
 *   allocator recorded them), align rsp, mov rdi, a; mov rax, dealloc;
 *   call rax; restore; jmp 1b.  The fast path clobbers nothing but flags.
 *
 * Blocks go in the allocator's order (reverse postorder); a Jump to the
 * next block is left out and a Branch whose first target is the next
 * block is inverted.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asm.h"
#include "code_memory.h"
#include "lir_internal.h"

#define R11 JIT_LIR_SCRATCH1
#define R10 JIT_LIR_SCRATCH2

static const int arg_regs[JIT_LIR_MAX_ARGS] = {
    _PyJit_RDI, _PyJit_RSI, _PyJit_RDX, _PyJit_RCX, _PyJit_R8, _PyJit_R9,
};

/* Condition suffixes by JitLirCond, and the inverse condition. */
static const char *const cc_names[] = {
    "e", "ne", "l", "le", "g", "ge", "b", "be", "a", "ae",
};
static const int cc_inverse[] = {
    JitLirCond_NE, JitLirCond_EQ, JitLirCond_GE, JitLirCond_GT,
    JitLirCond_LE, JitLirCond_LT, JitLirCond_UGE, JitLirCond_UGT,
    JitLirCond_ULE, JitLirCond_ULT,
};
#define NCC 10

typedef struct {
    _PyJitLabel entry, back;
    int areg;
    uint32_t mask;
    uint64_t dealloc;
} SlowPath;

typedef struct {
    JitLir *lir;
    _PyJitAsm *as;
    char *err;
    size_t err_size;
    _PyJitLabel *labels;        /* per block */
    int frame;                  /* bytes reserved below the pushes */
    int param_off;              /* offset of the saved arguments */
    int saved[6], nsaved;       /* pushed callee-saved registers */
    SlowPath *slow;
    int nslow, slow_cap;
    _PyJitInstId mov, movzx, add, sub, imul, and_, or_, xor_, shl, sar;
    _PyJitInstId cmp, test, jmp, jo, call, ret, push, pop;
    _PyJitInstId jcc[NCC], setcc[NCC];
} Ctx;

static int
efail(Ctx *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->err, c->err_size, fmt, ap);
    va_end(ap);
    return -1;
}

static int
E(Ctx *c, _PyJitInstId id, const _PyJitOperand *ops, int n)
{
    if (_PyJitAsm_Emit(c->as, id, ops, n) < 0) {
        return efail(c, "%s", _PyJitAsm_Error(c->as));
    }
    return 0;
}

static int
E1(Ctx *c, _PyJitInstId id, _PyJitOperand a)
{
    return E(c, id, &a, 1);
}

static int
E2(Ctx *c, _PyJitInstId id, _PyJitOperand a, _PyJitOperand b)
{
    _PyJitOperand ops[2] = {a, b};
    return E(c, id, ops, 2);
}

static _PyJitOperand
gp(int reg)
{
    return _PyJitOp_Gp(reg, 8);
}

static _PyJitOperand
stack_slot(int slot)
{
    return _PyJitOp_Mem(_PyJit_RSP, _PyJit_NOREG, 1, slot * 8, 8);
}

static int
fits32(int64_t v)
{
    return v >= INT32_MIN && v <= INT32_MAX;
}

static int
same_gp(_PyJitOperand a, _PyJitOperand b)
{
    return a.kind == _PyJitOpnd_GP && b.kind == _PyJitOpnd_GP &&
           a.u.reg.id == b.u.reg.id;
}

/* Where a register operand lives (a GP register or its spill slot), or the
 * immediate. */
static _PyJitOperand
where(Ctx *c, JitLirOpnd o)
{
    if (o.is_imm) {
        return _PyJitOp_Imm(o.value);
    }
    const JitLirLoc *loc = &c->lir->locs[o.value];
    if (loc->kind == JitLirLoc_STACK) {
        return stack_slot(loc->slot);
    }
    return gp(loc->reg);
}

static int
in_reg(Ctx *c, int v)
{
    return c->lir->locs[v].kind != JitLirLoc_STACK;
}

/* reg = operand (register, slot or immediate). */
static int
load(Ctx *c, int reg, _PyJitOperand src)
{
    if (same_gp(src, gp(reg))) {
        return 0;
    }
    return E2(c, c->mov, gp(reg), src);
}

/* The register holding vreg v: its own, or scratch after loading it. */
static int
reg_of(Ctx *c, int v, int scratch, int *out)
{
    if (in_reg(c, v)) {
        *out = c->lir->locs[v].reg;
        return 0;
    }
    *out = scratch;
    return load(c, scratch, where(c, JitLir_R(v)));
}

/* The register a result for v is computed in: its own or r11. */
static int
dest_reg(Ctx *c, int v)
{
    return in_reg(c, v) ? c->lir->locs[v].reg : R11;
}

/* Finish a result computed in dest_reg(v). */
static int
store_result(Ctx *c, int v, int reg)
{
    if (in_reg(c, v)) {
        return load(c, c->lir->locs[v].reg, gp(reg));
    }
    return E2(c, c->mov, where(c, JitLir_R(v)), gp(reg));
}

/* A source operand for a two-operand instruction: an immediate that fits
 * in 32 bits stays one, a larger one goes through scratch. */
static int
source(Ctx *c, JitLirOpnd o, int scratch, _PyJitOperand *out)
{
    *out = where(c, o);
    if (o.is_imm && !fits32(o.value)) {
        *out = gp(scratch);
        return E2(c, c->mov, gp(scratch), _PyJitOp_Imm(o.value));
    }
    return 0;
}

static _PyJitInstId
alu_id(Ctx *c, int op)
{
    switch (op) {
    case JitLirOp_Add: case JitLirOp_AddOvf: return c->add;
    case JitLirOp_Sub: case JitLirOp_SubOvf: return c->sub;
    case JitLirOp_Mul: case JitLirOp_MulOvf: return c->imul;
    case JitLirOp_And: return c->and_;
    case JitLirOp_Or: return c->or_;
    case JitLirOp_Xor: return c->xor_;
    case JitLirOp_Shl: return c->shl;
    case JitLirOp_Sar: return c->sar;
    }
    return _PyJitInst_NONE;
}

static int
emit_binop(Ctx *c, const JitLirInstr *in)
{
    int op = in->op;
    int dr = dest_reg(c, in->d);
    JitLirOpnd a = in->a, b = in->b;
    int commutative = op != JitLirOp_Sub && op != JitLirOp_SubOvf &&
                      op != JitLirOp_Shl && op != JitLirOp_Sar;
    _PyJitOperand A = where(c, a), B;
    int b_in_r10 = 0;
    if (same_gp(where(c, b), gp(dr)) && !same_gp(A, gp(dr))) {
        /* dr = a would overwrite b */
        if (commutative) {
            JitLirOpnd t = a;
            a = b;
            b = t;
            A = where(c, a);
        }
        else if (load(c, R10, where(c, b)) < 0) {
            return -1;
        }
        else {
            b_in_r10 = 1;
        }
    }
    if (b_in_r10) {
        B = gp(R10);
    }
    else if (op == JitLirOp_Shl || op == JitLirOp_Sar) {
        B = _PyJitOp_Imm(b.value & 63);
    }
    else if (source(c, b, R10, &B) < 0) {
        return -1;
    }
    if (load(c, dr, A) < 0) {
        return -1;
    }
    _PyJitInstId id = alu_id(c, op);
    if (id == c->imul && B.kind == _PyJitOpnd_IMM) {
        _PyJitOperand ops[3] = {gp(dr), gp(dr), B};
        if (E(c, id, ops, 3) < 0) {
            return -1;
        }
    }
    else if (E2(c, id, gp(dr), B) < 0) {
        return -1;
    }
    if (store_result(c, in->d, dr) < 0) {
        return -1;
    }
    if (op == JitLirOp_AddOvf || op == JitLirOp_SubOvf ||
        op == JitLirOp_MulOvf) {
        /* mov does not change the flags */
        return E1(c, c->jo, _PyJitOp_Label(c->labels[in->target]));
    }
    return 0;
}

/* cmp a, b */
static int
emit_compare(Ctx *c, JitLirOpnd a, JitLirOpnd b)
{
    _PyJitOperand A = where(c, a), B;
    if (a.is_imm) {
        A = gp(R11);
        if (load(c, R11, where(c, a)) < 0) {
            return -1;
        }
    }
    if (source(c, b, R10, &B) < 0) {
        return -1;
    }
    if (A.kind == _PyJitOpnd_MEM && B.kind == _PyJitOpnd_MEM) {
        if (load(c, R11, A) < 0) {
            return -1;
        }
        A = gp(R11);
    }
    return E2(c, c->cmp, A, B);
}

static int
emit_load(Ctx *c, const JitLirInstr *in)
{
    int base, dr = dest_reg(c, in->d);
    if (reg_of(c, (int)in->a.value, R11, &base) < 0) {
        return -1;
    }
    _PyJitOperand mem = _PyJitOp_Mem(base, _PyJit_NOREG, 1, (int32_t)in->imm,
                                     in->size);
    int rc;
    switch (in->size) {
    case 1: case 2:
        rc = E2(c, c->movzx, _PyJitOp_Gp(dr, 4), mem);
        break;
    case 4:
        rc = E2(c, c->mov, _PyJitOp_Gp(dr, 4), mem);
        break;
    default:
        rc = E2(c, c->mov, gp(dr), mem);
        break;
    }
    return rc < 0 ? -1 : store_result(c, in->d, dr);
}

static int
emit_store(Ctx *c, const JitLirInstr *in)
{
    int base;
    if (reg_of(c, (int)in->a.value, R11, &base) < 0) {
        return -1;
    }
    int size = in->size;
    _PyJitOperand mem = _PyJitOp_Mem(base, _PyJit_NOREG, 1, (int32_t)in->imm,
                                     size);
    if (in->b.is_imm) {
        int64_t v = in->b.value;
        switch (size) {
        case 1: v = (int8_t)v; break;
        case 2: v = (int16_t)v; break;
        case 4: v = (int32_t)v; break;
        }
        if (fits32(v)) {
            return E2(c, c->mov, mem, _PyJitOp_Imm(v));
        }
        if (load(c, R10, _PyJitOp_Imm(v)) < 0) {
            return -1;
        }
        return E2(c, c->mov, mem, gp(R10));
    }
    int vr;
    if (reg_of(c, (int)in->b.value, R10, &vr) < 0) {
        return -1;
    }
    return E2(c, c->mov, mem, _PyJitOp_Gp(vr, size));
}

static int
emit_move(Ctx *c, const JitLirInstr *in)
{
    _PyJitOperand dst = where(c, JitLir_R(in->d)), src = where(c, in->a);
    if (dst.kind == _PyJitOpnd_GP) {
        return load(c, dst.u.reg.id, src);
    }
    if (src.kind == _PyJitOpnd_MEM && src.u.mem.disp == dst.u.mem.disp) {
        return 0;
    }
    if (src.kind == _PyJitOpnd_GP ||
        (src.kind == _PyJitOpnd_IMM && fits32(src.u.imm))) {
        return E2(c, c->mov, dst, src);
    }
    if (load(c, R11, src) < 0) {
        return -1;
    }
    return E2(c, c->mov, dst, gp(R11));
}

static int
emit_call(Ctx *c, const JitLirInstr *in)
{
    /* the target first: the argument moves may overwrite its register */
    if (load(c, R11, where(c, in->a)) < 0) {
        return -1;
    }
    int nargs = in->nargs;
    int src[JIT_LIR_MAX_ARGS];      /* register source or -1 */
    int pending[JIT_LIR_MAX_ARGS];
    for (int i = 0; i < nargs; i++) {
        _PyJitOperand w = where(c, in->args[i]);
        src[i] = w.kind == _PyJitOpnd_GP ? w.u.reg.id : -1;
        pending[i] = src[i] >= 0 && src[i] != arg_regs[i];
    }
    /* register-to-register moves in parallel: a move is safe when no
     * pending move still reads its destination; when none is safe the
     * rest are cycles, broken by saving one source in r10. */
    for (;;) {
        int progress = 0, left = 0;
        for (int i = 0; i < nargs; i++) {
            if (!pending[i]) {
                continue;
            }
            int blocked = 0;
            for (int j = 0; j < nargs; j++) {
                if (pending[j] && j != i && src[j] == arg_regs[i]) {
                    blocked = 1;
                }
            }
            if (blocked) {
                left++;
                continue;
            }
            if (load(c, arg_regs[i], gp(src[i])) < 0) {
                return -1;
            }
            pending[i] = 0;
            progress = 1;
        }
        if (left == 0) {
            break;
        }
        if (!progress) {
            for (int i = 0; i < nargs; i++) {
                if (pending[i]) {
                    if (load(c, R10, gp(src[i])) < 0) {
                        return -1;
                    }
                    src[i] = R10;
                    break;
                }
            }
        }
    }
    /* then the spilled and immediate arguments (their sources are memory
     * and constants, which the moves above did not touch) */
    for (int i = 0; i < nargs; i++) {
        if (src[i] < 0 && load(c, arg_regs[i], where(c, in->args[i])) < 0) {
            return -1;
        }
    }
    if (E1(c, c->call, gp(R11)) < 0) {
        return -1;
    }
    if (in->d >= 0) {
        return store_result(c, in->d, _PyJit_RAX);
    }
    return 0;
}

static int
emit_refcount(Ctx *c, const JitLirInstr *in)
{
    int ar;
    _PyJitLabel skip, slow;
    if (reg_of(c, (int)in->a.value, R11, &ar) < 0 ||
        _PyJitAsm_NewLabel(c->as, &skip) < 0) {
        return efail(c, "%s", _PyJitAsm_Error(c->as));
    }
    if (in->op == JitLirOp_XDecref) {
        if (E2(c, c->test, gp(ar), gp(ar)) < 0 ||
            E1(c, c->jcc[JitLirCond_EQ], _PyJitOp_Label(skip)) < 0) {
            return -1;
        }
    }
    if (E2(c, c->cmp, _PyJitOp_Mem(ar, _PyJit_NOREG, 1, 7, 1),
           _PyJitOp_Imm(0)) < 0 ||
        E1(c, c->jcc[JitLirCond_NE], _PyJitOp_Label(skip)) < 0) {
        return -1;
    }
    _PyJitOperand count = _PyJitOp_Mem(ar, _PyJit_NOREG, 1, 0, 8);
    if (in->op == JitLirOp_Incref) {
        if (E2(c, c->add, count, _PyJitOp_Imm(1)) < 0) {
            return -1;
        }
    }
    else {
        if (_PyJitAsm_NewLabel(c->as, &slow) < 0) {
            return efail(c, "%s", _PyJitAsm_Error(c->as));
        }
        if (E2(c, c->sub, count, _PyJitOp_Imm(1)) < 0 ||
            E1(c, c->jcc[JitLirCond_EQ], _PyJitOp_Label(slow)) < 0) {
            return -1;
        }
        if (c->nslow == c->slow_cap) {
            int cap = c->slow_cap ? c->slow_cap * 2 : 8;
            SlowPath *s = realloc(c->slow, cap * sizeof(SlowPath));
            if (s == NULL) {
                return efail(c, "out of memory");
            }
            c->slow = s;
            c->slow_cap = cap;
        }
        SlowPath *s = &c->slow[c->nslow++];
        s->entry = slow;
        s->back = skip;
        s->areg = ar;
        s->mask = in->live_caller_saved;
        s->dealloc = (uint64_t)in->imm;
    }
    if (_PyJitAsm_Bind(c->as, skip) < 0) {
        return efail(c, "%s", _PyJitAsm_Error(c->as));
    }
    return 0;
}

static int
emit_slow_path(Ctx *c, const SlowPath *s)
{
    int regs[16], n = 0;
    for (int r = 0; r < 16; r++) {
        if (s->mask & (1u << r)) {
            regs[n++] = r;
        }
    }
    if (_PyJitAsm_Bind(c->as, s->entry) < 0) {
        return efail(c, "%s", _PyJitAsm_Error(c->as));
    }
    for (int i = 0; i < n; i++) {
        if (E1(c, c->push, gp(regs[i])) < 0) {
            return -1;
        }
    }
    if ((n % 2 == 1 &&
         E2(c, c->sub, gp(_PyJit_RSP), _PyJitOp_Imm(8)) < 0) ||
        load(c, _PyJit_RDI, gp(s->areg)) < 0 ||
        load(c, _PyJit_RAX, _PyJitOp_Imm((int64_t)s->dealloc)) < 0 ||
        E1(c, c->call, gp(_PyJit_RAX)) < 0 ||
        (n % 2 == 1 &&
         E2(c, c->add, gp(_PyJit_RSP), _PyJitOp_Imm(8)) < 0)) {
        return -1;
    }
    for (int i = n - 1; i >= 0; i--) {
        if (E1(c, c->pop, gp(regs[i])) < 0) {
            return -1;
        }
    }
    return E1(c, c->jmp, _PyJitOp_Label(s->back));
}

static int
emit_epilogue(Ctx *c)
{
    if (c->frame > 0 &&
        E2(c, c->add, gp(_PyJit_RSP), _PyJitOp_Imm(c->frame)) < 0) {
        return -1;
    }
    for (int i = c->nsaved - 1; i >= 0; i--) {
        if (E1(c, c->pop, gp(c->saved[i])) < 0) {
            return -1;
        }
    }
    return E(c, c->ret, NULL, 0);
}

static int
emit_instr(Ctx *c, const JitLirInstr *in, int next_block)
{
    switch ((JitLirOp)in->op) {
    case JitLirOp_Param: {
        int dr = dest_reg(c, in->d);
        _PyJitOperand arg = _PyJitOp_Mem(_PyJit_RSP, _PyJit_NOREG, 1,
                                         c->param_off + 8 * (int)in->imm, 8);
        if (load(c, dr, arg) < 0) {
            return -1;
        }
        return store_result(c, in->d, dr);
    }
    case JitLirOp_Move:
        return emit_move(c, in);
    case JitLirOp_Load:
        return emit_load(c, in);
    case JitLirOp_Store:
        return emit_store(c, in);
    case JitLirOp_Add: case JitLirOp_Sub: case JitLirOp_Mul:
    case JitLirOp_And: case JitLirOp_Or: case JitLirOp_Xor:
    case JitLirOp_Shl: case JitLirOp_Sar:
    case JitLirOp_AddOvf: case JitLirOp_SubOvf: case JitLirOp_MulOvf:
        return emit_binop(c, in);
    case JitLirOp_Cmp: {
        int dr = dest_reg(c, in->d);
        if (emit_compare(c, in->a, in->b) < 0 ||
            E1(c, c->setcc[in->cond], _PyJitOp_Gp(dr, 1)) < 0 ||
            E2(c, c->movzx, _PyJitOp_Gp(dr, 4), _PyJitOp_Gp(dr, 1)) < 0) {
            return -1;
        }
        return store_result(c, in->d, dr);
    }
    case JitLirOp_Call:
        return emit_call(c, in);
    case JitLirOp_Incref:
    case JitLirOp_Decref:
    case JitLirOp_XDecref:
        return emit_refcount(c, in);
    case JitLirOp_Jump:
        if (in->target == next_block) {
            return 0;
        }
        return E1(c, c->jmp, _PyJitOp_Label(c->labels[in->target]));
    case JitLirOp_Branch: {
        if (emit_compare(c, in->a, in->b) < 0) {
            return -1;
        }
        int cond = in->cond, t = in->target, f = in->target2;
        if (t == next_block && f != next_block) {
            cond = cc_inverse[cond];
            t = in->target2;
            f = in->target;
        }
        if (E1(c, c->jcc[cond], _PyJitOp_Label(c->labels[t])) < 0) {
            return -1;
        }
        if (f != next_block) {
            return E1(c, c->jmp, _PyJitOp_Label(c->labels[f]));
        }
        return 0;
    }
    case JitLirOp_Ret:
        if (load(c, _PyJit_RAX, where(c, in->a)) < 0) {
            return -1;
        }
        return emit_epilogue(c);
    default:
        return efail(c, "cannot emit operation %d", in->op);
    }
}

static int
lookup_ids(Ctx *c)
{
    struct { _PyJitInstId *id; const char *name; } names[] = {
        {&c->mov, "mov"}, {&c->movzx, "movzx"}, {&c->add, "add"},
        {&c->sub, "sub"}, {&c->imul, "imul"}, {&c->and_, "and"},
        {&c->or_, "or"}, {&c->xor_, "xor"}, {&c->shl, "shl"},
        {&c->sar, "sar"}, {&c->cmp, "cmp"}, {&c->test, "test"},
        {&c->jmp, "jmp"}, {&c->jo, "jo"}, {&c->call, "call"},
        {&c->ret, "ret"}, {&c->push, "push"}, {&c->pop, "pop"},
    };
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        if (_PyJitAsm_Lookup(c->as, names[i].name, names[i].id) < 0) {
            return efail(c, "%s", _PyJitAsm_Error(c->as));
        }
    }
    for (int k = 0; k < NCC; k++) {
        char name[8];
        snprintf(name, sizeof(name), "j%s", cc_names[k]);
        if (_PyJitAsm_Lookup(c->as, name, &c->jcc[k]) < 0) {
            return efail(c, "%s", _PyJitAsm_Error(c->as));
        }
        snprintf(name, sizeof(name), "set%s", cc_names[k]);
        if (_PyJitAsm_Lookup(c->as, name, &c->setcc[k]) < 0) {
            return efail(c, "%s", _PyJitAsm_Error(c->as));
        }
    }
    return 0;
}

static int
emit_function(Ctx *c)
{
    JitLir *lir = c->lir;
    static const int callee_push_order[] = {3, 5, 12, 13, 14, 15};
    for (int k = 0; k < 6; k++) {
        if (lir->used_regs & (1u << callee_push_order[k])) {
            c->saved[c->nsaved++] = callee_push_order[k];
        }
    }
    uint32_t params = 0;
    for (int oi = 0; oi < lir->norder; oi++) {
        JitLirBlock *b = &lir->blocks[lir->order[oi]];
        for (int i = 0; i < b->count; i++) {
            if (b->instrs[i].op == JitLirOp_Param) {
                params |= 1u << b->instrs[i].imm;
            }
        }
    }
    c->param_off = lir->nslots * 8;
    c->frame = c->param_off + (params ? 8 * JIT_LIR_MAX_ARGS : 0);
    if ((8 + 8 * c->nsaved + c->frame) % 16 != 0) {
        c->frame += 8;
    }
    for (int i = 0; i < lir->nblocks; i++) {
        if (_PyJitAsm_NewLabel(c->as, &c->labels[i]) < 0) {
            return efail(c, "%s", _PyJitAsm_Error(c->as));
        }
    }
    /* prologue */
    for (int i = 0; i < c->nsaved; i++) {
        if (E1(c, c->push, gp(c->saved[i])) < 0) {
            return -1;
        }
    }
    if (c->frame > 0 &&
        E2(c, c->sub, gp(_PyJit_RSP), _PyJitOp_Imm(c->frame)) < 0) {
        return -1;
    }
    for (int i = 0; i < JIT_LIR_MAX_ARGS; i++) {
        if ((params & (1u << i)) &&
            E2(c, c->mov, _PyJitOp_Mem(_PyJit_RSP, _PyJit_NOREG, 1,
                                       c->param_off + 8 * i, 8),
               gp(arg_regs[i])) < 0) {
            return -1;
        }
    }
    for (int oi = 0; oi < lir->norder; oi++) {
        int bi = lir->order[oi];
        int next = oi + 1 < lir->norder ? lir->order[oi + 1] : -1;
        if (_PyJitAsm_Bind(c->as, c->labels[bi]) < 0) {
            return efail(c, "%s", _PyJitAsm_Error(c->as));
        }
        JitLirBlock *b = &lir->blocks[bi];
        for (int i = 0; i < b->count; i++) {
            if (emit_instr(c, &b->instrs[i], next) < 0) {
                return -1;
            }
        }
    }
    for (int i = 0; i < c->nslow; i++) {
        if (emit_slow_path(c, &c->slow[i]) < 0) {
            return -1;
        }
    }
    return 0;
}

int
JitLir_Emit(JitLir *lir, void **code_out, void **entry, size_t *size_out,
            char **asm_text, char *err, size_t err_size)
{
    Ctx c;
    memset(&c, 0, sizeof(c));
    c.lir = lir;
    c.err = err;
    c.err_size = err_size;
    *code_out = NULL;
    *entry = NULL;
    *size_out = 0;
    if (asm_text) {
        *asm_text = NULL;
    }
    if (!lir->allocated) {
        return efail(&c, "JitLir_Emit needs JitLir_Allocate first");
    }
    _PyJitCode *code = NULL;
    int rc = -1;
    c.as = _PyJitAsm_New();
    c.labels = calloc(lir->nblocks + 1, sizeof(_PyJitLabel));
    if (c.as == NULL || c.labels == NULL) {
        efail(&c, "cannot create an assembler (out of memory, or the host "
              "is not x86-64)");
        goto done;
    }
    if (asm_text) {
        _PyJitAsm_EnableListing(c.as);
    }
    size_t size, written;
    if (lookup_ids(&c) < 0 || emit_function(&c) < 0) {
        goto done;
    }
    if (_PyJitAsm_Finish(c.as, &size) < 0) {
        efail(&c, "%s", _PyJitAsm_Error(c.as));
        goto done;
    }
    code = malloc(sizeof(_PyJitCode));
    if (code == NULL || _PyJitCode_Alloc(code, size) < 0) {
        free(code);
        code = NULL;
        efail(&c, "cannot allocate %zu bytes of code memory", size);
        goto done;
    }
    if (_PyJitAsm_Copy(c.as, code->start, code->size,
                       (uint64_t)(uintptr_t)code->start, &written) < 0) {
        efail(&c, "%s", _PyJitAsm_Error(c.as));
        goto done;
    }
    if (_PyJitCode_Seal(code) < 0) {
        efail(&c, "cannot seal the code memory");
        goto done;
    }
    if (asm_text) {
        const char *listing = _PyJitAsm_Listing(c.as);
        size_t n = strlen(listing) + 1;
        *asm_text = malloc(n);
        if (*asm_text != NULL) {
            memcpy(*asm_text, listing, n);
        }
        else {
            efail(&c, "out of memory");
            goto done;
        }
    }
    *code_out = code;
    *entry = code->start;
    *size_out = written;
    code = NULL;
    rc = 0;
done:
    if (code != NULL) {
        _PyJitCode_Free(code);
        free(code);
    }
    _PyJitAsm_Free(c.as);
    free(c.labels);
    free(c.slow);
    return rc;
}

void
JitLir_FreeCode(void *code)
{
    if (code != NULL) {
        _PyJitCode_Free((_PyJitCode *)code);
        free(code);
    }
}
