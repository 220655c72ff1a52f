/* Pass: dead code elimination.  Instructions without side effects whose
 * value nothing uses (no instruction argument, phi input or frame state)
 * are removed, repeatedly, so chains of dead values go too.
 *
 * Data: a use count per value (JitHir_CountUses), for one run.
 */
#include "Python.h"
#include "hir.h"

static int
is_pure(JitHirOp op)
{
    switch (op) {
    case JitHir_Const: case JitHir_Imm: case JitHir_LoadLocal:
    case JitHir_LoadField: case JitHir_PtrEq: case JitHir_BoolFromRaw:
    case JitHir_RawCmp: case JitHir_RawBin:
    case JitHir_Phi:
        return 1;
    default:
        return 0;
    }
}


void
JitPass_Dce(JitHir *hir)
{
    int *uses = PyMem_RawMalloc((hir->nvalues + 1) * sizeof(int));
    if (uses == NULL) {
        return;     /* an optimization: skipping it is safe */
    }
    int changed = 1;
    while (changed) {
        changed = 0;
        JitHir_CountUses(hir, uses);
        for (int v = 0; v < hir->nvalues; v++) {
            JitHirInstr *in = hir->values[v];
            if (!in->dead && uses[v] == 0 && is_pure(in->op)
                && !(in->op == JitHir_Param)) {
                in->dead = 1;
                changed = 1;
            }
        }
    }
    PyMem_RawFree(uses);
}
