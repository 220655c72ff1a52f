/* The JIT's start-up options: -X jit, -X jit-all, -X jit-auto=N,
 * -X jit-max-size=N, -X jit-list-file=PATH, -X jit-stats,
 * -X jit-dump-{hir,lir,asm,times}[=QUALNAME], -X jit-stress-deopt,
 * -X jit-verify-hir, and the environment variables PYTHONJIT and
 * PYTHONJITLISTFILE (docs/jit.md, "Options").
 *
 * Data owned here: _PyJit_Options (ember_jit.h), _PyJit_Threshold,
 * _PyJit_MaxSize, _PyJit_PrintStats and _PyJit_ListEntries (ember_jit_runtime.h), and the
 * copy of the dump filter that _PyJit_Options.dump_filter points at (raw
 * memory, kept for the life of the process).  All are set once, by
 * _PyJit_InitOptions() from Python/ember_init.c in the main interpreter.
 */
#include "Python.h"
#include "pycore_fileutils.h"     // _Py_wfopen()
#include "internal/ember_jit.h"
#include "internal/ember_jit_runtime.h"

#include <errno.h>
#include <string.h>
#include <wchar.h>
#include <wctype.h>

_PyJitOptions _PyJit_Options = {0, 0, 0, 0, NULL, 0, 0};
Py_ssize_t _PyJit_Threshold = 1000;
Py_ssize_t _PyJit_MaxSize = _PyJit_DEFAULT_MAX_SIZE;
int _PyJit_PrintStats = 0;
PyObject *_PyJit_ListEntries = NULL;

#define DEFAULT_THRESHOLD 1000

/* opt is "NAME" or "NAME=VALUE": the value or NULL, or (wchar_t *)-1 when
   opt is not this option at all. */
static const wchar_t *
option_value(const wchar_t *opt, const wchar_t *name)
{
    size_t len = wcslen(name);
    if (wcsncmp(opt, name, len) != 0) {
        return (const wchar_t *)-1;
    }
    if (opt[len] == L'\0') {
        return NULL;
    }
    if (opt[len] == L'=') {
        return opt + len + 1;
    }
    return (const wchar_t *)-1;
}

#define NOT_THIS(v) ((v) == (const wchar_t *)-1)

static char *
to_utf8(const wchar_t *w)
{
    /* Plain conversion through the locale; fine for qualnames and paths
       given on the command line. */
    size_t n = wcstombs(NULL, w, 0);
    if (n == (size_t)-1) {
        return NULL;
    }
    char *s = PyMem_RawMalloc(n + 1);
    if (s != NULL) {
        wcstombs(s, w, n + 1);
    }
    return s;
}

/* Validate one list-file entry (whitespace already stripped):
   module:qualname, module a dotted name, qualname dotted parts that may
   include <locals> and <lambda>. */
static int
valid_entry(const char *s)
{
    const char *colon = strchr(s, ':');
    if (colon == NULL || colon == s || colon[1] == '\0'
        || strchr(colon + 1, ':') != NULL) {
        return 0;
    }
    for (const char *p = s; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v'
            || c == '\f' || c == '(' || c == ')' || c == ',' || c == '/') {
            return 0;
        }
    }
    /* No empty dotted component on either side. */
    if (s[0] == '.' || colon[-1] == '.' || colon[1] == '.'
        || s[strlen(s) - 1] == '.' || strstr(s, "..") != NULL) {
        return 0;
    }
    return 1;
}

static int
read_list_file(const wchar_t *wpath)
{
    FILE *f = _Py_wfopen(wpath, L"r");
    if (f == NULL) {
        fprintf(stderr, "Invalid -X jit-list-file=%ls: cannot read it: %s\n",
                wpath, strerror(errno));
        return -1;
    }
    PyObject *set = PySet_New(NULL);
    if (set == NULL) {
        fclose(f);
        PyErr_Print();
        return -1;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    long lineno = 0;
    int rc = 0;
    while ((n = getline(&line, &cap, f)) >= 0) {
        lineno++;
        char *hash = strchr(line, '#');
        if (hash != NULL) {
            *hash = '\0';
        }
        char *start = line;
        while (*start == ' ' || *start == '\t') {
            start++;
        }
        char *end = start + strlen(start);
        while (end > start && (end[-1] == ' ' || end[-1] == '\t'
                               || end[-1] == '\n' || end[-1] == '\r')) {
            *--end = '\0';
        }
        if (*start == '\0') {
            continue;
        }
        if (!valid_entry(start)) {
            fprintf(stderr, "%ls:%ld: invalid JIT list entry '%s': expected "
                    "'module:qualname' (e.g. 'json.decoder:JSONDecoder."
                    "decode'), a '#' comment or a blank line\n",
                    wpath, lineno, start);
            rc = -1;
            break;
        }
        PyObject *entry = PyUnicode_DecodeUTF8(start, end - start,
                                               "surrogateescape");
        if (entry == NULL || PySet_Add(set, entry) < 0) {
            Py_XDECREF(entry);
            PyErr_Print();
            rc = -1;
            break;
        }
        Py_DECREF(entry);
    }
    if (rc == 0 && ferror(f)) {
        fprintf(stderr, "Invalid -X jit-list-file=%ls: cannot read it: %s\n",
                wpath, strerror(errno));
        rc = -1;
    }
    free(line);
    fclose(f);
    if (rc < 0) {
        Py_DECREF(set);
        return -1;
    }
    _PyJit_ListEntries = set;
    return 0;
}

/* -X jit-dump-hir[=QUALNAME] and its kin: one filter for all dumps. */
static int
set_dump(int *flag, const wchar_t *opt, const wchar_t *value,
         const wchar_t **filter)
{
    *flag = 1;
    if (value == NULL) {
        return 0;
    }
    if (*value == L'\0') {
        fprintf(stderr, "Invalid -X %ls: expected a qualified name after "
                "'=' (or no '=' to dump every compiled function)\n", opt);
        return -1;
    }
    if (*filter != NULL && wcscmp(*filter, value) != 0) {
        fprintf(stderr, "Invalid -X %ls: the dumps share one QUALNAME "
                "filter, and another option gave '%ls'\n", opt, *filter);
        return -1;
    }
    *filter = value;
    return 0;
}

int
_PyJit_InitOptions(const PyConfig *config)
{
    int jit = -1;               /* -1: not given; 0/1: -X jit=0/1 */
    int implied = 0;            /* jit-all, jit-auto or a list file */
    int all = 0;
    Py_ssize_t auto_n = 0;
    const wchar_t *list_file = NULL;
    const wchar_t *dump_filter = NULL;

    for (Py_ssize_t i = 0; i < config->xoptions.length; i++) {
        const wchar_t *opt = config->xoptions.items[i];
        const wchar_t *v;
        if (wcsncmp(opt, L"jit", 3) != 0
            || (opt[3] != L'\0' && opt[3] != L'=' && opt[3] != L'-')) {
            continue;           /* not ours */
        }
        if (!NOT_THIS(v = option_value(opt, L"jit"))) {
            if (v == NULL || wcscmp(v, L"1") == 0) {
                jit = 1;
            }
            else if (wcscmp(v, L"0") == 0) {
                jit = 0;
            }
            else {
                fprintf(stderr, "Invalid -X %ls: expected -X jit, -X jit=1 "
                        "or -X jit=0\n", opt);
                return -1;
            }
        }
        else if (!NOT_THIS(v = option_value(opt, L"jit-all"))) {
            if (v != NULL) {
                fprintf(stderr, "Invalid -X %ls: -X jit-all takes no "
                        "value\n", opt);
                return -1;
            }
            all = implied = 1;
        }
        else if (!NOT_THIS(v = option_value(opt, L"jit-auto"))) {
            wchar_t *end = NULL;
            long long n = 0;
            if (v != NULL && *v != L'\0' && iswdigit(*v)) {
                errno = 0;
                n = wcstoll(v, &end, 10);
            }
            if (v == NULL || end == NULL || *end != L'\0' || n < 1
                || errno == ERANGE || n > PY_SSIZE_T_MAX / 2) {
                fprintf(stderr, "Invalid -X %ls: expected -X jit-auto=N, "
                        "N an integer >= 1 (the number of calls after "
                        "which a function is compiled)\n", opt);
                return -1;
            }
            auto_n = (Py_ssize_t)n;
            implied = 1;
        }
        else if (!NOT_THIS(v = option_value(opt, L"jit-max-size"))) {
            wchar_t *end = NULL;
            long long n = -1;
            if (v != NULL && *v != L'\0' && iswdigit(*v)) {
                errno = 0;
                n = wcstoll(v, &end, 10);
            }
            if (v == NULL || end == NULL || *end != L'\0' || n < 0
                || errno == ERANGE || n > INT_MAX) {
                fprintf(stderr, "Invalid -X %ls: expected -X jit-max-size=N, "
                        "N an integer >= 0 (the most code units and HIR "
                        "instructions of a function compiled; 0: no "
                        "limit)\n", opt);
                return -1;
            }
            _PyJit_MaxSize = (Py_ssize_t)n;
        }
        else if (!NOT_THIS(v = option_value(opt, L"jit-list-file"))) {
            if (v == NULL || *v == L'\0') {
                fprintf(stderr, "Invalid -X %ls: expected "
                        "-X jit-list-file=PATH\n", opt);
                return -1;
            }
            list_file = v;
            implied = 1;
        }
        else if (!NOT_THIS(v = option_value(opt, L"jit-stats"))) {
            if (v != NULL) {
                fprintf(stderr, "Invalid -X %ls: -X jit-stats takes no "
                        "value\n", opt);
                return -1;
            }
            _PyJit_PrintStats = 1;
        }
        else if (!NOT_THIS(v = option_value(opt, L"jit-stress-deopt"))) {
            if (v != NULL) {
                fprintf(stderr, "Invalid -X %ls: -X jit-stress-deopt takes "
                        "no value\n", opt);
                return -1;
            }
            _PyJit_Options.stress_deopt = 1;
        }
        else if (!NOT_THIS(v = option_value(opt, L"jit-verify-hir"))) {
            if (v != NULL) {
                fprintf(stderr, "Invalid -X %ls: -X jit-verify-hir takes "
                        "no value\n", opt);
                return -1;
            }
            _PyJit_Options.verify_hir = 1;
        }
        else if (!NOT_THIS(v = option_value(opt, L"jit-dump-hir"))) {
            if (set_dump(&_PyJit_Options.dump_hir, opt, v, &dump_filter)) {
                return -1;
            }
        }
        else if (!NOT_THIS(v = option_value(opt, L"jit-dump-lir"))) {
            if (set_dump(&_PyJit_Options.dump_lir, opt, v, &dump_filter)) {
                return -1;
            }
        }
        else if (!NOT_THIS(v = option_value(opt, L"jit-dump-asm"))) {
            if (set_dump(&_PyJit_Options.dump_asm, opt, v, &dump_filter)) {
                return -1;
            }
        }
        else if (!NOT_THIS(v = option_value(opt, L"jit-dump-times"))) {
            if (set_dump(&_PyJit_Options.dump_times, opt, v, &dump_filter)) {
                return -1;
            }
        }
        else {
            fprintf(stderr, "Unknown -X %ls: the JIT's options are -X jit, "
                    "jit-all, jit-auto=N, jit-max-size=N, jit-list-file=PATH, "
                    "jit-stats, "
                    "jit-dump-hir[=QUALNAME], jit-dump-lir[=QUALNAME], "
                    "jit-dump-asm[=QUALNAME], jit-dump-times[=QUALNAME], "
                    "jit-stress-deopt and jit-verify-hir\n", opt);
            return -1;
        }
    }
    if (all && auto_n) {
        fprintf(stderr, "Invalid -X jit-all with -X jit-auto=%zd: both set "
                "the compile threshold; give one of them\n", auto_n);
        return -1;
    }
    if (list_file == NULL && config->use_environment) {
        const char *env = getenv("PYTHONJITLISTFILE");
        if (env != NULL && *env != '\0') {
            static wchar_t *env_path;       /* lives as long as the process */
            env_path = Py_DecodeLocale(env, NULL);
            if (env_path == NULL) {
                fprintf(stderr, "Invalid PYTHONJITLISTFILE: cannot decode "
                        "it\n");
                return -1;
            }
            list_file = env_path;
            implied = 1;
        }
    }
    if (jit == -1 && config->use_environment) {
        const char *env = getenv("PYTHONJIT");
        if (env != NULL && strcmp(env, "") != 0) {
            if (strcmp(env, "1") == 0) {
                jit = 1;
            }
            else if (strcmp(env, "0") == 0) {
                jit = implied ? -1 : 0;
            }
            else {
                fprintf(stderr, "Invalid PYTHONJIT=%s: expected 1 or 0\n",
                        env);
                return -1;
            }
        }
    }
    if (dump_filter != NULL) {
        _PyJit_Options.dump_filter = to_utf8(dump_filter);
        if (_PyJit_Options.dump_filter == NULL) {
            fprintf(stderr, "Invalid -X jit-dump-*=%ls: cannot encode it\n",
                    dump_filter);
            return -1;
        }
    }
    /* The list file is read (and checked) even if -X jit=0 wins. */
    if (list_file != NULL && read_list_file(list_file) < 0) {
        return -1;
    }
    if (_PyJit_PrintStats && Py_AtExit(_PyJit_DumpStats) < 0) {
        fprintf(stderr, "-X jit-stats: too many exit functions\n");
        return -1;
    }
    _PyJit_Threshold = auto_n ? auto_n
                       : (all || list_file != NULL) ? 1 : DEFAULT_THRESHOLD;
    if (jit == 0 || (jit == -1 && !implied)) {
        return 0;
    }
    if (_PyJit_InitRuntime() < 0) {
        PyErr_Print();
        return -1;
    }
    _PyJit_Enabled = 1;
    return 0;
}
