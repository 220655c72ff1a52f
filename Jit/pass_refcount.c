/* Pass: reference-count pairs.  An Incref of a value followed in the same
 * block by a Decref of the same value, with nothing between them that can
 * run arbitrary code, release a reference or deoptimize (so no frame state
 * records the reference as owned), leaves the count as it was: both go.
 *
 * Data: none beyond the JitHir it rewrites.
 */
#include "Python.h"
#include "hir.h"

static int
harmless(const JitHirInstr *in)
{
    switch (in->op) {
    case JitHir_Const: case JitHir_Imm: case JitHir_LoadLocal:
    case JitHir_LoadField: case JitHir_PtrEq: case JitHir_BoolFromRaw:
    case JitHir_RawCmp: case JitHir_RawBin:
    case JitHir_Incref:
        return in->fs == NULL;
    default:
        return 0;
    }
}

void
JitPass_Refcount(JitHir *hir)
{
    for (int b = 0; b < hir->nblocks; b++) {
        JitHirBlock *bl = &hir->blocks[b];
        hir->work += bl->ninstrs;
        for (int i = 0; i < bl->ninstrs; i++) {
            JitHirInstr *inc = bl->instrs[i];
            if (inc->dead || inc->op != JitHir_Incref) {
                continue;
            }
            for (int j = i + 1; j < bl->ninstrs; j++) {
                JitHirInstr *in = bl->instrs[j];
                hir->work++;
                if (in->dead) {
                    continue;
                }
                if (in->op == JitHir_Decref && in->args[0] == inc->args[0]) {
                    inc->dead = 1;
                    in->dead = 1;
                    break;
                }
                if (!harmless(in)) {
                    break;
                }
            }
        }
    }
}
