/* Pass: guards already proven.  Within a block, a guard is removed when an
 * earlier one proved the same fact about the same value (GuardType,
 * GuardNotNull), and a GuardNotNull is removed when its value comes from
 * an instruction that never produces NULL (a checked helper result, a
 * constant other than NULL, a guarded load).
 *
 * Data: the facts seen in the current block (a small list).
 */
#include "Python.h"
#include "hir.h"
#include "helpers.h"

typedef struct {
    JitHirOp op;
    int value;
    int64_t imm;
} Fact;

#define MAX_FACTS 256

static int
never_null(JitHir *hir, int v)
{
    JitHirInstr *d = hir->values[v];
    switch (d->op) {
    case JitHir_Const:
        return d->imm != 0;
    case JitHir_CallHelper:
        return JitHelpers[d->imm].kind == JitHelper_OBJ;
    case JitHir_BoolFromRaw:
        return 1;
    default:
        return 0;
    }
}

void
JitPass_Guards(JitHir *hir)
{
    Fact facts[MAX_FACTS];
    for (int b = 0; b < hir->nblocks; b++) {
        JitHirBlock *bl = &hir->blocks[b];
        int nfacts = 0;
        for (int i = 0; i < bl->ninstrs; i++) {
            JitHirInstr *in = bl->instrs[i];
            if (in->dead) {
                continue;
            }
            if (in->op != JitHir_GuardType && in->op != JitHir_GuardNotNull) {
                continue;
            }
            int v = in->args[0];
            if (in->op == JitHir_GuardNotNull && never_null(hir, v)) {
                in->dead = 1;
                continue;
            }
            int seen = 0;
            hir->work += 1 + nfacts;
            for (int f = 0; f < nfacts; f++) {
                if (facts[f].value == v && facts[f].op == in->op
                    && facts[f].imm == in->imm) {
                    seen = 1;
                    break;
                }
            }
            if (seen) {
                in->dead = 1;
            }
            else if (nfacts < MAX_FACTS) {
                facts[nfacts].op = in->op;
                facts[nfacts].value = v;
                facts[nfacts].imm = in->imm;
                nfacts++;
            }
        }
    }
}
