/* Pass: redundant loads of locals.  Within a block, a LoadLocal of a local
 * whose value is known (stored or loaded earlier in the block) is replaced
 * by that value.  Only compiled code itself writes the frame's locals
 * while it runs (tracing makes it deoptimize first), so nothing between
 * invalidates what a block has seen.
 *
 * Data: the known value per local, for one block at a time.
 */
#include "Python.h"
#include "hir.h"

void
JitPass_Locals(JitHir *hir)
{
    int nlocals = hir->code->co_nlocalsplus;
    int *known = PyMem_RawMalloc((nlocals + 1) * sizeof(int));
    if (known == NULL) {
        return;
    }
    for (int b = 0; b < hir->nblocks; b++) {
        JitHirBlock *bl = &hir->blocks[b];
        for (int l = 0; l < nlocals; l++) {
            known[l] = -1;
        }
        for (int i = 0; i < bl->ninstrs; i++) {
            JitHirInstr *in = bl->instrs[i];
            if (in->dead) {
                continue;
            }
            if (in->op == JitHir_StoreLocal) {
                known[in->imm] = in->args[0];
            }
            else if (in->op == JitHir_LoadLocal) {
                if (known[in->imm] >= 0) {
                    in->dead = 1;
                    JitHir_ReplaceUses(hir, in->value, known[in->imm]);
                }
                else {
                    known[in->imm] = in->value;
                }
            }
        }
    }
    PyMem_RawFree(known);
}
