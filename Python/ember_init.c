/* Ember's start-up step and its boolean -X options.
 *
 * Owns the parsing of `-X NAME`, `-X NAME=1`, `-X NAME=0` and the matching
 * PYTHONxxx environment variable, shared by every on/off option of Ember,
 * and _PyEmber_InitMain(), which patch 0003-immortalize-heap calls from
 * Python/pylifecycle.c once the main interpreter has imported site.  The
 * JIT's options, which take values, are parsed in Jit/options.c.
 */
#include "Python.h"
#include "pycore_initconfig.h"    // _PyStatus_OK()
#include "pycore_pystate.h"       // _Py_IsMainInterpreter()
#include "internal/ember_init.h"
#include "internal/ember_heap.h"
#include "internal/ember_eager.h"
#include "internal/ember_jit_runtime.h"

int
_PyEmber_BoolOption(const PyConfig *config, const wchar_t *name,
                    const char *envvar)
{
    size_t len = wcslen(name);
    int requested = -2;
    for (Py_ssize_t i = 0; i < config->xoptions.length; i++) {
        const wchar_t *opt = config->xoptions.items[i];
        if (wcsncmp(opt, name, len) != 0
            || (opt[len] != L'\0' && opt[len] != L'=')) {
            continue;
        }
        if (opt[len] == L'\0' || wcscmp(opt + len, L"=1") == 0) {
            requested = 1;
        }
        else if (wcscmp(opt + len, L"=0") == 0) {
            requested = 0;
        }
        else {
            fprintf(stderr, "Invalid -X %ls: expected -X %ls, "
                    "-X %ls=1 or -X %ls=0\n", opt, name, name, name);
            return -1;
        }
    }
    if (requested != -2) {
        return requested;
    }
    if (!config->use_environment) {
        return 0;
    }
    const char *env = getenv(envvar);
    if (env == NULL || strcmp(env, "") == 0 || strcmp(env, "0") == 0) {
        return 0;
    }
    if (strcmp(env, "1") == 0) {
        return 1;
    }
    fprintf(stderr, "Invalid %s=%s: expected 1 or 0\n", envvar, env);
    return -1;
}

PyStatus
_PyEmber_InitMain(PyThreadState *tstate)
{
    if (!_Py_IsMainInterpreter(tstate->interp)) {
        return _PyStatus_OK();
    }
    const PyConfig *config = _PyInterpreterState_GetConfig(tstate->interp);
    if (_PyEmber_EagerCoroInit(config) < 0) {
        return _PyStatus_EXIT(2);
    }
    if (_PyJit_InitOptions(config) < 0) {   /* -X jit* (Jit/options.c) */
        return _PyStatus_EXIT(2);
    }
    int immortalize = _PyEmber_BoolOption(config, L"immortalize-heap",
                                          "PYTHONIMMORTALIZEHEAP");
    if (immortalize < 0) {
        return _PyStatus_EXIT(2);
    }
    if (immortalize && _PyEmber_ImmortalizeHeap(tstate) < 0) {
        return _PyStatus_ERR("-X immortalize-heap failed");
    }
    return _PyStatus_OK();
}
