/* Pass: remove trivial phis, those whose inputs are all one value (or the
 * phi itself, around a loop), replacing their uses by that value.  Phis
 * are made for every stack slot at every join, so most are trivial (an
 * iterator that stays on the stack around a loop).
 *
 * The live phis are collected once and swept, in block order, until a
 * sweep removes none (removing one can make others trivial); a phi's
 * inputs are read through the replacements made so far, and the uses are
 * rewritten once at the end (JitHir_ApplyReplacements), so a sweep costs
 * the phis' inputs, not the whole function.
 *
 * Data: the list of phis and the replacement map, for one run.
 */
#include "Python.h"
#include "hir.h"

void
JitPass_Phis(JitHir *hir)
{
    int nphis = 0;
    for (int b = 0; b < hir->nblocks; b++) {
        JitHirBlock *bl = &hir->blocks[b];
        hir->work += bl->ninstrs;
        for (int i = 0; i < bl->ninstrs; i++) {
            nphis += bl->instrs[i]->op == JitHir_Phi && !bl->instrs[i]->dead;
        }
    }
    if (nphis == 0) {
        return;
    }
    JitHirInstr **phis = PyMem_RawMalloc(nphis * sizeof(JitHirInstr *));
    int *repl = JitHir_NewReplacements(hir);
    if (phis == NULL || repl == NULL) {
        PyMem_RawFree(phis);
        PyMem_RawFree(repl);
        return;     /* an optimization: skipping it is safe */
    }
    int n = 0;
    for (int b = 0; b < hir->nblocks; b++) {
        JitHirBlock *bl = &hir->blocks[b];
        for (int i = 0; i < bl->ninstrs; i++) {
            JitHirInstr *in = bl->instrs[i];
            if (in->op == JitHir_Phi && !in->dead) {
                phis[n++] = in;
            }
        }
    }
    int changed = 1;
    while (changed) {
        changed = 0;
        int kept = 0;
        for (int k = 0; k < n; k++) {
            JitHirInstr *in = phis[k];
            int same = -1, trivial = 1;
            for (int p = 0; p < in->nphi_in; p++) {
                hir->work++;
                int v = JitHir_Resolve(repl, in->phi_in[p].value);
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
                repl[in->value] = same;
                changed = 1;
            }
            else {
                phis[kept++] = in;
            }
        }
        n = kept;
    }
    JitHir_ApplyReplacements(hir, repl);
    PyMem_RawFree(repl);
    PyMem_RawFree(phis);
}
