/* The HIR verifier (JitHir_Verify): checks that a JitHir is well formed,
 * so that a builder or pass bug shows as a message naming the block and
 * the instruction instead of wrong machine code.  Run after the builder and
 * after every pass by the tests (_ember._jit_hir_text), by the differential
 * fuzzer, and in normal runs under -X jit-verify-hir (Jit/passes.c).
 *
 * What it checks, over the live (not dead) instructions:
 *   - every block that has live instructions ends with exactly one
 *     terminator (Branch, Jump, Return, Deopt) and has none before it;
 *     phis come first; branch targets name existing blocks, and every
 *     block reachable from block 0 has live instructions;
 *   - every argument is a value defined by a live instruction that has a
 *     result, and that definition dominates the use (an earlier instruction
 *     of the same block, or a block that dominates it);
 *   - a phi's inputs name each reachable predecessor of its block exactly
 *     once, each input's definition dominating that predecessor (inputs
 *     from unreachable predecessors, dead code the builder left, are
 *     allowed but must be predecessors); a block with phis is entered only by Jumps (the lowering
 *     moves phi inputs at Jumps only);
 *   - every op that may fail or deoptimize carries a frame state; its stack
 *     entries are values that dominate the instruction, its depth is within
 *     the code's co_stacksize, and it consumes no more than its depth.
 *
 * Data: owns only scratch arrays (positions of definitions, predecessor
 * counts, the dominator tree), malloc'ed and freed within one call.
 */
#include "Python.h"
#include "hir.h"
#include "helpers.h"

#include <stdarg.h>

typedef struct {
    const JitHir *hir;
    int *def_block, *def_index;     /* per value: where it is defined */
    int *reach;                     /* per block: reachable from block 0 */
    int *rpo_num;                   /* per block: reverse postorder number */
    int *idom;                      /* per block: immediate dominator */
    int *npred;                     /* per block: reachable predecessors */
    char *err;
    size_t err_size;
} Verify;

static int
fail(Verify *v, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(v->err, v->err_size, fmt, ap);
    va_end(ap);
    return -1;
}

static int
is_terminator(JitHirOp op)
{
    return op == JitHir_Branch || op == JitHir_Jump || op == JitHir_Return
           || op == JitHir_Deopt;
}

/* The live terminator of block b, or NULL. */
static const JitHirInstr *
terminator(const JitHir *hir, int b)
{
    const JitHirBlock *bl = &hir->blocks[b];
    for (int i = bl->ninstrs - 1; i >= 0; i--) {
        if (!bl->instrs[i]->dead) {
            return is_terminator(bl->instrs[i]->op) ? bl->instrs[i] : NULL;
        }
    }
    return NULL;
}

static int
successors(const JitHirInstr *t, int succ[2])
{
    if (t == NULL) {
        return 0;
    }
    switch (t->op) {
    case JitHir_Branch:
        succ[0] = t->target;
        succ[1] = t->target2;
        return 2;
    case JitHir_Jump:
        succ[0] = t->target;
        return 1;
    default:
        return 0;
    }
}

/* Block shape: one terminator, last; phis first; targets in range;
 * arguments name live values with results. */
static int
check_blocks(Verify *v)
{
    const JitHir *hir = v->hir;
    for (int b = 0; b < hir->nblocks; b++) {
        const JitHirBlock *bl = &hir->blocks[b];
        int seen_term = 0, seen_nonphi = 0;
        for (int i = 0; i < bl->ninstrs; i++) {
            const JitHirInstr *in = bl->instrs[i];
            if (in->dead) {
                continue;
            }
            const char *name = JitHir_OpNames[in->op];
            if (seen_term) {
                return fail(v, "bb%d: %s after the block's terminator", b, name);
            }
            if (in->op == JitHir_Phi) {
                if (seen_nonphi) {
                    return fail(v, "bb%d: Phi v%d after a non-phi instruction",
                                b, in->value);
                }
            }
            else {
                seen_nonphi = 1;
            }
            seen_term = is_terminator(in->op);
            if (in->op == JitHir_Branch || in->op == JitHir_Jump) {
                if (in->target < 0 || in->target >= hir->nblocks
                    || (in->op == JitHir_Branch
                        && (in->target2 < 0 || in->target2 >= hir->nblocks))) {
                    return fail(v, "bb%d: %s to a block that does not exist",
                                b, name);
                }
            }
            if (JitHir_OpHasResult[in->op]) {
                if (in->value < 0 || in->value >= hir->nvalues
                    || hir->values[in->value] != in) {
                    return fail(v, "bb%d: %s defines a value not numbered as "
                                "its own", b, name);
                }
            }
            if (JitHir_OpHasFrameState[in->op] && in->fs == NULL
                && !(in->op == JitHir_CallHelper && in->imm >= 0
                     && in->imm < JitH_COUNT
                     && JitHelpers[in->imm].kind == JitHelper_NONE)) {
                return fail(v, "bb%d: %s without a frame state", b, name);
            }
            for (int a = 0; a < in->nargs; a++) {
                int x = in->args[a];
                if (x < 0 || x >= hir->nvalues || hir->values[x] == NULL
                    || hir->values[x]->dead
                    || !JitHir_OpHasResult[hir->values[x]->op]) {
                    return fail(v, "bb%d: %s uses v%d, which no live "
                                "instruction defines", b, name, x);
                }
            }
        }
    }
    return 0;
}

/* Reachability from block 0 and a reverse postorder, without recursion. */
static int
order_blocks(Verify *v, int *rpo, int *nrpo)
{
    const JitHir *hir = v->hir;
    int n = hir->nblocks;
    int *stack = PyMem_RawMalloc(sizeof(int) * (n + 1));
    int *next_succ = PyMem_RawCalloc(n + 1, sizeof(int));
    if (stack == NULL || next_succ == NULL) {
        PyMem_RawFree(stack);
        PyMem_RawFree(next_succ);
        return fail(v, "out of memory");
    }
    int sp = 0, post = 0;
    int *postorder = rpo;           /* filled in postorder, then reversed */
    if (n > 0) {
        stack[sp++] = 0;
        v->reach[0] = 1;
    }
    while (sp > 0) {
        int b = stack[sp - 1];
        int succ[2] = {-1, -1};
        int ns = successors(terminator(hir, b), succ);
        if (next_succ[b] < ns) {
            int s = succ[next_succ[b]++];
            if (!v->reach[s]) {
                v->reach[s] = 1;
                stack[sp++] = s;
            }
            continue;
        }
        sp--;
        postorder[post++] = b;
    }
    for (int i = 0; i < post / 2; i++) {
        int t = postorder[i];
        postorder[i] = postorder[post - 1 - i];
        postorder[post - 1 - i] = t;
    }
    for (int i = 0; i < post; i++) {
        v->rpo_num[rpo[i]] = i;
    }
    *nrpo = post;
    PyMem_RawFree(stack);
    PyMem_RawFree(next_succ);
    return 0;
}

static int
intersect(const Verify *v, int a, int b)
{
    while (a != b) {
        while (v->rpo_num[a] > v->rpo_num[b]) {
            a = v->idom[a];
        }
        while (v->rpo_num[b] > v->rpo_num[a]) {
            b = v->idom[b];
        }
    }
    return a;
}

/* Immediate dominators by the iterative algorithm of Cooper, Harvey and
 * Kennedy over the reverse postorder (predecessors found from the
 * terminators of the reachable blocks). */
static int
dominators(Verify *v, const int *rpo, int nrpo)
{
    const JitHir *hir = v->hir;
    for (int b = 0; b < hir->nblocks; b++) {
        v->idom[b] = -1;
    }
    if (nrpo == 0) {
        return 0;
    }
    v->idom[rpo[0]] = rpo[0];
    int changed = 1;
    while (changed) {
        changed = 0;
        /* Walk each reachable block's successors: b is a predecessor. */
        for (int i = 0; i < nrpo; i++) {
            int b = rpo[i];
            if (v->idom[b] < 0) {
                continue;
            }
            int succ[2] = {-1, -1};
            int ns = successors(terminator(hir, b), succ);
            for (int k = 0; k < ns; k++) {
                int s = succ[k];
                if (s == rpo[0]) {
                    continue;
                }
                int nd = v->idom[s] < 0 ? b : intersect(v, b, v->idom[s]);
                if (nd != v->idom[s]) {
                    v->idom[s] = nd;
                    changed = 1;
                }
            }
        }
    }
    return 0;
}

static int
dominates(const Verify *v, int a, int b)
{
    for (;;) {
        if (a == b) {
            return 1;
        }
        int up = v->idom[b];
        if (up == b || up < 0) {
            return 0;
        }
        b = up;
    }
}

/* Is value x available at instruction index i of block b (i = INT_MAX:
 * at the end of b)? */
static int
available(const Verify *v, int x, int b, int i)
{
    int db = v->def_block[x];
    if (db < 0 || !v->reach[db]) {
        return 0;
    }
    if (db == b) {
        return v->def_index[x] < i;
    }
    return dominates(v, db, b);
}

static int
check_phi(Verify *v, int b, const JitHirInstr *in)
{
    const JitHir *hir = v->hir;
    int found = 0;
    for (int p = 0; p < in->nphi_in; p++) {
        int pb = in->phi_in[p].block;
        int x = in->phi_in[p].value;
        if (pb < 0 || pb >= hir->nblocks) {
            return fail(v, "bb%d: Phi v%d has an input from bb%d, which "
                        "does not exist", b, in->value, pb);
        }
        int succ[2] = {-1, -1};
        int ns = successors(terminator(hir, pb), succ);
        int is_pred = 0;
        for (int k = 0; k < ns; k++) {
            is_pred |= succ[k] == b;
        }
        if (!is_pred) {
            return fail(v, "bb%d: Phi v%d has an input from bb%d, which is "
                        "not a predecessor", b, in->value, pb);
        }
        for (int q = 0; q < p; q++) {
            if (in->phi_in[q].block == pb) {
                return fail(v, "bb%d: Phi v%d has two inputs from bb%d",
                            b, in->value, pb);
            }
        }
        if (!v->reach[pb]) {
            continue;       /* dead code that the builder left: no move */
        }
        found++;
        if (x < 0 || x >= hir->nvalues || hir->values[x] == NULL
            || hir->values[x]->dead) {
            return fail(v, "bb%d: Phi v%d's input from bb%d, v%d, is not "
                        "defined", b, in->value, pb, x);
        }
        if (!available(v, x, pb, INT_MAX)) {
            return fail(v, "bb%d: Phi v%d's input v%d does not dominate the "
                        "end of its predecessor bb%d", b, in->value, x, pb);
        }
    }
    if (found != v->npred[b]) {
        return fail(v, "bb%d: Phi v%d has %d inputs for %d predecessors",
                    b, in->value, found, v->npred[b]);
    }
    return 0;
}

static int
check_uses(Verify *v, const int *rpo, int nrpo)
{
    const JitHir *hir = v->hir;
    int stacksize = hir->code->co_stacksize;
    for (int r = 0; r < nrpo; r++) {
        int b = rpo[r];
        const JitHirBlock *bl = &hir->blocks[b];
        int live = 0;
        for (int i = 0; i < bl->ninstrs; i++) {
            const JitHirInstr *in = bl->instrs[i];
            if (in->dead) {
                continue;
            }
            live++;
            const char *name = JitHir_OpNames[in->op];
            if (in->op == JitHir_Phi) {
                if (check_phi(v, b, in) < 0) {
                    return -1;
                }
                continue;
            }
            for (int a = 0; a < in->nargs; a++) {
                if (!available(v, in->args[a], b, i)) {
                    return fail(v, "bb%d: %s uses v%d before its definition "
                                "(or where it does not dominate)", b, name,
                                in->args[a]);
                }
            }
            const JitFrameState *fs = in->fs;
            if (fs == NULL) {
                continue;
            }
            if (fs->depth < 0 || fs->depth > stacksize) {
                return fail(v, "bb%d: %s's frame state holds %d stack entries; "
                            "the code's stack has room for %d", b, name,
                            fs->depth, stacksize);
            }
            if (fs->nconsumed < 0 || fs->nconsumed > fs->depth) {
                return fail(v, "bb%d: %s's frame state consumes %d of %d "
                            "entries", b, name, fs->nconsumed, fs->depth);
            }
            if (fs->resume_at < 0) {
                return fail(v, "bb%d: %s's frame state resumes at %d", b,
                            name, fs->resume_at);
            }
            for (int k = 0; k < fs->depth; k++) {
                int x = fs->stack[k];
                if (x < 0 || x >= hir->nvalues || hir->values[x] == NULL
                    || hir->values[x]->dead || !available(v, x, b, i)) {
                    return fail(v, "bb%d: %s's frame state names v%d (entry "
                                "%d), which is not defined there", b, name,
                                x, k);
                }
            }
        }
        if (live == 0) {
            return fail(v, "bb%d is reachable but empty", b);
        }
        if (terminator(hir, b) == NULL) {
            return fail(v, "bb%d does not end with a terminator", b);
        }
    }
    return 0;
}

int
JitHir_Verify(const JitHir *hir, char *err, size_t err_size)
{
    Verify v = {.hir = hir, .err = err, .err_size = err_size};
    int n = hir->nblocks + 1, nv = hir->nvalues + 1;
    int *rpo = PyMem_RawMalloc(sizeof(int) * n);
    v.def_block = PyMem_RawMalloc(sizeof(int) * nv);
    v.def_index = PyMem_RawMalloc(sizeof(int) * nv);
    v.reach = PyMem_RawCalloc(n, sizeof(int));
    v.rpo_num = PyMem_RawCalloc(n, sizeof(int));
    v.idom = PyMem_RawMalloc(sizeof(int) * n);
    v.npred = PyMem_RawCalloc(n, sizeof(int));
    int rc = -1, nrpo = 0;
    if (rpo == NULL || v.def_block == NULL || v.def_index == NULL
        || v.reach == NULL || v.rpo_num == NULL || v.idom == NULL
        || v.npred == NULL) {
        fail(&v, "out of memory");
        goto done;
    }
    if (check_blocks(&v) < 0 || order_blocks(&v, rpo, &nrpo) < 0
        || dominators(&v, rpo, nrpo) < 0) {
        goto done;
    }
    for (int x = 0; x < hir->nvalues; x++) {
        v.def_block[x] = -1;
    }
    for (int b = 0; b < hir->nblocks; b++) {
        const JitHirBlock *bl = &hir->blocks[b];
        for (int i = 0; i < bl->ninstrs; i++) {
            const JitHirInstr *in = bl->instrs[i];
            if (!in->dead && JitHir_OpHasResult[in->op]) {
                v.def_block[in->value] = b;
                v.def_index[in->value] = i;
            }
        }
    }
    /* Predecessor counts; a block with phis is entered by Jumps only. */
    for (int r = 0; r < nrpo; r++) {
        int succ[2] = {-1, -1};
        const JitHirInstr *t = terminator(hir, rpo[r]);
        int ns = successors(t, succ);
        for (int k = 0; k < ns; k++) {
            if (ns == 2 && succ[0] == succ[1] && k == 1) {
                break;      /* both ways to one block: one predecessor */
            }
            v.npred[succ[k]]++;
            const JitHirBlock *sb = &hir->blocks[succ[k]];
            for (int i = 0; i < sb->ninstrs; i++) {
                if (sb->instrs[i]->dead) {
                    continue;
                }
                if (sb->instrs[i]->op == JitHir_Phi && t->op != JitHir_Jump) {
                    fail(&v, "bb%d has phis but bb%d enters it by a "
                         "Branch (phi inputs are moved at Jumps)",
                         succ[k], rpo[r]);
                    goto done;
                }
                break;
            }
        }
    }
    if (check_uses(&v, rpo, nrpo) < 0) {
        goto done;
    }
    rc = 0;
done:
    PyMem_RawFree(rpo);
    PyMem_RawFree(v.def_block);
    PyMem_RawFree(v.def_index);
    PyMem_RawFree(v.reach);
    PyMem_RawFree(v.rpo_num);
    PyMem_RawFree(v.idom);
    PyMem_RawFree(v.npred);
    return rc;
}
