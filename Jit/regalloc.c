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
 *  2. Liveness by iterative backward dataflow over bit sets until nothing
 *     changes.  Registers are not SSA: a Move into an existing register is
 *     simply another definition.  An overflow edge leaves from the middle
 *     of a block, so the transfer function walks instructions backward and
 *     adds the overflow target's live-in set at the instruction itself.
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
 *     With none free, the interval that ends last among the holders of a
 *     register it could take, or the new one itself, is spilled to an
 *     8-byte stack slot for its whole life; slots are reused once their
 *     interval has ended.  r10 and r11 are never allocated: the emitter's
 *     scratch registers.
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

typedef uint64_t Word;
#define WORD_BITS 64

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

static inline void
set_bit(Word *s, int i)
{
    s[i / WORD_BITS] |= (Word)1 << (i % WORD_BITS);
}

static inline void
clear_bit(Word *s, int i)
{
    s[i / WORD_BITS] &= ~((Word)1 << (i % WORD_BITS));
}

/* Run BODY with var set to each member of the bit set s. */
#define FOR_EACH_BIT(s, nwords, var, BODY) do { \
        for (int _w = 0; _w < (nwords); _w++) { \
            Word _bits = (s)[_w]; \
            while (_bits) { \
                int var = _w * WORD_BITS + __builtin_ctzll(_bits); \
                _bits &= _bits - 1; \
                BODY; \
            } \
        } \
    } while (0)

typedef struct {
    int start, end;     /* positions; start INT_MAX: no interval */
    int crosses_call;
    int uses;           /* reads and writes, the spill cost */
} Interval;

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
    int *order = malloc(nb * sizeof(int));
    int *first = malloc(nb * sizeof(int));      /* first instr index */
    Word *live_in = NULL, *live_out = NULL, *live = NULL;
    Interval *iv = malloc((nv + 1) * sizeof(Interval));
    int *calls = NULL, *slot_end = NULL;
    StartKey *sorted = NULL;
    JitLirLoc *locs = calloc(nv + 1, sizeof(JitLirLoc));
    /* Liveness sets hold only the registers that can be live at a block's
     * edge ("global"): the others are defined before any use in one block
     * and used only there.  gidx: register -> its bit, or -1; gvreg: bit ->
     * register.  (Most registers are local: sets of all of them, blocks x
     * registers bits, were most of a large function's compile memory.) */
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
    int words = nglobal / WORD_BITS + 1;
    live_in = calloc((size_t)nb * words, sizeof(Word));
    live_out = calloc((size_t)nb * words, sizeof(Word));
    live = calloc(words, sizeof(Word));
    if (!live_in || !live_out || !live) {
        fail(err, err_size, "out of memory");
        goto done;
    }
    int norder = block_order(lir, order);
    if (norder < 0) {
        fail(err, err_size, "out of memory");
        goto done;
    }

    /* 2. liveness */
    for (int changed = 1; changed;) {
        changed = 0;
        for (int oi = norder - 1; oi >= 0; oi--) {
            int bi = order[oi];
            JitLirBlock *b = &lir->blocks[bi];
            Word *out = &live_out[(size_t)bi * words];
            int succ[2 + 1];
            const JitLirInstr *term = &b->instrs[b->count - 1];
            int ns = 0;
            if (term->op == JitLirOp_Jump) {
                succ[ns++] = term->target;
            }
            else if (term->op == JitLirOp_Branch) {
                succ[ns++] = term->target;
                succ[ns++] = term->target2;
            }
            memset(live, 0, words * sizeof(Word));
            for (int s = 0; s < ns; s++) {
                const Word *sin = &live_in[(size_t)succ[s] * words];
                for (int w = 0; w < words; w++) {
                    live[w] |= sin[w];
                }
            }
            memcpy(out, live, words * sizeof(Word));
            for (int ii = b->count - 1; ii >= 0; ii--) {
                const JitLirInstr *in = &b->instrs[ii];
                if (is_ovf(in->op)) {
                    const Word *tin = &live_in[(size_t)in->target * words];
                    for (int w = 0; w < words; w++) {
                        live[w] |= tin[w];
                    }
                }
                if (in->d >= 0 && gidx[in->d] >= 0) {
                    clear_bit(live, gidx[in->d]);
                }
                FOR_EACH_USE(in, {
                    if (gidx[use] >= 0) {
                        set_bit(live, gidx[use]);
                    }
                });
            }
            Word *bin = &live_in[(size_t)bi * words];
            if (memcmp(bin, live, words * sizeof(Word)) != 0) {
                memcpy(bin, live, words * sizeof(Word));
                changed = 1;
            }
        }
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
    int ninstr = 0, ncalls = 0;
    for (int oi = 0; oi < norder; oi++) {
        first[order[oi]] = ninstr;
        ninstr += lir->blocks[order[oi]].count;
    }
    calls = malloc((ninstr + 1) * sizeof(int));
    if (calls == NULL) {
        fail(err, err_size, "out of memory");
        goto done;
    }
    for (int oi = 0; oi < norder; oi++) {
        int bi = order[oi];
        JitLirBlock *b = &lir->blocks[bi];
        int bstart = 2 * first[bi], bend = 2 * (first[bi] + b->count - 1) + 1;
        const Word *bin = &live_in[(size_t)bi * words];
        const Word *bout = &live_out[(size_t)bi * words];
        FOR_EACH_BIT(bin, words, g, EXTEND(gvreg[g], bstart));
        FOR_EACH_BIT(bout, words, g, EXTEND(gvreg[g], bend));
        for (int ii = 0; ii < b->count; ii++) {
            const JitLirInstr *in = &b->instrs[ii];
            int pos = 2 * (first[bi] + ii);
            FOR_EACH_USE(in, { EXTEND(use, pos); iv[use].uses++; });
            if (in->d >= 0) {
                EXTEND(in->d, pos + 1);
                iv[in->d].uses++;
            }
            if (is_ovf(in->op)) {
                const Word *tin = &live_in[(size_t)in->target * words];
                FOR_EACH_BIT(tin, words, g, EXTEND(gvreg[g], pos + 1));
            }
            if (in->op == JitLirOp_Call) {
                calls[ncalls++] = pos;
            }
        }
    }
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
    if (sorted == NULL || slot_end == NULL) {
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
    int owner[16];
    for (int r = 0; r < 16; r++) {
        owner[r] = -1;
    }
    int nslots = 0;
    uint32_t used = 0;
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
            int s = 0;
            while (s < nslots && slot_end[s] >= iv[spill].start) {
                s++;
            }
            if (s == nslots) {
                slot_end[nslots++] = -1;
            }
            if (iv[spill].end > slot_end[s]) {
                slot_end[s] = iv[spill].end;
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
    free(order); free(first); free(live_in); free(live_out); free(live);
    free(iv); free(calls); free(sorted); free(slot_end); free(locs);
    free(gidx); free(gvreg); free(home);
    return rc;
}
