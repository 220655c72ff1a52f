/* Pass: dead code elimination.  Instructions without side effects whose
 * value nothing uses (no instruction argument, phi input or frame state)
 * are removed, and so, through a worklist, are the pure values that only
 * they used: chains of dead values go too, in one pass over the function
 * (the uses are counted once, then decremented as users die).
 *
 * Data: a use count per value (JitHir_CountUses) and the worklist, for
 * one run.
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

static int
removable(const JitHirInstr *in, const int *uses, int v)
{
    return !in->dead && uses[v] == 0 && is_pure(in->op)
           && in->op != JitHir_Param;
}

void
JitPass_Dce(JitHir *hir)
{
    int *uses = PyMem_RawMalloc((hir->nvalues + 1) * sizeof(int));
    int *work = PyMem_RawMalloc((hir->nvalues + 1) * sizeof(int));
    if (uses == NULL || work == NULL) {
        PyMem_RawFree(uses);
        PyMem_RawFree(work);
        return;     /* an optimization: skipping it is safe */
    }
    JitHir_CountUses(hir, uses);
    int nwork = 0;
    hir->work += hir->nvalues;
    for (int v = 0; v < hir->nvalues; v++) {
        if (removable(hir->values[v], uses, v)) {
            hir->values[v]->dead = 1;
            work[nwork++] = v;
        }
    }
    /* A dead value's own uses go; a value left without uses dies too. */
    while (nwork > 0) {
        JitHirInstr *in = hir->values[work[--nwork]];
        hir->work++;
        for (int a = 0; a < in->nargs; a++) {
            int u = in->args[a];
            if (--uses[u] == 0 && removable(hir->values[u], uses, u)) {
                hir->values[u]->dead = 1;
                work[nwork++] = u;
            }
        }
        for (int p = 0; p < in->nphi_in; p++) {
            int u = in->phi_in[p].value;
            if (u == in->value) {
                continue;
            }
            if (--uses[u] == 0 && removable(hir->values[u], uses, u)) {
                hir->values[u]->dead = 1;
                work[nwork++] = u;
            }
        }
        for (int s = 0; in->fs != NULL && s < in->fs->depth; s++) {
            int u = in->fs->stack[s];
            if (--uses[u] == 0 && removable(hir->values[u], uses, u)) {
                hir->values[u]->dead = 1;
                work[nwork++] = u;
            }
        }
    }
    PyMem_RawFree(work);
    PyMem_RawFree(uses);
}
