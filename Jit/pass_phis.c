/* Pass: remove trivial phis, those whose inputs are all one value (or the
 * phi itself, around a loop), replacing their uses by that value.  Phis
 * are made for every stack slot at every join, so most are trivial (an
 * iterator that stays on the stack around a loop).
 *
 * Data: none beyond the JitHir it rewrites.
 */
#include "Python.h"
#include "hir.h"

void
JitPass_Phis(JitHir *hir)
{
    int changed = 1;
    while (changed) {
        changed = 0;
        for (int b = 0; b < hir->nblocks; b++) {
            JitHirBlock *bl = &hir->blocks[b];
            for (int i = 0; i < bl->ninstrs; i++) {
                JitHirInstr *in = bl->instrs[i];
                if (in->op != JitHir_Phi || in->dead) {
                    continue;
                }
                int same = -1, trivial = 1;
                for (int p = 0; p < in->nphi_in; p++) {
                    int v = in->phi_in[p].value;
                    if (v == in->value || v == same) {
                        continue;
                    }
                    if (same >= 0) {
                        trivial = 0;
                        break;
                    }
                    same = v;
                }
                if (trivial && same >= 0) {
                    in->dead = 1;
                    JitHir_ReplaceUses(hir, in->value, same);
                    changed = 1;
                }
            }
        }
    }
}
