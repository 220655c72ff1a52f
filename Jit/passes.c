/* The HIR pass pipeline: the table of passes (JIT_HIR_PASSES in Jit/hir.h)
 * in the order they run, and the driver that runs them, verifying the HIR
 * (Jit/hir_verify.c) after the builder and after each pass when asked.
 *
 * Data: JitHir_Passes, the table built from JIT_HIR_PASSES (constant).
 */
#include "Python.h"
#include "hir.h"

const JitPassInfo JitHir_Passes[] = {
#define JIT_HIR_PASS_ENTRY(name, func) {#name, func},
    JIT_HIR_PASSES(JIT_HIR_PASS_ENTRY)
#undef JIT_HIR_PASS_ENTRY
    {NULL, NULL}
};

void
JitPass_RunAll(JitHir *hir)
{
    for (const JitPassInfo *p = JitHir_Passes; p->name != NULL; p++) {
        p->run(hir);
    }
}

int
JitPass_RunVerified(JitHir *hir, char *err, size_t err_size)
{
    char msg[200];
    if (JitHir_Verify(hir, msg, sizeof(msg)) < 0) {
        snprintf(err, err_size, "after the builder: %s", msg);
        return -1;
    }
    for (const JitPassInfo *p = JitHir_Passes; p->name != NULL; p++) {
        p->run(hir);
        if (JitHir_Verify(hir, msg, sizeof(msg)) < 0) {
            snprintf(err, err_size, "after pass %s: %s", p->name, msg);
            return -1;
        }
    }
    return 0;
}
