/* HIR from its text form (Jit/hir.h: JitHir_Parse), so that each pass can
 * be tested as text in, text out (Lib/test/test_ember_jit_hir.py through
 * _ember._jit_hir_pass).  It reads exactly what JitHir_Text prints (Jit/hir.c
 * describes the form), one instruction a line; blank lines are allowed.
 *
 * Numbers are kept: block bbN is block N and vN is value N.  The printer
 * leaves out dead instructions and blocks without a live one, so numbers
 * may have gaps: a missing block is an empty one, a missing value is a
 * dead placeholder instruction (Const NULL, marked dead, at the end of the
 * first block) that neither prints nor takes part in any pass.  Printing
 * the result gives the text back.  Blocks must come in increasing order;
 * a value may be used before the line that defines it (phis and frame
 * states of loops), but every value and block used must be defined.
 *
 * Objects: ints, floats, None, True, False and str constants are the real
 * objects.  A constant printed as <typename> (any other object) becomes a
 * placeholder: an instance of a new class of that name, which prints the
 * same and is enough for the passes, but is not the object the builder
 * had.  GuardType names a type by tp_name: a type of the builtins module
 * of that name, else a placeholder class of that name (one per name, so
 * equal names are equal types).  Everything is kept alive in hir->refs.
 *
 * The code object: a dummy one (no bytecode to speak of) whose
 * co_nlocalsplus covers every LoadLocal/StoreLocal index (pass_locals sizes
 * its table with it) and whose co_stacksize covers the deepest frame state;
 * globals and builtins are one empty dict.  All of them are in hir->refs,
 * so the JitHir owns them.  The passes read nothing else of the code.  A
 * parsed HIR is for printing and the passes: lowering it would point
 * prev_instr into the dummy code and the frame-slot offsets of its
 * LoadField/StoreField would not match the dummy code's locals, so it is
 * not fit to run.
 *
 * Data: a Parser for one call; the JitHir it returns belongs to the caller.
 */
#include "Python.h"
#include "opcode.h"
#include "hir.h"
#include "lir.h"
#include "helpers.h"
#include "internal/ember_jit.h"

#include <ctype.h>
#include <stdarg.h>
#include <string.h>

#define MAX_NUMBER 1000000      /* of a block or value */
#define MAX_LOCAL 65535

typedef struct {
    JitHirInstr *in;
    int line;
} InstrLine;

typedef struct {
    JitHir *hir;
    const char *p;          /* cursor */
    const char *eol;        /* end of the current line */
    int line;
    char *err;
    size_t err_size;
    int failed;
    int block;              /* current block, -1 before the first header */
    char *block_defined;    /* per block number */
    int blocks_alloc;
    JitHirInstr **defs;     /* value number -> instruction, NULL: none */
    int *def_line;
    int ndefs;              /* 1 + highest value number */
    int defs_cap;
    InstrLine *instrs;      /* every parsed instruction, for the checks */
    int ninstrs, instrs_cap;
    PyObject *placeholders; /* dict: type name -> placeholder class */
    PyObject *builtins;     /* dict of the builtins module */
    int max_local;
    int max_depth;
} Parser;

static void
fail(Parser *ps, const char *fmt, ...)
{
    if (ps->failed) {
        return;
    }
    ps->failed = 1;
    int n = snprintf(ps->err, ps->err_size, "line %d: ", ps->line);
    if (n < 0 || (size_t)n >= ps->err_size) {
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ps->err + n, ps->err_size - n, fmt, ap);
    va_end(ap);
}

static void
fail_nomem(Parser *ps)
{
    if (!PyErr_Occurred()) {
        PyErr_NoMemory();
    }
    fail(ps, "out of memory");
}

/* What the cursor is at, for messages. */
static const char *
found(Parser *ps, char *buf, size_t size)
{
    if (ps->p >= ps->eol) {
        return "end of line";
    }
    size_t n = ps->eol - ps->p;
    if (n > 20) {
        n = 20;
    }
    snprintf(buf, size, "'%.*s%s'", (int)n, ps->p,
             (size_t)(ps->eol - ps->p) > n ? "..." : "");
    return buf;
}

static void
expected(Parser *ps, const char *what)
{
    char buf[40];
    fail(ps, "expected %s, found %s", what, found(ps, buf, sizeof(buf)));
}

static void
skip_ws(Parser *ps)
{
    while (ps->p < ps->eol && (*ps->p == ' ' || *ps->p == '\t'
                               || *ps->p == '\r')) {
        ps->p++;
    }
}

static int
at(Parser *ps, char c)
{
    skip_ws(ps);
    return ps->p < ps->eol && *ps->p == c;
}

static int
expect_char(Parser *ps, char c, const char *what)
{
    if (ps->failed) {
        return -1;
    }
    if (!at(ps, c)) {
        expected(ps, what);
        return -1;
    }
    ps->p++;
    return 0;
}

static int
is_word_char(char c)
{
    return isalnum((unsigned char)c) || c == '_' || c == '-' || c == '.';
}

/* A word at the cursor (letters, digits, _ - .): its length, 0 if none.
 * Does not move. */
static size_t
peek_word(Parser *ps, const char **start)
{
    skip_ws(ps);
    const char *q = ps->p;
    while (q < ps->eol && is_word_char(*q)) {
        q++;
    }
    *start = ps->p;
    return q - ps->p;
}

/* The cursor is at the word w (followed by no word character): skip it. */
static int
accept_word(Parser *ps, const char *w)
{
    const char *s;
    size_t n = peek_word(ps, &s);
    if (n == strlen(w) && memcmp(s, w, n) == 0) {
        ps->p += n;
        return 1;
    }
    return 0;
}

static int
expect_word(Parser *ps, const char *w)
{
    if (ps->failed) {
        return -1;
    }
    if (!accept_word(ps, w)) {
        char what[40];
        snprintf(what, sizeof(what), "'%s'", w);
        expected(ps, what);
        return -1;
    }
    return 0;
}

/* A decimal integer, optionally signed. */
static int
parse_int(Parser *ps, int64_t *out, const char *what)
{
    if (ps->failed) {
        return -1;
    }
    skip_ws(ps);
    const char *q = ps->p;
    int neg = 0;
    if (q < ps->eol && (*q == '-' || *q == '+')) {
        neg = *q == '-';
        q++;
    }
    if (q >= ps->eol || !isdigit((unsigned char)*q)) {
        expected(ps, what);
        return -1;
    }
    uint64_t v = 0;
    while (q < ps->eol && isdigit((unsigned char)*q)) {
        int d = *q - '0';
        if (v > (UINT64_MAX - d) / 10) {
            fail(ps, "%s out of range", what);
            return -1;
        }
        v = v * 10 + d;
        q++;
    }
    if (q < ps->eol && is_word_char(*q)) {
        expected(ps, what);
        return -1;
    }
    if (neg ? v > (uint64_t)INT64_MAX + 1 : v > (uint64_t)INT64_MAX) {
        fail(ps, "%s out of range", what);
        return -1;
    }
    *out = neg ? (int64_t)(0 - v) : (int64_t)v;
    ps->p = q;
    return 0;
}

/* prefix followed by a number in [0, MAX_NUMBER]: vN, bbN. */
static int
parse_ref(Parser *ps, const char *prefix, const char *what)
{
    if (ps->failed) {
        return -1;
    }
    skip_ws(ps);
    size_t plen = strlen(prefix);
    const char *q = ps->p;
    if ((size_t)(ps->eol - q) <= plen || memcmp(q, prefix, plen) != 0
        || !isdigit((unsigned char)q[plen])) {
        expected(ps, what);
        return -1;
    }
    q += plen;
    int64_t v = 0;
    while (q < ps->eol && isdigit((unsigned char)*q)) {
        v = v * 10 + (*q - '0');
        if (v > MAX_NUMBER) {
            fail(ps, "%s number too large (at most %d)", prefix, MAX_NUMBER);
            return -1;
        }
        q++;
    }
    if (q < ps->eol && is_word_char(*q)) {
        expected(ps, what);
        return -1;
    }
    ps->p = q;
    return (int)v;
}

static int
at_ref(Parser *ps, const char *prefix)
{
    skip_ws(ps);
    size_t plen = strlen(prefix);
    return (size_t)(ps->eol - ps->p) > plen
           && memcmp(ps->p, prefix, plen) == 0
           && isdigit((unsigned char)ps->p[plen]);
}

/* ---- blocks and values */

static int
ensure_block(Parser *ps, int b)
{
    JitHir *hir = ps->hir;
    while (hir->nblocks <= b) {
        if (JitHir_NewBlock(hir) < 0) {
            fail_nomem(ps);
            return -1;
        }
    }
    if (ps->blocks_alloc <= b) {
        int cap = b + 16;
        char *nd = PyMem_RawRealloc(ps->block_defined, cap);
        if (nd == NULL) {
            fail_nomem(ps);
            return -1;
        }
        memset(nd + ps->blocks_alloc, 0, cap - ps->blocks_alloc);
        ps->block_defined = nd;
        ps->blocks_alloc = cap;
    }
    return 0;
}

/* Append a new instruction to block b; JitHir_Free frees it from then on. */
static JitHirInstr *
append(Parser *ps, int b, JitHirOp op)
{
    JitHirBlock *bl = &ps->hir->blocks[b];
    if (bl->ninstrs == bl->cap) {
        int cap = bl->cap ? bl->cap * 2 : 16;
        JitHirInstr **ni = PyMem_RawRealloc(bl->instrs,
                                            cap * sizeof(JitHirInstr *));
        if (ni == NULL) {
            fail_nomem(ps);
            return NULL;
        }
        bl->instrs = ni;
        bl->cap = cap;
    }
    JitHirInstr *in = PyMem_RawCalloc(1, sizeof(JitHirInstr));
    if (in == NULL) {
        fail_nomem(ps);
        return NULL;
    }
    in->op = op;
    in->value = -1;
    in->target = in->target2 = -1;
    bl->instrs[bl->ninstrs++] = in;
    return in;
}

static int
define_value(Parser *ps, int v, JitHirInstr *in)
{
    if (v >= ps->defs_cap) {
        int cap = v + 64;
        JitHirInstr **nd = PyMem_RawRealloc(ps->defs, cap * sizeof(*nd));
        if (nd == NULL) {
            fail_nomem(ps);
            return -1;
        }
        ps->defs = nd;
        int *nl = PyMem_RawRealloc(ps->def_line, cap * sizeof(int));
        if (nl == NULL) {
            fail_nomem(ps);
            return -1;
        }
        ps->def_line = nl;
        for (int i = ps->defs_cap; i < cap; i++) {
            ps->defs[i] = NULL;
            ps->def_line[i] = 0;
        }
        ps->defs_cap = cap;
    }
    if (ps->defs[v] != NULL) {
        fail(ps, "v%d is already defined on line %d", v, ps->def_line[v]);
        return -1;
    }
    ps->defs[v] = in;
    ps->def_line[v] = ps->line;
    if (v >= ps->ndefs) {
        ps->ndefs = v + 1;
    }
    in->value = v;
    return 0;
}

static int
keep(Parser *ps, PyObject *obj)
{
    if (PyList_Append(ps->hir->refs, obj) < 0) {
        fail_nomem(ps);
        return -1;
    }
    return 0;
}

/* ---- objects */

/* The placeholder class named name (made on first use). */
static PyObject *
placeholder_type(Parser *ps, const char *name, size_t len)
{
    PyObject *key = PyUnicode_DecodeUTF8(name, len, "strict");
    if (key == NULL) {
        PyErr_Clear();
        fail(ps, "invalid UTF-8 in a type name");
        return NULL;
    }
    PyObject *t = PyDict_GetItemWithError(ps->placeholders, key);
    if (t == NULL && !PyErr_Occurred()) {
        t = PyObject_CallFunction((PyObject *)&PyType_Type, "O(){}", key);
        if (t != NULL && PyDict_SetItem(ps->placeholders, key, t) < 0) {
            Py_CLEAR(t);
        }
        Py_XDECREF(t);      /* the dict holds it */
    }
    Py_DECREF(key);
    if (t == NULL) {
        if (PyErr_ExceptionMatches(PyExc_MemoryError)) {
            fail_nomem(ps);
        }
        else {
            PyErr_Clear();
            fail(ps, "cannot make a placeholder type '%.*s'", (int)len, name);
        }
    }
    return t;
}

static int
hexval(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

/* A str as repr() shows it: quotes ' or ", escapes \\ \' \" \n \r \t \xhh
 * \uhhhh \Uhhhhhhhh, anything else as UTF-8. */
static PyObject *
parse_str(Parser *ps)
{
    char quote = *ps->p++;
    _PyUnicodeWriter w;
    _PyUnicodeWriter_Init(&w);
    const char *run = ps->p;
    for (;;) {
        if (ps->p >= ps->eol) {
            fail(ps, "unterminated string");
            goto error;
        }
        char c = *ps->p;
        if (c != quote && c != '\\') {
            ps->p++;
            continue;
        }
        if (ps->p > run) {
            PyObject *s = PyUnicode_DecodeUTF8(run, ps->p - run, "strict");
            if (s == NULL) {
                PyErr_Clear();
                fail(ps, "invalid UTF-8 in a string");
                goto error;
            }
            int r = _PyUnicodeWriter_WriteStr(&w, s);
            Py_DECREF(s);
            if (r < 0) {
                fail_nomem(ps);
                goto error;
            }
        }
        ps->p++;
        if (c == quote) {
            break;
        }
        if (ps->p >= ps->eol) {
            fail(ps, "unterminated string");
            goto error;
        }
        char e = *ps->p++;
        Py_UCS4 ch;
        int ndigits = 0;
        switch (e) {
        case '\\': case '\'': case '"': ch = (Py_UCS4)e; break;
        case 'n': ch = '\n'; break;
        case 'r': ch = '\r'; break;
        case 't': ch = '\t'; break;
        case 'x': ndigits = 2; ch = 0; break;
        case 'u': ndigits = 4; ch = 0; break;
        case 'U': ndigits = 8; ch = 0; break;
        default:
            fail(ps, "unknown escape '\\%c' in a string", e);
            goto error;
        }
        for (int i = 0; i < ndigits; i++) {
            int h = ps->p < ps->eol ? hexval(*ps->p) : -1;
            if (h < 0) {
                fail(ps, "expected %d hex digits after '\\%c'", ndigits, e);
                goto error;
            }
            ch = ch * 16 + h;
            ps->p++;
        }
        if (ch > 0x10ffff) {
            fail(ps, "character out of range in a string");
            goto error;
        }
        if (_PyUnicodeWriter_WriteChar(&w, ch) < 0) {
            fail_nomem(ps);
            goto error;
        }
        run = ps->p;
    }
    return _PyUnicodeWriter_Finish(&w);
error:
    _PyUnicodeWriter_Dealloc(&w);
    return NULL;
}

/* The object of a Const or GuardIs: *out a new reference, or NULL for the
 * NULL constant.  0, or -1 on error. */
static int
parse_object(Parser *ps, PyObject **out)
{
    *out = NULL;
    skip_ws(ps);
    if (ps->p >= ps->eol) {
        expected(ps, "a constant");
        return -1;
    }
    char c = *ps->p;
    if (c == '\'' || c == '"') {
        *out = parse_str(ps);
        if (*out == NULL && !ps->failed) {
            fail_nomem(ps);
        }
        return *out ? 0 : -1;
    }
    if (c == '<') {
        const char *start = ++ps->p;
        while (ps->p < ps->eol && *ps->p != '>') {
            ps->p++;
        }
        if (ps->p >= ps->eol || ps->p == start) {
            ps->p = start - 1;
            expected(ps, "<typename>");
            return -1;
        }
        PyObject *t = placeholder_type(ps, start, ps->p - start);
        ps->p++;
        if (t == NULL) {
            return -1;
        }
        *out = PyObject_CallNoArgs(t);
        if (*out == NULL) {
            PyErr_Clear();
            fail(ps, "cannot make a placeholder <%s>", ((PyTypeObject *)t)->tp_name);
            return -1;
        }
        return 0;
    }
    if (accept_word(ps, "NULL")) {
        return 0;
    }
    if (accept_word(ps, "None")) {
        *out = Py_NewRef(Py_None);
        return 0;
    }
    if (accept_word(ps, "True")) {
        *out = Py_NewRef(Py_True);
        return 0;
    }
    if (accept_word(ps, "False")) {
        *out = Py_NewRef(Py_False);
        return 0;
    }
    /* A number: an int, or a float (a '.', an exponent, inf or nan). */
    const char *start = ps->p;
    const char *q = start;
    if (q < ps->eol && (*q == '-' || *q == '+')) {
        q++;
    }
    const char *digits = q;
    int is_float = 0;
    while (q < ps->eol && (isalnum((unsigned char)*q) || *q == '.'
                           || ((*q == '-' || *q == '+')
                               && (q[-1] == 'e' || q[-1] == 'E')))) {
        if (*q == '.' || *q == 'e' || *q == 'E' || *q == 'n' || *q == 'i') {
            is_float = 1;
        }
        q++;
    }
    if (q == digits) {
        expected(ps, "a constant (a number, a string, None, True, False, "
                     "NULL or <typename>)");
        return -1;
    }
    char buf[64];
    if ((size_t)(q - start) >= sizeof(buf)) {
        if (is_float) {
            fail(ps, "float constant too long");
            return -1;
        }
    }
    if (is_float) {
        memcpy(buf, start, q - start);
        buf[q - start] = '\0';
        char *end;
        double d = PyOS_string_to_double(buf, &end, NULL);
        if (d == -1.0 && PyErr_Occurred()) {
            PyErr_Clear();
            end = buf;
        }
        if (*end != '\0' || end == buf) {
            expected(ps, "a constant (a number, a string, None, True, False, "
                         "NULL or <typename>)");
            return -1;
        }
        *out = PyFloat_FromDouble(d);
    }
    else {
        for (const char *d = digits; d < q; d++) {
            if (!isdigit((unsigned char)*d)) {
                expected(ps, "a constant (a number, a string, None, True, "
                             "False, NULL or <typename>)");
                return -1;
            }
        }
        char *tmp = PyMem_RawMalloc(q - start + 1);
        if (tmp == NULL) {
            fail_nomem(ps);
            return -1;
        }
        memcpy(tmp, start, q - start);
        tmp[q - start] = '\0';
        *out = PyLong_FromString(tmp, NULL, 10);
        PyMem_RawFree(tmp);
    }
    if (*out == NULL) {
        if (PyErr_ExceptionMatches(PyExc_MemoryError)) {
            fail_nomem(ps);
        }
        else {
            PyErr_Clear();      /* e.g. too many digits */
            fail(ps, "invalid number constant");
        }
        return -1;
    }
    ps->p = q;
    return 0;
}

/* GuardType's type: a builtin type of that tp_name, else a placeholder. */
static PyObject *
parse_type(Parser *ps)
{
    skip_ws(ps);
    const char *start = ps->p;
    while (ps->p < ps->eol && !isspace((unsigned char)*ps->p)
           && *ps->p != ',') {
        ps->p++;
    }
    size_t len = ps->p - start;
    if (len == 0) {
        ps->p = start;
        expected(ps, "a type name");
        return NULL;
    }
    char name[128];
    if (len < sizeof(name)) {
        memcpy(name, start, len);
        name[len] = '\0';
        PyObject *t = PyDict_GetItemString(ps->builtins, name);   /* borrowed */
        if (t != NULL && PyType_Check(t)
            && strcmp(((PyTypeObject *)t)->tp_name, name) == 0) {
            return t;
        }
    }
    return placeholder_type(ps, start, len);
}

/* ---- instructions */

static int
lookup(const char *const *names, int n, const char *s, size_t len)
{
    for (int i = 0; i < n; i++) {
        if (names[i] != NULL && strlen(names[i]) == len
            && memcmp(names[i], s, len) == 0) {
            return i;
        }
    }
    return -1;
}

static int
parse_frame_state(Parser *ps, JitHirInstr *in)
{
    int64_t resume, error, consumed;
    if (expect_char(ps, '{', "'{' and a frame state") < 0
        || expect_word(ps, "resume") < 0
        || parse_int(ps, &resume, "a resume position") < 0
        || expect_char(ps, ',', "','") < 0
        || expect_word(ps, "error") < 0
        || parse_int(ps, &error, "an error position") < 0
        || expect_char(ps, ',', "','") < 0
        || expect_word(ps, "consumed") < 0
        || parse_int(ps, &consumed, "the number of consumed entries") < 0
        || expect_char(ps, ',', "','") < 0) {
        return -1;
    }
    if (resume < 0 || resume > INT32_MAX || error < 0 || error > INT32_MAX) {
        fail(ps, "bytecode position out of range");
        return -1;
    }
    if (JitHir_OpUsesDeoptKind(in->op)) {
        const char *s;
        if (expect_word(ps, "deopt") < 0) {
            return -1;
        }
        size_t n = peek_word(ps, &s);
        int k = lookup(JitHir_DeoptKindNames, _PyJitDeopt_COUNT, s, n);
        if (k < 0) {
            expected(ps, "a deoptimization kind (guard-type, guard-value, ...)");
            return -1;
        }
        ps->p += n;
        in->deopt_kind = k;
        if (expect_char(ps, ',', "','") < 0) {
            return -1;
        }
    }
    if (expect_word(ps, "stack") < 0) {
        return -1;
    }
    int cap = 16, depth = 0;
    int *vals = PyMem_RawMalloc(cap * sizeof(int));
    unsigned char *owned = PyMem_RawMalloc(cap);
    if (vals == NULL || owned == NULL) {
        goto nomem;
    }
    while (at_ref(ps, "v")) {
        int v = parse_ref(ps, "v", "a value");
        if (v < 0) {
            goto error;
        }
        if (depth == cap) {
            cap *= 2;
            int *nv = PyMem_RawRealloc(vals, cap * sizeof(int));
            if (nv == NULL) {
                goto nomem;
            }
            vals = nv;
            unsigned char *no = PyMem_RawRealloc(owned, cap);
            if (no == NULL) {
                goto nomem;
            }
            owned = no;
        }
        unsigned char o = 1;
        if (ps->p < ps->eol && *ps->p == '*') {
            o = 0;
            ps->p++;
        }
        else if (ps->p < ps->eol && *ps->p == '?') {
            o = 2;
            ps->p++;
        }
        vals[depth] = v;
        owned[depth] = o;
        depth++;
    }
    if (expect_char(ps, '}', "a stack entry (vN, vN* or vN?) or '}'") < 0) {
        goto error;
    }
    if (consumed < 0 || consumed > depth) {
        fail(ps, "consumed %lld is not within the stack depth %d",
             (long long)consumed, depth);
        goto error;
    }
    in->fs = JitHir_NewFrameState(depth);
    if (in->fs == NULL) {
        goto nomem;
    }
    in->fs->resume_at = (int)resume;
    in->fs->error_at = (int)error;
    in->fs->nconsumed = (int)consumed;
    memcpy(in->fs->stack, vals, depth * sizeof(int));
    memcpy(in->fs->owned, owned, depth);
    if (depth > ps->max_depth) {
        ps->max_depth = depth;
    }
    PyMem_RawFree(vals);
    PyMem_RawFree(owned);
    return 0;
nomem:
    fail_nomem(ps);
error:
    PyMem_RawFree(vals);
    PyMem_RawFree(owned);
    return -1;
}

/* Number of arguments op takes (imm given for CallHelper). */
static int
nargs_of(JitHirOp op, int64_t imm)
{
    switch (op) {
    case JitHir_StoreLocal: case JitHir_Incref: case JitHir_Decref:
    case JitHir_XDecref: case JitHir_LoadField: case JitHir_GuardType:
    case JitHir_GuardNotNull: case JitHir_GuardIs: case JitHir_GuardRawEq:
    case JitHir_BoolFromRaw: case JitHir_IsTrue: case JitHir_Branch:
    case JitHir_Return:
        return 1;
    case JitHir_StoreField: case JitHir_IntCompare: case JitHir_PtrEq:
    case JitHir_RawCmp: case JitHir_RawBin:
        return 2;
    case JitHir_CallHelper:
        return JitHelpers[imm].nargs;
    case JitHir_CallRaw:
        return (int)imm + 1;
    case JitHir_ErrorIfNull:
        return 1;
    default:
        return 0;
    }
}

static int
parse_immediates(Parser *ps, JitHirInstr *in)
{
    const char *s;
    size_t n;
    switch (in->op) {
    case JitHir_Param:
        if (accept_word(ps, "tstate")) {
            in->imm = 0;
        }
        else if (accept_word(ps, "frame")) {
            in->imm = 1;
        }
        else {
            expected(ps, "'tstate' or 'frame'");
            return -1;
        }
        return 0;
    case JitHir_Const:
    case JitHir_GuardIs: {
        PyObject *o;
        if (parse_object(ps, &o) < 0) {
            return -1;
        }
        if (o != NULL) {
            int r = keep(ps, o);
            in->imm = (int64_t)(uintptr_t)o;
            Py_DECREF(o);       /* refs holds it */
            return r;
        }
        in->imm = 0;
        return 0;
    }
    case JitHir_GuardType: {
        PyObject *t = parse_type(ps);
        if (t == NULL || keep(ps, t) < 0) {
            return -1;
        }
        in->imm = (int64_t)(uintptr_t)t;
        return 0;
    }
    case JitHir_Imm:
    case JitHir_GuardRawEq:
        return parse_int(ps, &in->imm, "an integer");
    case JitHir_CallRaw:
        if (parse_int(ps, &in->imm, "a number of arguments") < 0) {
            return -1;
        }
        if (in->imm < 0 || in->imm > JIT_HIR_MAX_ARGS - 1) {
            fail(ps, "CallRaw takes 0 to %d arguments", JIT_HIR_MAX_ARGS - 1);
            return -1;
        }
        return 0;
    case JitHir_LoadLocal:
    case JitHir_StoreLocal:
        if (parse_int(ps, &in->imm, "a local index") < 0) {
            return -1;
        }
        if (in->imm < 0 || in->imm > MAX_LOCAL) {
            fail(ps, "local index %lld out of range", (long long)in->imm);
            return -1;
        }
        if (in->imm > ps->max_local) {
            ps->max_local = (int)in->imm;
        }
        return 0;
    case JitHir_LoadField:
    case JitHir_StoreField:
        if (expect_char(ps, '+', "'+offset:size'") < 0
            || parse_int(ps, &in->imm, "an offset") < 0
            || expect_char(ps, ':', "':' and a size") < 0
            || parse_int(ps, &in->imm2, "a size") < 0) {
            return -1;
        }
        if (in->imm2 != 1 && in->imm2 != 2 && in->imm2 != 4 && in->imm2 != 8) {
            fail(ps, "size %lld is not 1, 2, 4 or 8", (long long)in->imm2);
            return -1;
        }
        return 0;
    case JitHir_CallHelper: {
        n = peek_word(ps, &s);
        for (int h = 0; h < JitH_COUNT; h++) {
            if (strlen(JitHelpers[h].name) == n
                && memcmp(JitHelpers[h].name, s, n) == 0) {
                in->imm = h;
                ps->p += n;
                if (accept_word(ps, "deopt-on-null")) {
                    in->imm2 = 1;
                }
                return 0;
            }
        }
        expected(ps, "a helper name (Jit/helpers.h)");
        return -1;
    }
    case JitHir_IntCompare: {
        n = peek_word(ps, &s);
        int c = lookup(JitHir_CondNames, JIT_HIR_NCONDS, s, n);
        if (c < 0) {
            expected(ps, "a condition (eq, ne, lt, le, gt, ge)");
            return -1;
        }
        ps->p += n;
        in->imm = c;
        return 0;
    }
    case JitHir_BoolFromRaw:
        in->imm = accept_word(ps, "not");
        return 0;
    case JitHir_RawCmp: {
        static const char *const conds[] = {
#define JIT_LIR_COND_NAME(name, text) text,
            JIT_LIR_CONDS(JIT_LIR_COND_NAME)
#undef JIT_LIR_COND_NAME
        };
        n = peek_word(ps, &s);
        int c = lookup(conds, (int)(sizeof(conds) / sizeof(conds[0])), s, n);
        if (c < 0) {
            expected(ps, "a LIR condition (eq, ne, lt, ..., uge)");
            return -1;
        }
        ps->p += n;
        in->imm = c;
        return 0;
    }
    case JitHir_RawBin: {
        static const char *const ops[] = {
#define JIT_LIR_OP_NAME(name) #name,
            JIT_LIR_OPS(JIT_LIR_OP_NAME)
#undef JIT_LIR_OP_NAME
        };
        n = peek_word(ps, &s);
        int c = lookup(ops, JitLirOp_COUNT, s, n);
        if (c < 0) {
            expected(ps, "a LIR operation (Add, Sub, Mul, ...)");
            return -1;
        }
        ps->p += n;
        in->imm = c;
        return 0;
    }
    default:
        return 0;
    }
}

static int
parse_phi_inputs(Parser *ps, JitHirInstr *in)
{
    int cap = 0;
    do {
        int b = parse_ref(ps, "bb", "a phi input 'bbN:vM'");
        if (b < 0 || expect_char(ps, ':', "':' in a phi input 'bbN:vM'") < 0) {
            return -1;
        }
        int v = parse_ref(ps, "v", "a value");
        if (v < 0) {
            return -1;
        }
        if (in->nphi_in == cap) {
            cap = cap ? cap * 2 : 4;
            JitPhiIn *np = PyMem_RawRealloc(in->phi_in, cap * sizeof(JitPhiIn));
            if (np == NULL) {
                fail_nomem(ps);
                return -1;
            }
            in->phi_in = np;
        }
        in->phi_in[in->nphi_in].block = b;
        in->phi_in[in->nphi_in].value = v;
        in->nphi_in++;
    } while (at(ps, ',') && (ps->p++, 1));
    return 0;
}

static int
parse_instr(Parser *ps)
{
    int def = -1;
    if (at_ref(ps, "v")) {
        def = parse_ref(ps, "v", "a value");
        if (def < 0 || expect_char(ps, '=', "'='") < 0) {
            return -1;
        }
    }
    const char *s;
    size_t n = peek_word(ps, &s);
    int op = lookup(JitHir_OpNames, JitHir_COUNT, s, n);
    if (op < 0) {
        expected(ps, "an instruction (an op name of Jit/hir.h)");
        return -1;
    }
    ps->p += n;
    if (ps->block < 0) {
        fail(ps, "instruction before the first block header");
        return -1;
    }
    if (JitHir_OpHasResult[op] && def < 0) {
        fail(ps, "%s has a result: expected 'vN = %s'", JitHir_OpNames[op],
             JitHir_OpNames[op]);
        return -1;
    }
    if (!JitHir_OpHasResult[op] && def >= 0) {
        fail(ps, "%s has no result", JitHir_OpNames[op]);
        return -1;
    }
    JitHirInstr *in = append(ps, ps->block, (JitHirOp)op);
    if (in == NULL) {
        return -1;
    }
    if (ps->ninstrs == ps->instrs_cap) {
        int cap = ps->instrs_cap ? ps->instrs_cap * 2 : 64;
        InstrLine *ni = PyMem_RawRealloc(ps->instrs, cap * sizeof(InstrLine));
        if (ni == NULL) {
            fail_nomem(ps);
            return -1;
        }
        ps->instrs = ni;
        ps->instrs_cap = cap;
    }
    ps->instrs[ps->ninstrs].in = in;
    ps->instrs[ps->ninstrs].line = ps->line;
    ps->ninstrs++;
    if (def >= 0 && define_value(ps, def, in) < 0) {
        return -1;
    }
    if (parse_immediates(ps, in) < 0) {
        return -1;
    }
    if (op == JitHir_Phi) {
        if (parse_phi_inputs(ps, in) < 0) {
            return -1;
        }
    }
    else {
        int want = nargs_of(in->op, in->imm);
        while (in->nargs < want) {
            if (in->nargs > 0 && expect_char(ps, ',', "',' and an argument") < 0) {
                return -1;
            }
            char what[64];
            snprintf(what, sizeof(what), "argument %d of %d of %s (vN)",
                     in->nargs + 1, want, JitHir_OpNames[op]);
            int v = parse_ref(ps, "v", what);
            if (v < 0) {
                return -1;
            }
            in->args[in->nargs++] = v;
        }
    }
    if (op == JitHir_Branch || op == JitHir_Jump) {
        if (expect_char(ps, '-', "'->' and a target block") < 0
            || expect_char(ps, '>', "'->' and a target block") < 0
            || (in->target = parse_ref(ps, "bb", "a target block (bbN)")) < 0) {
            return -1;
        }
        if (op == JitHir_Branch
            && (expect_char(ps, ',', "',' and the false target") < 0
                || (in->target2 = parse_ref(ps, "bb", "a target block (bbN)")) < 0)) {
            return -1;
        }
    }
    /* A CallHelper of a helper that cannot fail (kind NONE) has none. */
    if (JitHir_OpHasFrameState[op]
        && !(op == JitHir_CallHelper && !at(ps, '{'))) {
        if (parse_frame_state(ps, in) < 0) {
            return -1;
        }
    }
    skip_ws(ps);
    if (ps->p < ps->eol) {
        if (*ps->p == '{') {
            fail(ps, "%s takes no frame state", JitHir_OpNames[op]);
        }
        else {
            expected(ps, "end of line");
        }
        return -1;
    }
    return 0;
}

static int
parse_block_header(Parser *ps)
{
    int b = parse_ref(ps, "bb", "a block header");
    if (b < 0) {
        return -1;
    }
    if (b <= ps->block) {
        fail(ps, "block bb%d after bb%d: blocks must come in increasing order",
             b, ps->block);
        return -1;
    }
    if (ensure_block(ps, b) < 0) {
        return -1;
    }
    if (at(ps, '(')) {
        int64_t start;
        ps->p++;
        if (expect_char(ps, '@', "'@' and a code unit") < 0
            || parse_int(ps, &start, "a code unit") < 0
            || expect_char(ps, ')', "')'") < 0) {
            return -1;
        }
        if (start < 0 || start > INT32_MAX) {
            fail(ps, "code unit %lld out of range", (long long)start);
            return -1;
        }
        ps->hir->blocks[b].bc_start = (int)start;
    }
    if (expect_char(ps, ':', "':' ending the block header") < 0) {
        return -1;
    }
    skip_ws(ps);
    if (ps->p < ps->eol) {
        expected(ps, "end of line");
        return -1;
    }
    ps->block = b;
    ps->block_defined[b] = 1;
    return 0;
}

/* ---- after the text: references, values, the code object */

static int
check_value(Parser *ps, int v)
{
    if (v >= ps->ndefs || ps->defs[v] == NULL) {
        fail(ps, "v%d is not defined", v);
        return -1;
    }
    return 0;
}

static int
check_block(Parser *ps, int b)
{
    if (b >= ps->blocks_alloc || !ps->block_defined[b]) {
        fail(ps, "bb%d is not defined", b);
        return -1;
    }
    return 0;
}

static int
check_refs(Parser *ps)
{
    for (int i = 0; i < ps->ninstrs; i++) {
        JitHirInstr *in = ps->instrs[i].in;
        ps->line = ps->instrs[i].line;
        for (int a = 0; a < in->nargs; a++) {
            if (check_value(ps, in->args[a]) < 0) {
                return -1;
            }
        }
        for (int p = 0; p < in->nphi_in; p++) {
            if (check_block(ps, in->phi_in[p].block) < 0
                || check_value(ps, in->phi_in[p].value) < 0) {
                return -1;
            }
        }
        if (in->target >= 0 && check_block(ps, in->target) < 0) {
            return -1;
        }
        if (in->target2 >= 0 && check_block(ps, in->target2) < 0) {
            return -1;
        }
        if (in->fs != NULL) {
            for (int s = 0; s < in->fs->depth; s++) {
                if (check_value(ps, in->fs->stack[s]) < 0) {
                    return -1;
                }
            }
        }
    }
    return 0;
}

/* hir->values from the definitions, gaps filled with dead placeholders. */
static int
make_values(Parser *ps)
{
    JitHir *hir = ps->hir;
    int n = ps->ndefs;
    hir->values = PyMem_RawCalloc(n + 1, sizeof(JitHirInstr *));
    if (hir->values == NULL) {
        fail_nomem(ps);
        return -1;
    }
    hir->values_cap = n + 1;
    hir->nvalues = n;
    for (int v = 0; v < n; v++) {
        JitHirInstr *in = ps->defs[v];
        if (in == NULL) {
            in = append(ps, 0, JitHir_Const);
            if (in == NULL) {
                return -1;
            }
            in->value = v;
            in->dead = 1;
        }
        hir->values[v] = in;
    }
    return 0;
}

/* The dummy code object: nlocals locals, a stack of stacksize. */
static PyCodeObject *
dummy_code(int nlocals, int stacksize)
{
    static const unsigned char code[] = {
        RESUME, 0, LOAD_CONST, 0, RETURN_VALUE, 0};
    PyObject *bytes = NULL, *consts = NULL, *empty = NULL, *varnames = NULL;
    PyObject *name = NULL, *filename = NULL, *table = NULL;
    PyCodeObject *co = NULL;
    bytes = PyBytes_FromStringAndSize((const char *)code, sizeof(code));
    consts = PyTuple_Pack(1, Py_None);
    empty = PyTuple_New(0);
    varnames = PyTuple_New(nlocals);
    name = PyUnicode_FromString("<hir>");
    filename = PyUnicode_FromString("<hir text>");
    table = PyBytes_FromStringAndSize(NULL, 0);
    if (bytes == NULL || consts == NULL || empty == NULL || varnames == NULL
        || name == NULL || filename == NULL || table == NULL) {
        goto done;
    }
    for (int i = 0; i < nlocals; i++) {
        PyObject *vn = PyUnicode_FromFormat("l%d", i);
        if (vn == NULL) {
            goto done;
        }
        PyTuple_SET_ITEM(varnames, i, vn);
    }
    co = PyCode_New(0, 0, nlocals, stacksize, CO_OPTIMIZED | CO_NEWLOCALS,
                    bytes, consts, empty, varnames, empty, empty, filename,
                    name, name, 1, table, table);
done:
    Py_XDECREF(bytes);
    Py_XDECREF(consts);
    Py_XDECREF(empty);
    Py_XDECREF(varnames);
    Py_XDECREF(name);
    Py_XDECREF(filename);
    Py_XDECREF(table);
    return co;
}

static int
finish(Parser *ps)
{
    JitHir *hir = ps->hir;
    if (hir->nblocks == 0) {
        ps->line = 1;
        fail(ps, "expected a block header (bbN: or bbN (@M):)");
        return -1;
    }
    if (check_refs(ps) < 0 || make_values(ps) < 0) {
        return -1;
    }
    PyCodeObject *co = dummy_code(ps->max_local + 1,
                                  ps->max_depth > 0 ? ps->max_depth : 1);
    if (co == NULL || keep(ps, (PyObject *)co) < 0) {
        Py_XDECREF(co);
        fail_nomem(ps);
        return -1;
    }
    hir->code = co;
    Py_DECREF(co);      /* refs holds it */
    PyObject *globals = PyDict_New();
    if (globals == NULL || keep(ps, globals) < 0) {
        Py_XDECREF(globals);
        fail_nomem(ps);
        return -1;
    }
    hir->globals = hir->builtins = globals;
    Py_DECREF(globals);
    if (keep(ps, ps->placeholders) < 0) {
        return -1;
    }
    hir->cur = 0;
    return 0;
}

JitHir *
JitHir_Parse(const char *text, char *err, size_t err_size)
{
    Parser ps;
    memset(&ps, 0, sizeof(ps));
    ps.err = err;
    ps.err_size = err_size;
    ps.block = -1;
    ps.max_local = -1;
    if (err_size > 0) {
        err[0] = '\0';
    }
    /* JitHir_New wants a code object; the real one comes at the end. */
    ps.hir = JitHir_New(NULL, NULL, NULL);
    ps.placeholders = PyDict_New();
    PyObject *bmod = PyImport_ImportModule("builtins");
    if (bmod != NULL) {
        ps.builtins = PyModule_GetDict(bmod);     /* borrowed */
    }
    if (ps.hir == NULL || ps.placeholders == NULL || ps.builtins == NULL) {
        fail_nomem(&ps);
        goto done;
    }
    const char *p = text;
    ps.line = 0;
    while (*p != '\0' && !ps.failed) {
        ps.line++;
        const char *eol = strchr(p, '\n');
        if (eol == NULL) {
            eol = p + strlen(p);
        }
        ps.p = p;
        ps.eol = eol;
        skip_ws(&ps);
        if (ps.p < ps.eol) {
            if (at_ref(&ps, "bb")) {
                parse_block_header(&ps);
            }
            else {
                parse_instr(&ps);
            }
        }
        p = *eol ? eol + 1 : eol;
    }
    if (!ps.failed) {
        finish(&ps);
    }
done:
    Py_XDECREF(bmod);
    Py_XDECREF(ps.placeholders);
    PyMem_RawFree(ps.block_defined);
    PyMem_RawFree(ps.defs);
    PyMem_RawFree(ps.def_line);
    PyMem_RawFree(ps.instrs);
    if (ps.failed) {
        JitHir_Free(ps.hir);
        return NULL;
    }
    return ps.hir;
}
