/* Pass: redundant loads of locals.  Within a block, a LoadLocal of a local
 * whose value is known (stored or loaded earlier in the block) is replaced
 * by that value.  Only compiled code itself writes the frame's locals
 * while it runs (tracing makes it deoptimize first), so nothing between
 * invalidates what a block has seen.
 *
 * Loads are replaced through a replacement map, applied to the whole
 * function once at the end (JitHir_ApplyReplacements).
 *
 * Data: the known value per local, for one block at a time, and the
 * replacement map, for one run.
 */
#include "Python.h"
#include "hir.h"

void
JitPass_Locals(JitHir *hir)
{
    int nlocals = hir->code->co_nlocalsplus;
    /* known[l] holds for block b only if known_in[l] == b: no clearing
     * per block (which would cost locals x blocks). */
    int *known = PyMem_RawMalloc((nlocals + 1) * sizeof(int));
    int *known_in = PyMem_RawMalloc((nlocals + 1) * sizeof(int));
    int *repl = JitHir_NewReplacements(hir);
    if (known == NULL || known_in == NULL || repl == NULL) {
        PyMem_RawFree(known);
        PyMem_RawFree(known_in);
        PyMem_RawFree(repl);
        return;     /* an optimization: skipping it is safe */
    }
    for (int l = 0; l < nlocals; l++) {
        known_in[l] = -1;
    }
    for (int b = 0; b < hir->nblocks; b++) {
        JitHirBlock *bl = &hir->blocks[b];
        hir->work += bl->ninstrs;
        for (int i = 0; i < bl->ninstrs; i++) {
            JitHirInstr *in = bl->instrs[i];
            if (in->dead) {
                continue;
            }
            if (in->op == JitHir_StoreLocal) {
                known[in->imm] = JitHir_Resolve(repl, in->args[0]);
                known_in[in->imm] = b;
            }
            else if (in->op == JitHir_LoadLocal) {
                if (known_in[in->imm] == b) {
                    in->dead = 1;
                    repl[in->value] = known[in->imm];
                }
                else {
                    known[in->imm] = in->value;
                    known_in[in->imm] = b;
                }
            }
        }
    }
    JitHir_ApplyReplacements(hir, repl);
    PyMem_RawFree(repl);
    PyMem_RawFree(known_in);
    PyMem_RawFree(known);
}
