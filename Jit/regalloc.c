/* Register allocation for LIR (Jit/lir.h): liveness, live intervals and a
 * linear scan with spilling.
 *
 * Data: JitLir_Allocate fills the allocation fields of a JitLir
 * (Jit/lir_internal.h): the location of every virtual register, the block
 * order the emitter follows, the number of spill slots, the set of machine
 * registers used and, for Decref/XDecref, the caller-saved registers live
 * across them.  Everything else it allocates is freed before it returns.
 *
 * The approach:
 *  1. Check the LIR (operands in range, one terminator at the end of every
 *     block, operand kinds), find successors (Jump/Branch targets and the
 *     overflow targets of AddOvf/SubOvf/MulOvf) and order the reachable
 *     blocks in reverse postorder from bb0 (unreachable ones are dropped).
 *  2. Liveness, only of the registers that can be live at a block edge
 *     (the others live within one block), one register at a time: from
 *     each use with no definition before it in its block, walk backward
 *     through predecessors (reachable ones) until definitions stop the
 *     walk.  The result is what backward dataflow to a fixed point would
 *     give, in time proportional to the blocks each register is live in
 *     (no blocks x registers bit sets, no iterations).  Registers are not
 *     SSA: a Move into an existing register is simply another definition.
 *     An overflow edge leaves from the middle of a block: the register
 *     is live at the AddOvf/SubOvf/MulOvf itself, and above it unless
 *     defined there or before it in the block.
 *  3. Positions: the n-th instruction of the order reads its operands at
 *     2n and writes its result at 2n+1.  Each register gets ONE interval
 *     [first, last] (no holes, no splitting) that covers every position
 *     where it is live: its definitions and uses, the start of every block
 *     where it is live-in, the end of every block where it is live-out and
 *     every overflow exit where its target needs it.  A value live around
 *     a loop's back edge is live-out of the latch and live-in at the
 *     header, so its interval spans the whole loop.
 *  4. Linear scan (Poletto and Sarkar) over the intervals by start.  An
 *     interval that contains a Call (read before it, needed after it) may
 *     only take a callee-saved register (rbx rbp r12-r15); others take a
 *     caller-saved one first (rax rcx rdx r8 r9 rsi rdi), then callee-saved.
 *     With none free, the interval with the fewest uses per position
 *     among the holders of a register it could take, or the new one
 *     itself, is spilled to an 8-byte stack slot for its whole life; slots
 *     are reused once their interval has ended (the lowest-numbered free
 *     one, found in a min-tree of the slots' ends).  r10 and r11 are never
 *     allocated: the emitter's scratch registers.
 *  5. Decref/XDecref are not calls for the allocator: their dealloc call is
 *     an out-of-line slow path that saves and restores the caller-saved
 *     registers live across it, recorded here per instruction.
 *
 * Limits: whole-interval spilling (a spilled value lives in memory
 * everywhere and each use loads it into a scratch register); no interval
 * splitting, no holes, no move coalescing or hints (Param and Call results
 * get no preference for rdi/rax); a register used before any definition on
 * some path just holds garbage there (not an error).
 */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lir_internal.h"

static int
fail(char *err, size_t err_size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, err_size, fmt, ap);
    va_end(ap);
    return -1;
}

static int
is_terminator(int op)
{
    return op == JitLirOp_Jump || op == JitLirOp_Branch || op == JitLirOp_Ret;
}

static int
is_ovf(int op)
{
    return op == JitLirOp_AddOvf || op == JitLirOp_SubOvf ||
           op == JitLirOp_MulOvf;
}

/* Runs BODY with `use` set to each register the instruction reads. */
#define FOR_EACH_USE(in, BODY) do { \
        int _uses[2 + JIT_LIR_MAX_ARGS], _nu = 0; \
        if ((in)->op != JitLirOp_Param && (in)->op != JitLirOp_Jump) { \
            if (!(in)->a.is_imm) _uses[_nu++] = (int)(in)->a.value; \
            if (!(in)->b.is_imm) _uses[_nu++] = (int)(in)->b.value; \
        } \
        if ((in)->op == JitLirOp_Call) { \
            for (int _k = 0; _k < (in)->nargs; _k++) \
                if (!(in)->args[_k].is_imm) \
                    _uses[_nu++] = (int)(in)->args[_k].value; \
        } \
        for (int _k = 0; _k < _nu; _k++) { int use = _uses[_k]; BODY; } \
    } while (0)

/* Operand b is meaningful only for these. */
static int
has_b(int op)
{
    switch (op) {
    case JitLirOp_Store: case JitLirOp_Add: case JitLirOp_Sub:
    case JitLirOp_Mul: case JitLirOp_And: case JitLirOp_Or:
    case JitLirOp_Xor: case JitLirOp_Shl: case JitLirOp_Sar:
    case JitLirOp_Cmp: case JitLirOp_AddOvf: case JitLirOp_SubOvf:
    case JitLirOp_MulOvf: case JitLirOp_Branch:
        return 1;
    }
    return 0;
}

static int
has_a(int op)
{
    return op != JitLirOp_Param && op != JitLirOp_Jump;
}

static int
check_opnd(JitLir *lir, JitLirOpnd o, int bi, int ii, const char *what,
           int must_be_reg, char *err, size_t err_size)
{
    if (o.is_imm) {
        if (must_be_reg) {
            return fail(err, err_size, "bb%d, instruction %d: %s must be a "
                        "register", bi, ii, what);
        }
        return 0;
    }
    if (o.value < 0 || o.value >= lir->nvregs) {
        return fail(err, err_size, "bb%d, instruction %d: %s is not a "
                    "register of this LIR (v%lld)", bi, ii, what,
                    (long long)o.value);
    }
    return 0;
}

static int
check(JitLir *lir, char *err, size_t err_size)
{
    if (lir->failed) {
        return fail(err, err_size, "the LIR is incomplete: out of memory "
                    "(or no current block) while it was built");
    }
    if (lir->nblocks == 0) {
        return fail(err, err_size, "the LIR has no blocks");
    }
    for (int bi = 0; bi < lir->nblocks; bi++) {
        JitLirBlock *b = &lir->blocks[bi];
        if (b->count == 0 || !is_terminator(b->instrs[b->count - 1].op)) {
            return fail(err, err_size, "bb%d does not end with Jump, Branch "
                        "or Ret", bi);
        }
        for (int ii = 0; ii < b->count; ii++) {
            JitLirInstr *in = &b->instrs[ii];
            int op = in->op;
            if (op >= JitLirOp_COUNT) {
                return fail(err, err_size, "bb%d, instruction %d: bad "
                            "operation", bi, ii);
            }
            if (is_terminator(op) && ii != b->count - 1) {
                return fail(err, err_size, "bb%d, instruction %d: a "
                            "terminator in the middle of the block", bi, ii);
            }
            if (in->d < -1 || in->d >= lir->nvregs) {
                return fail(err, err_size, "bb%d, instruction %d: bad "
                            "destination register", bi, ii);
            }
            int reg_a = op == JitLirOp_Load || op == JitLirOp_Store ||
                        op == JitLirOp_Incref || op == JitLirOp_Decref ||
                        op == JitLirOp_XDecref;
            if (has_a(op) &&
                check_opnd(lir, in->a, bi, ii, "operand a", reg_a, err,
                           err_size) < 0) {
                return -1;
            }
            if (has_b(op) &&
                check_opnd(lir, in->b, bi, ii, "operand b", 0, err,
                           err_size) < 0) {
                return -1;
            }
            if (!has_b(op)) {
                in->b = JitLir_I(0);
            }
            if (!has_a(op)) {
                in->a = JitLir_I(0);
            }
            if ((op == JitLirOp_Shl || op == JitLirOp_Sar) &&
                (!in->b.is_imm || in->b.value < 0 || in->b.value > 63)) {
                return fail(err, err_size, "bb%d, instruction %d: the shift "
                            "count must be an immediate 0..63", bi, ii);
            }
            if ((op == JitLirOp_Load || op == JitLirOp_Store) &&
                in->size != 1 && in->size != 2 && in->size != 4 &&
                in->size != 8) {
                return fail(err, err_size, "bb%d, instruction %d: bad size "
                            "%d", bi, ii, in->size);
            }
            if (op == JitLirOp_Param && (in->imm < 0 || in->imm > 5)) {
                return fail(err, err_size, "bb%d, instruction %d: bad "
                            "argument number", bi, ii);
            }
            if (op == JitLirOp_Call) {
                if (in->nargs > JIT_LIR_MAX_ARGS) {
                    return fail(err, err_size, "bb%d, instruction %d: more "
                                "than %d arguments", bi, ii,
                                JIT_LIR_MAX_ARGS);
                }
                for (int k = 0; k < in->nargs; k++) {
                    if (check_opnd(lir, in->args[k], bi, ii, "an argument",
                                   0, err, err_size) < 0) {
                        return -1;
                    }
                }
            }
            int need_d = op != JitLirOp_Store && op != JitLirOp_Incref &&
                         op != JitLirOp_Decref && op != JitLirOp_XDecref &&
                         op != JitLirOp_Call && !is_terminator(op);
            if (need_d && in->d < 0) {
                return fail(err, err_size, "bb%d, instruction %d: no "
                            "destination register", bi, ii);
            }
            if (!need_d && op != JitLirOp_Call) {
                in->d = -1;
            }
            if ((op == JitLirOp_Jump || op == JitLirOp_Branch ||
                 is_ovf(op)) &&
                (in->target < 0 || in->target >= lir->nblocks)) {
                return fail(err, err_size, "bb%d, instruction %d: bad target "
                            "block", bi, ii);
            }
            if (op == JitLirOp_Branch &&
                (in->target2 < 0 || in->target2 >= lir->nblocks)) {
                return fail(err, err_size, "bb%d, instruction %d: bad target "
                            "block", bi, ii);
            }
            if ((op == JitLirOp_Cmp || op == JitLirOp_Branch) &&
                in->cond > JitLirCond_UGE) {
                return fail(err, err_size, "bb%d, instruction %d: bad "
                            "condition", bi, ii);
            }
        }
    }
    return 0;
}

/* Reverse postorder of the blocks reachable from bb0, by an explicit DFS. */
static int
block_order(JitLir *lir, int *order)
{
    int nb = lir->nblocks;
    char *seen = calloc(nb, 1);
    int *stack = malloc(nb * sizeof(int));
    int *next = calloc(nb, sizeof(int));   /* next instruction to scan */
    int *post = malloc(nb * sizeof(int));
    if (!seen || !stack || !next || !post) {
        free(seen); free(stack); free(next); free(post);
        return -1;
    }
    int sp = 0, np = 0;
    stack[sp++] = 0;
    seen[0] = 1;
    while (sp > 0) {
        int bi = stack[sp - 1];
        JitLirBlock *b = &lir->blocks[bi];
        int pushed = 0;
        /* Successors in reverse instruction order so that a Branch's
         * fall-through (target2) tends to follow its block. */
        while (next[bi] < b->count * 2 && !pushed) {
            int k = next[bi]++;
            const JitLirInstr *in = &b->instrs[b->count - 1 - k / 2];
            int t = -1;
            if (k % 2 == 0) {
                t = in->op == JitLirOp_Branch ? in->target :
                    (is_ovf(in->op) || in->op == JitLirOp_Jump) ? in->target
                                                                : -1;
            }
            else if (in->op == JitLirOp_Branch) {
                t = in->target2;
            }
            if (t >= 0 && !seen[t]) {
                seen[t] = 1;
                stack[sp++] = t;
                pushed = 1;
            }
        }
        if (!pushed) {
            post[np++] = bi;
            sp--;
        }
    }
    for (int i = 0; i < np; i++) {
        order[i] = post[np - 1 - i];
    }
    free(seen); free(stack); free(next); free(post);
    return np;
}

typedef struct {
    int start, end;     /* positions; start INT_MAX: no interval */
    int crosses_call;
    int uses;           /* reads and writes, the spill cost */
} Interval;

/* Liveness of the global registers, found one register at a time by
 * walking backward from its upward-exposed uses (a use with no definition
 * before it in its block) through the predecessors until definitions stop
 * the walk.  This gives exactly what backward dataflow to a fixed point
 * would (the least solution), in time proportional to the blocks each
 * register is live in rather than blocks x registers.  All arrays are in
 * CSR form: the entries of key k are [start[k], start[k + 1]).
 *
 * An edge into a block is (pred, at): at -1 for the predecessor's Jump or
 * Branch (the value must be live-out of pred), else the index in pred of
 * the AddOvf/SubOvf/MulOvf whose overflow exit it is (live there). */
typedef struct {
    int *edge_start;        /* per block: the edges into it */
    int *edge_pred, *edge_at;
    int *def_start;         /* per global register: blocks defining it */
    int *def_block, *def_at;    /* the block and its first definition */
    int *ue_start;          /* per global register: blocks using it before
                               any definition there */
    int *ue_block;
    /* walk state, per block */
    int *first_def;         /* INT_MAX, or the index of the register's
                               first definition in the block */
    int *in_mark, *out_mark;    /* == g: live-in / live-out seen for g */
    int *work;
} Liveness;

static void
liveness_free(Liveness *lv)
{
    free(lv->edge_start); free(lv->edge_pred); free(lv->edge_at);
    free(lv->def_start); free(lv->def_block); free(lv->def_at);
    free(lv->ue_start); free(lv->ue_block);
    free(lv->first_def); free(lv->in_mark); free(lv->out_mark);
    free(lv->work);
}

/* Counting sort of n (key, a, b) triples into CSR arrays: start (nkeys + 1
 * entries), out_a and out_b (b may be NULL). */
static int
csr(int nkeys, int n, const int *key, const int *a, const int *b,
    int **start, int **out_a, int **out_b)
{
    *start = calloc(nkeys + 2, sizeof(int));
    *out_a = malloc((n + 1) * sizeof(int));
    if (out_b) {
        *out_b = malloc((n + 1) * sizeof(int));
    }
    if (!*start || !*out_a || (out_b && !*out_b)) {
        return -1;
    }
    int *s = *start;
    for (int i = 0; i < n; i++) {
        s[key[i] + 2]++;
    }
    for (int k = 0; k < nkeys; k++) {
        s[k + 2] += s[k + 1];
    }
    /* s[k + 1] is now the start of key k: fill through it */
    for (int i = 0; i < n; i++) {
        int j = s[key[i] + 1]++;
        (*out_a)[j] = a[i];
        if (out_b) {
            (*out_b)[j] = b[i];
        }
    }
    return 0;
}

static int
liveness_prepare(JitLir *lir, const int *order, int norder, const int *gidx,
                 int nglobal, Liveness *lv)
{
    int nb = lir->nblocks;
    int rc = -1;
    /* Room for the edges of reachable blocks, and for the first definition
     * and the upward-exposed uses of global registers per block (at most
     * one entry per definition and per use). */
    size_t nedges = 0, ndefs = 0, nuses = 0;
    for (int oi = 0; oi < norder; oi++) {
        const JitLirBlock *b = &lir->blocks[order[oi]];
        for (int ii = 0; ii < b->count; ii++) {
            const JitLirInstr *in = &b->instrs[ii];
            nedges += is_ovf(in->op);
            ndefs += in->d >= 0 && gidx[in->d] >= 0;
            FOR_EACH_USE(in, { nuses += gidx[use] >= 0; });
        }
        nedges += 2;
    }
    int *ekey = malloc((nedges + 1) * sizeof(int));
    int *epred = malloc((nedges + 1) * sizeof(int));
    int *eat = malloc((nedges + 1) * sizeof(int));
    int *dkey = malloc((ndefs + 1) * sizeof(int));
    int *dblock = malloc((ndefs + 1) * sizeof(int));
    int *dat = malloc((ndefs + 1) * sizeof(int));
    int *ukey = malloc((nuses + 1) * sizeof(int));
    int *ublock = malloc((nuses + 1) * sizeof(int));
    int *def_seen = malloc((nglobal + 1) * sizeof(int));
    int *use_seen = malloc((nglobal + 1) * sizeof(int));
    lv->first_def = malloc((nb + 1) * sizeof(int));
    lv->in_mark = malloc((nb + 1) * sizeof(int));
    lv->out_mark = malloc((nb + 1) * sizeof(int));
    lv->work = malloc((nb + 1) * sizeof(int));
    if (!ekey || !epred || !eat || !dkey || !dblock || !dat || !ukey
        || !ublock || !def_seen || !use_seen || !lv->first_def
        || !lv->in_mark || !lv->out_mark || !lv->work) {
        goto done;
    }
    int ne = 0, nd = 0, nu = 0;
    for (int g = 0; g < nglobal; g++) {
        def_seen[g] = use_seen[g] = -1;
    }
    for (int bi = 0; bi < nb; bi++) {
        lv->first_def[bi] = INT_MAX;
        lv->in_mark[bi] = lv->out_mark[bi] = -1;
    }
    for (int oi = 0; oi < norder; oi++) {
        int bi = order[oi];
        const JitLirBlock *b = &lir->blocks[bi];
        for (int ii = 0; ii < b->count; ii++) {
            const JitLirInstr *in = &b->instrs[ii];
            if (is_ovf(in->op)) {
                ekey[ne] = in->target; epred[ne] = bi; eat[ne++] = ii;
            }
            else if (in->op == JitLirOp_Jump) {
                ekey[ne] = in->target; epred[ne] = bi; eat[ne++] = -1;
            }
            else if (in->op == JitLirOp_Branch) {
                ekey[ne] = in->target; epred[ne] = bi; eat[ne++] = -1;
                if (in->target2 != in->target) {
                    ekey[ne] = in->target2; epred[ne] = bi; eat[ne++] = -1;
                }
            }
            FOR_EACH_USE(in, {
                int g = gidx[use];
                if (g >= 0 && def_seen[g] != bi && use_seen[g] != bi) {
                    use_seen[g] = bi;
                    ukey[nu] = g; ublock[nu++] = bi;
                }
            });
            if (in->d >= 0 && gidx[in->d] >= 0 && def_seen[gidx[in->d]] != bi) {
                int g = gidx[in->d];
                def_seen[g] = bi;
                dkey[nd] = g; dblock[nd] = bi; dat[nd++] = ii;
            }
        }
    }
    if (csr(nb, ne, ekey, epred, eat, &lv->edge_start, &lv->edge_pred,
            &lv->edge_at) < 0
        || csr(nglobal, nd, dkey, dblock, dat, &lv->def_start,
               &lv->def_block, &lv->def_at) < 0
        || csr(nglobal, nu, ukey, ublock, NULL, &lv->ue_start,
               &lv->ue_block, NULL) < 0) {
        goto done;
    }
    rc = 0;
done:
    free(ekey); free(epred); free(eat); free(dkey); free(dblock); free(dat);
    free(ukey); free(ublock); free(def_seen); free(use_seen);
    return rc;
}

/* Extend register v's interval (global number g) over every position where
 * it is live at a block edge or an overflow exit. */
static void
live_ranges(JitLir *lir, const int *first, Liveness *lv, int g, int v,
            Interval *iv)
{
#define EXTEND_V(pos) do { \
        int _p = (pos); \
        if (_p < iv[v].start) iv[v].start = _p; \
        if (_p > iv[v].end) iv[v].end = _p; \
    } while (0)
    for (int k = lv->def_start[g]; k < lv->def_start[g + 1]; k++) {
        lv->first_def[lv->def_block[k]] = lv->def_at[k];
    }
    int nwork = 0;
    for (int k = lv->ue_start[g]; k < lv->ue_start[g + 1]; k++) {
        int bi = lv->ue_block[k];
        lv->in_mark[bi] = g;
        lv->work[nwork++] = bi;
    }
    while (nwork > 0) {
        int bi = lv->work[--nwork];
        EXTEND_V(2 * first[bi]);            /* live-in */
        lir->work += 1 + lv->edge_start[bi + 1] - lv->edge_start[bi];
        for (int e = lv->edge_start[bi]; e < lv->edge_start[bi + 1]; e++) {
            int p = lv->edge_pred[e], at = lv->edge_at[e];
            int live_in_p;
            if (at < 0) {
                if (lv->out_mark[p] != g) {
                    lv->out_mark[p] = g;    /* live-out */
                    EXTEND_V(2 * (first[p] + lir->blocks[p].count - 1) + 1);
                }
                live_in_p = lv->first_def[p] == INT_MAX;
            }
            else {
                EXTEND_V(2 * (first[p] + at) + 1);  /* the overflow exit */
                live_in_p = lv->first_def[p] > at;
            }
            if (live_in_p && lv->in_mark[p] != g) {
                lv->in_mark[p] = g;
                lv->work[nwork++] = p;
            }
        }
    }
    for (int k = lv->def_start[g]; k < lv->def_start[g + 1]; k++) {
        lv->first_def[lv->def_block[k]] = INT_MAX;
    }
#undef EXTEND_V
}

static const int caller_order[] = {0, 1, 2, 8, 9, 6, 7};  /* rax rcx rdx
                                                           r8 r9 rsi rdi */
static const int callee_order[] = {3, 12, 13, 14, 15, 5};  /* rbx r12-r15
                                                              rbp */

typedef struct {
    int start, vreg;
} StartKey;

static int
cmp_start(const void *x, const void *y)
{
    const StartKey *a = x, *b = y;
    if (a->start != b->start) {
        return a->start < b->start ? -1 : 1;
    }
    return a->vreg - b->vreg;
}

int
JitLir_Allocate(JitLir *lir, char *err, size_t err_size)
{
    if (check(lir, err, err_size) < 0) {
        return -1;
    }
    int nb = lir->nblocks, nv = lir->nvregs;
    int rc = -1;
    lir->work = 0;
    int *order = malloc(nb * sizeof(int));
    int *first = malloc(nb * sizeof(int));      /* first instr index */
    Liveness lv;
    memset(&lv, 0, sizeof(lv));
    Interval *iv = malloc((nv + 1) * sizeof(Interval));
    int *calls = NULL, *slot_end = NULL, *slot_tree = NULL;
    int tree_cap = 1;
    StartKey *sorted = NULL;
    JitLirLoc *locs = calloc(nv + 1, sizeof(JitLirLoc));
    /* Liveness is computed only for the registers that can be live at a
     * block's edge ("global"): the others are defined before any use in
     * one block and used only there, and their interval is just their
     * definitions and uses.  gidx: register -> its global number, or -1;
     * gvreg: global number -> register. */
    int *gidx = malloc((nv + 1) * sizeof(int));
    int *gvreg = malloc((nv + 1) * sizeof(int));
    int *home = malloc((nv + 1) * sizeof(int));
    if (!order || !first || !iv || !locs || !gidx || !gvreg || !home) {
        fail(err, err_size, "out of memory");
        goto done;
    }
    for (int v = 0; v < nv; v++) {
        home[v] = -1;
        gidx[v] = -1;
    }
    for (int bi = 0; bi < nb; bi++) {
        const JitLirBlock *b = &lir->blocks[bi];
        for (int ii = 0; ii < b->count; ii++) {
            const JitLirInstr *in = &b->instrs[ii];
            FOR_EACH_USE(in, {
                if (home[use] != bi) {
                    gidx[use] = -2;     /* used before a definition here,
                                           or outside its block */
                }
            });
            if (in->d >= 0) {
                if (home[in->d] == -1) {
                    home[in->d] = bi;
                }
                else if (home[in->d] != bi) {
                    gidx[in->d] = -2;   /* defined in several blocks */
                }
            }
        }
    }
    int nglobal = 0;
    for (int v = 0; v < nv; v++) {
        if (gidx[v] == -2) {
            gvreg[nglobal] = v;
            gidx[v] = nglobal++;
        }
    }
    int norder = block_order(lir, order);
    if (norder < 0) {
        fail(err, err_size, "out of memory");
        goto done;
    }
    int ninstr = 0, ncalls = 0;
    for (int bi = 0; bi < nb; bi++) {
        first[bi] = -1;     /* unreachable */
    }
    for (int oi = 0; oi < norder; oi++) {
        first[order[oi]] = ninstr;
        ninstr += lir->blocks[order[oi]].count;
    }

    /* 2. liveness: the edges, definitions and upward-exposed uses that
     * live_ranges() walks (the walk itself is in step 3). */
    if (liveness_prepare(lir, order, norder, gidx, nglobal, &lv) < 0) {
        fail(err, err_size, "out of memory");
        goto done;
    }

    /* 3. intervals */
    for (int v = 0; v < nv; v++) {
        iv[v].start = INT_MAX;
        iv[v].end = -1;
        iv[v].crosses_call = 0;
        iv[v].uses = 0;
    }
#define EXTEND(v, pos) do { \
        int _v = (v), _p = (pos); \
        if (_p < iv[_v].start) iv[_v].start = _p; \
        if (_p > iv[_v].end) iv[_v].end = _p; \
    } while (0)
    calls = malloc((ninstr + 1) * sizeof(int));
    if (calls == NULL) {
        fail(err, err_size, "out of memory");
        goto done;
    }
    for (int oi = 0; oi < norder; oi++) {
        int bi = order[oi];
        JitLirBlock *b = &lir->blocks[bi];
        for (int ii = 0; ii < b->count; ii++) {
            const JitLirInstr *in = &b->instrs[ii];
            int pos = 2 * (first[bi] + ii);
            FOR_EACH_USE(in, { EXTEND(use, pos); iv[use].uses++; });
            if (in->d >= 0) {
                EXTEND(in->d, pos + 1);
                iv[in->d].uses++;
            }
            if (in->op == JitLirOp_Call) {
                calls[ncalls++] = pos;
            }
        }
    }
    /* Where the global registers are live at block edges and overflow
     * exits. */
    for (int g = 0; g < nglobal; g++) {
        live_ranges(lir, first, &lv, g, gvreg[g], iv);
    }
    /* Work: the sweeps over the instructions (the check, global registers,
     * liveness set-up, intervals, Decref sets) and over the registers. */
    lir->work += 5 * (long long)ninstr + 3 * (long long)nv;
#undef EXTEND
    /* An interval contains a call at position p when it starts no later
     * than p (it is read by the call or live before it) and is needed
     * after p + 1 (the call's own result starts at p + 1). */
    for (int v = 0; v < nv; v++) {
        if (iv[v].start == INT_MAX) {
            continue;
        }
        int lo = 0, hi = ncalls;    /* first call with pos >= start */
        while (lo < hi) {
            int mid = (lo + hi) / 2;
            if (calls[mid] >= iv[v].start) hi = mid; else lo = mid + 1;
        }
        if (lo < ncalls && calls[lo] + 1 < iv[v].end) {
            iv[v].crosses_call = 1;
        }
    }

    /* 4. linear scan */
    sorted = malloc((nv + 1) * sizeof(StartKey));
    slot_end = malloc((nv + 1) * sizeof(int));
    /* The spill slots' ends in a min-tree over slot numbers, so that the
     * lowest-numbered slot free at a position (its end before it) is
     * found in log(slots) steps.  Slots not used yet count as ended at
     * -1: free, after every used one. */
    while (tree_cap < nv + 1) {
        tree_cap *= 2;
    }
    slot_tree = malloc(2 * (size_t)tree_cap * sizeof(int));
    if (sorted == NULL || slot_end == NULL || slot_tree == NULL) {
        fail(err, err_size, "out of memory");
        goto done;
    }
    int nsorted = 0;
    for (int v = 0; v < nv; v++) {
        if (iv[v].start != INT_MAX) {
            sorted[nsorted].start = iv[v].start;
            sorted[nsorted++].vreg = v;
        }
    }
    qsort(sorted, nsorted, sizeof(StartKey), cmp_start);
    for (int k = 0; k < 2 * tree_cap; k++) {
        slot_tree[k] = -1;
    }
    int owner[16];
    for (int r = 0; r < 16; r++) {
        owner[r] = -1;
    }
    int nslots = 0;
    uint32_t used = 0;
    lir->work += nsorted;
    for (int si = 0; si < nsorted; si++) {
        int v = sorted[si].vreg;
        for (int r = 0; r < 16; r++) {
            if (owner[r] >= 0 && iv[owner[r]].end < iv[v].start) {
                owner[r] = -1;
            }
        }
        int cand[13], nc = 0;
        if (!iv[v].crosses_call) {
            for (size_t k = 0; k < sizeof(caller_order) / sizeof(int); k++) {
                cand[nc++] = caller_order[k];
            }
        }
        for (size_t k = 0; k < sizeof(callee_order) / sizeof(int); k++) {
            cand[nc++] = callee_order[k];
        }
        int reg = -1;
        for (int k = 0; k < nc && reg < 0; k++) {
            if (owner[cand[k]] < 0) {
                reg = cand[k];
            }
        }
        int spill = -1;
        if (reg < 0) {
            /* Spill the interval with the fewest uses per position (the
             * cheapest to keep in memory): a value used all over a long
             * function, such as the frame pointer, stays in a register
             * even though its interval ends last. */
            int best = -1;
            double best_density = 0;
            for (int k = 0; k < nc; k++) {
                int o = owner[cand[k]];
                double d = (double)iv[o].uses / (iv[o].end - iv[o].start + 1);
                if (best < 0 || d < best_density) {
                    best = cand[k];
                    best_density = d;
                }
            }
            double dv = (double)iv[v].uses / (iv[v].end - iv[v].start + 1);
            if (best_density < dv) {
                spill = owner[best];
                reg = best;
            }
            else {
                spill = v;
            }
        }
        if (reg >= 0) {
            owner[reg] = v;
            locs[v].kind = JitLirLoc_REG;
            locs[v].reg = (uint8_t)reg;
            used |= 1u << reg;
        }
        if (spill >= 0) {
            /* The lowest-numbered slot whose interval ended before this
             * one starts, or a new one. */
            int node = 1;
            while (node < tree_cap) {
                lir->work++;
                node = slot_tree[2 * node] < iv[spill].start ? 2 * node
                                                             : 2 * node + 1;
            }
            int s = node - tree_cap;
            if (s == nslots) {
                slot_end[nslots++] = -1;
            }
            if (iv[spill].end > slot_end[s]) {
                slot_end[s] = iv[spill].end;
                for (node = tree_cap + s, slot_tree[node] = slot_end[s];
                     node > 1; node /= 2) {
                    int l = slot_tree[node & ~1], r = slot_tree[node | 1];
                    slot_tree[node / 2] = l < r ? l : r;
                }
            }
            locs[spill].kind = JitLirLoc_STACK;
            locs[spill].reg = 0;
            locs[spill].slot = s;
        }
    }
    /* A register given to an interval that was spilled later keeps its bit
     * in used: harmless (at worst one callee-saved register saved for
     * nothing); recompute exactly instead. */
    used = 0;
    for (int v = 0; v < nv; v++) {
        if (locs[v].kind == JitLirLoc_REG) {
            used |= 1u << locs[v].reg;
        }
    }

    /* 5. caller-saved registers live across each Decref/XDecref: one sweep
     * in position order over the intervals in caller-saved registers
     * (sorted by start); those live at a position share no register, so
     * at most 16 are active. */
    int ncs = 0;
    for (int si = 0; si < nsorted; si++) {
        int v = sorted[si].vreg;
        if (locs[v].kind == JitLirLoc_REG
            && (JIT_LIR_CALLER_SAVED & (1u << locs[v].reg))) {
            sorted[ncs++].vreg = v;     /* still in start order */
        }
    }
    int next_cs = 0, active[16], nactive = 0;
    for (int oi = 0; oi < norder; oi++) {
        int bi = order[oi];
        JitLirBlock *b = &lir->blocks[bi];
        for (int ii = 0; ii < b->count; ii++) {
            JitLirInstr *in = &b->instrs[ii];
            in->live_caller_saved = 0;
            if (in->op != JitLirOp_Decref && in->op != JitLirOp_XDecref) {
                continue;
            }
            int pos = 2 * (first[bi] + ii);
            int kept = 0;
            for (int k = 0; k < nactive; k++) {
                if (iv[active[k]].end > pos + 1) {
                    active[kept++] = active[k];
                }
            }
            nactive = kept;
            while (next_cs < ncs && iv[sorted[next_cs].vreg].start <= pos) {
                int v = sorted[next_cs++].vreg;
                if (iv[v].end > pos + 1 && nactive < 16) {
                    active[nactive++] = v;
                }
            }
            uint32_t mask = 0;
            for (int k = 0; k < nactive; k++) {
                mask |= 1u << locs[active[k]].reg;
            }
            in->live_caller_saved = mask;
        }
    }

    free(lir->locs);
    free(lir->order);
    lir->locs = locs;
    locs = NULL;
    lir->order = order;
    order = NULL;
    lir->norder = norder;
    lir->nslots = nslots;
    lir->used_regs = used;
    lir->allocated = 1;
    rc = 0;
done:
    free(order); free(first); liveness_free(&lv);
    free(iv); free(calls); free(sorted); free(slot_end); free(slot_tree);
    free(locs);
    free(gidx); free(gvreg); free(home);
    return rc;
}
