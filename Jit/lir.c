/* LIR construction, text form and parser (the interface is Jit/lir.h, the
 * layout Jit/lir_internal.h).
 *
 * Data: a JitLir and everything in it (blocks, instructions, the locations
 * and block order that Jit/regalloc.c computes) are owned here: JitLir_New
 * allocates, JitLir_Free releases.  The text functions return malloc'ed
 * strings that the caller frees.  No global state.
 *
 * The text form, one instruction per line (blank lines and text after '#'
 * or ';' are ignored; indentation is free):
 *
 *     bb0:                              a block; then its instructions
 *     v0 = Param 0                      argument 0 (rdi)
 *     v1 = Move v0                      also d = a into an existing
 *     v1 = Move 5                         register (JitLir_MoveTo)
 *     v2 = Load v0+16, 8                size 1, 2, 4 or 8; v0-8, v0 too
 *     Store v0+16, v2, 8                [v0+16] = v2 (or an immediate)
 *     v3 = Add v1, 5                    Add Sub Mul And Or Xor Shl Sar
 *     v4 = Cmp lt v1, v2                eq ne lt le gt ge ult ule ugt uge
 *     v5 = AddOvf v1, v2, bb3           AddOvf SubOvf MulOvf: bb3 on
 *                                         signed overflow
 *     v6 = Call 0x401000, v1, 7         target (immediate or register)
 *     Call v3                             then 0..6 arguments; no "d ="
 *                                         when the result is not wanted
 *     Incref v0
 *     Decref v0, 0x4a0000               the dealloc function's address
 *     XDecref v0, 0x4a0000
 *     Jump bb1
 *     Branch ult v1, 10, bb2, bb3       to bb2 if v1 <u 10, else bb3
 *     Ret v3
 *
 * Registers are vN, blocks bbN, immediates decimal (-5) or hex (0x1f,
 * -0x10; up to 64 bits, taken modulo 2**64).  JitLir_Text prints call
 * targets and dealloc addresses in hex, other immediates in decimal; after
 * JitLir_Allocate every register carries its location, `v3:rbx` or
 * `v5:[rsp+8]` (a spill slot; rsp as it is in the function's body), and a
 * header line `# frame: N spill slots, registers ...`.  JitLir_Parse reads
 * the form without locations (it skips a `:location` after a register, so
 * it also reads printed allocated text back).  Block labels may come in any
 * order and a block may be named before it is defined; the parsed JitLir
 * has blocks 0..max and registers 0..max of those named.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lir_internal.h"

const char *const _JitLir_RegNames[16] = {
    "rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
    "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15",
};

static const char *const op_names[] = {
#define JIT_LIR_NAME(name) #name,
    JIT_LIR_OPS(JIT_LIR_NAME)
#undef JIT_LIR_NAME
};

static const char *const cond_names[] = {
#define JIT_LIR_COND_NAME(name, text) text,
    JIT_LIR_CONDS(JIT_LIR_COND_NAME)
#undef JIT_LIR_COND_NAME
};
#define NCONDS ((int)(sizeof(cond_names) / sizeof(cond_names[0])))

/* --- construction --------------------------------------------------------- */

JitLir *
JitLir_New(void)
{
    JitLir *lir = calloc(1, sizeof(JitLir));
    if (lir != NULL) {
        lir->current = -1;
    }
    return lir;
}

void
JitLir_Free(JitLir *lir)
{
    if (lir == NULL) {
        return;
    }
    for (int i = 0; i < lir->nblocks; i++) {
        JitLirBlock *b = &lir->blocks[i];
        for (int k = 0; k < b->count; k++) {
            free(b->instrs[k].args);
        }
        free(b->instrs);
    }
    free(lir->blocks);
    free(lir->locs);
    free(lir->order);
    free(lir);
}

int
JitLir_NewBlock(JitLir *lir)
{
    if (lir->nblocks == lir->blocks_cap) {
        int cap = lir->blocks_cap ? lir->blocks_cap * 2 : 8;
        JitLirBlock *b = realloc(lir->blocks, cap * sizeof(JitLirBlock));
        if (b == NULL) {
            lir->failed = 1;
            return -1;
        }
        lir->blocks = b;
        lir->blocks_cap = cap;
    }
    JitLirBlock *b = &lir->blocks[lir->nblocks];
    b->instrs = NULL;
    b->count = b->cap = 0;
    return lir->nblocks++;
}

void
JitLir_SetBlock(JitLir *lir, int block)
{
    lir->current = (block >= 0 && block < lir->nblocks) ? block : -1;
}

int
JitLir_CurrentBlock(const JitLir *lir)
{
    return lir->current;
}

int
JitLir_NewVReg(JitLir *lir)
{
    return lir->nvregs++;
}

int
JitLir_InstrCount(const JitLir *lir)
{
    int n = 0;
    for (int b = 0; b < lir->nblocks; b++) {
        n += lir->blocks[b].count;
    }
    return n;
}

long long
JitLir_Work(const JitLir *lir)
{
    return lir->work;
}

int
JitLir_Failed(const JitLir *lir)
{
    return lir->failed;
}

JitLirInstr *
_JitLir_Append(JitLir *lir, JitLirOp op)
{
    if (lir->current < 0) {
        lir->failed = 1;
        return NULL;
    }
    JitLirBlock *b = &lir->blocks[lir->current];
    if (b->count == b->cap) {
        int cap = b->cap ? b->cap * 2 : 4;
        JitLirInstr *in = realloc(b->instrs, cap * sizeof(JitLirInstr));
        if (in == NULL) {
            lir->failed = 1;
            return NULL;
        }
        b->instrs = in;
        b->cap = cap;
    }
    JitLirInstr *in = &b->instrs[b->count++];
    memset(in, 0, sizeof(*in));
    in->op = (uint8_t)op;
    in->d = -1;
    in->target = in->target2 = -1;
    return in;
}

/* An instruction with a fresh destination register; its number or -1. */
static int
append_def(JitLir *lir, JitLirOp op, JitLirInstr **out)
{
    JitLirInstr *in = _JitLir_Append(lir, op);
    *out = in;
    if (in == NULL) {
        return -1;
    }
    in->d = JitLir_NewVReg(lir);
    return in->d;
}

int
JitLir_Param(JitLir *lir, int index)
{
    JitLirInstr *in;
    int d = append_def(lir, JitLirOp_Param, &in);
    if (in) {
        in->imm = index;
    }
    return d;
}

int
JitLir_Move(JitLir *lir, JitLirOpnd a)
{
    JitLirInstr *in;
    int d = append_def(lir, JitLirOp_Move, &in);
    if (in) {
        in->a = a;
    }
    return d;
}

void
JitLir_MoveTo(JitLir *lir, int d, JitLirOpnd a)
{
    JitLirInstr *in = _JitLir_Append(lir, JitLirOp_Move);
    if (in) {
        in->d = d;
        in->a = a;
    }
}

int
JitLir_Load(JitLir *lir, int base, int32_t disp, int size)
{
    JitLirInstr *in;
    int d = append_def(lir, JitLirOp_Load, &in);
    if (in) {
        in->a = JitLir_R(base);
        in->imm = disp;
        in->size = (uint8_t)size;
    }
    return d;
}

void
JitLir_Store(JitLir *lir, int base, int32_t disp, JitLirOpnd value, int size)
{
    JitLirInstr *in = _JitLir_Append(lir, JitLirOp_Store);
    if (in) {
        in->a = JitLir_R(base);
        in->b = value;
        in->imm = disp;
        in->size = (uint8_t)size;
    }
}

int
JitLir_BinOp(JitLir *lir, JitLirOp op, JitLirOpnd a, JitLirOpnd b)
{
    JitLirInstr *in;
    int d = append_def(lir, op, &in);
    if (in) {
        in->a = a;
        in->b = b;
    }
    return d;
}

int
JitLir_Cmp(JitLir *lir, JitLirCond cond, JitLirOpnd a, JitLirOpnd b)
{
    JitLirInstr *in;
    int d = append_def(lir, JitLirOp_Cmp, &in);
    if (in) {
        in->cond = (uint8_t)cond;
        in->a = a;
        in->b = b;
    }
    return d;
}

int
JitLir_OvfOp(JitLir *lir, JitLirOp op, JitLirOpnd a, JitLirOpnd b,
             int overflow_block)
{
    JitLirInstr *in;
    int d = append_def(lir, op, &in);
    if (in) {
        in->a = a;
        in->b = b;
        in->target = overflow_block;
    }
    return d;
}

int
JitLir_Call(JitLir *lir, JitLirOpnd target, const JitLirOpnd *args,
            int nargs, int want_result)
{
    JitLirInstr *in = _JitLir_Append(lir, JitLirOp_Call);
    if (in == NULL) {
        return -1;
    }
    in->a = target;
    in->args = calloc(JIT_LIR_MAX_ARGS, sizeof(JitLirOpnd));
    if (in->args == NULL) {
        lir->failed = 1;
        return -1;
    }
    if (nargs < 0 || nargs > JIT_LIR_MAX_ARGS) {
        /* JitLir_Allocate reports it */
        in->nargs = 0xff;
        nargs = 0;
    }
    else {
        in->nargs = (uint8_t)nargs;
    }
    for (int i = 0; i < nargs; i++) {
        in->args[i] = args[i];
    }
    if (want_result) {
        in->d = JitLir_NewVReg(lir);
    }
    return in->d;
}

static void
append_ref(JitLir *lir, JitLirOp op, int obj, uint64_t dealloc)
{
    JitLirInstr *in = _JitLir_Append(lir, op);
    if (in) {
        in->a = JitLir_R(obj);
        in->imm = (int64_t)dealloc;
    }
}

void
JitLir_Incref(JitLir *lir, int obj)
{
    append_ref(lir, JitLirOp_Incref, obj, 0);
}

void
JitLir_Decref(JitLir *lir, int obj, uint64_t dealloc)
{
    append_ref(lir, JitLirOp_Decref, obj, dealloc);
}

void
JitLir_XDecref(JitLir *lir, int obj, uint64_t dealloc)
{
    append_ref(lir, JitLirOp_XDecref, obj, dealloc);
}

void
JitLir_Jump(JitLir *lir, int target)
{
    JitLirInstr *in = _JitLir_Append(lir, JitLirOp_Jump);
    if (in) {
        in->target = target;
    }
}

void
JitLir_Branch(JitLir *lir, JitLirCond cond, JitLirOpnd a, JitLirOpnd b,
              int target, int target2)
{
    JitLirInstr *in = _JitLir_Append(lir, JitLirOp_Branch);
    if (in) {
        in->cond = (uint8_t)cond;
        in->a = a;
        in->b = b;
        in->target = target;
        in->target2 = target2;
    }
}

void
JitLir_Ret(JitLir *lir, JitLirOpnd a)
{
    JitLirInstr *in = _JitLir_Append(lir, JitLirOp_Ret);
    if (in) {
        in->a = a;
    }
}

/* --- text ----------------------------------------------------------------- */

typedef struct {
    char *data;
    size_t len, cap;
    int failed;
} Buf;

static void
buf_printf(Buf *b, const char *fmt, ...)
{
    if (b->failed) {
        return;
    }
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        size_t room = b->cap - b->len;
        int n = vsnprintf(b->data ? b->data + b->len : NULL, room, fmt, ap);
        va_end(ap);
        if (n < 0) {
            b->failed = 1;
            return;
        }
        if ((size_t)n < room) {
            b->len += (size_t)n;
            return;
        }
        size_t cap = b->cap ? b->cap * 2 : 1024;
        while (cap - b->len <= (size_t)n) {
            cap *= 2;
        }
        char *data = realloc(b->data, cap);
        if (data == NULL) {
            b->failed = 1;
            return;
        }
        b->data = data;
        b->cap = cap;
    }
}

static void
print_vreg(Buf *b, const JitLir *lir, int64_t v)
{
    buf_printf(b, "v%lld", (long long)v);
    if (!lir->allocated || v < 0 || v >= lir->nvregs) {
        return;
    }
    const JitLirLoc *loc = &lir->locs[v];
    if (loc->kind == JitLirLoc_REG) {
        buf_printf(b, ":%s", _JitLir_RegNames[loc->reg]);
    }
    else if (loc->kind == JitLirLoc_STACK) {
        buf_printf(b, ":[rsp+%d]", (int)loc->slot * 8);
    }
}

static void
print_opnd(Buf *b, const JitLir *lir, JitLirOpnd o, int hex)
{
    if (!o.is_imm) {
        print_vreg(b, lir, o.value);
    }
    else if (hex) {
        if (o.value < 0) {
            buf_printf(b, "-0x%llx", (unsigned long long)-(uint64_t)o.value);
        }
        else {
            buf_printf(b, "0x%llx", (unsigned long long)o.value);
        }
    }
    else {
        buf_printf(b, "%lld", (long long)o.value);
    }
}

static void
print_mem(Buf *b, const JitLir *lir, const JitLirInstr *in)
{
    print_opnd(b, lir, in->a, 0);
    buf_printf(b, "%s%lld", in->imm < 0 ? "" : "+", (long long)in->imm);
}

static void
print_instr(Buf *b, const JitLir *lir, const JitLirInstr *in)
{
    buf_printf(b, "    ");
    if (in->d >= 0) {
        print_vreg(b, lir, in->d);
        buf_printf(b, " = ");
    }
    const char *name = in->op < JitLirOp_COUNT ? op_names[in->op] : "?";
    buf_printf(b, "%s", name);
    switch ((JitLirOp)in->op) {
    case JitLirOp_Param:
        buf_printf(b, " %lld", (long long)in->imm);
        break;
    case JitLirOp_Move:
    case JitLirOp_Incref:
    case JitLirOp_Ret:
        buf_printf(b, " ");
        print_opnd(b, lir, in->a, 0);
        break;
    case JitLirOp_Load:
        buf_printf(b, " ");
        print_mem(b, lir, in);
        buf_printf(b, ", %d", in->size);
        break;
    case JitLirOp_Store:
        buf_printf(b, " ");
        print_mem(b, lir, in);
        buf_printf(b, ", ");
        print_opnd(b, lir, in->b, 0);
        buf_printf(b, ", %d", in->size);
        break;
    case JitLirOp_Add: case JitLirOp_Sub: case JitLirOp_Mul:
    case JitLirOp_And: case JitLirOp_Or: case JitLirOp_Xor:
    case JitLirOp_Shl: case JitLirOp_Sar:
    case JitLirOp_AddOvf: case JitLirOp_SubOvf: case JitLirOp_MulOvf:
        buf_printf(b, " ");
        print_opnd(b, lir, in->a, 0);
        buf_printf(b, ", ");
        print_opnd(b, lir, in->b, 0);
        if (in->op == JitLirOp_AddOvf || in->op == JitLirOp_SubOvf ||
            in->op == JitLirOp_MulOvf) {
            buf_printf(b, ", bb%d", in->target);
        }
        break;
    case JitLirOp_Cmp:
    case JitLirOp_Branch:
        buf_printf(b, " %s ", in->cond < NCONDS ? cond_names[in->cond] : "?");
        print_opnd(b, lir, in->a, 0);
        buf_printf(b, ", ");
        print_opnd(b, lir, in->b, 0);
        if (in->op == JitLirOp_Branch) {
            buf_printf(b, ", bb%d, bb%d", in->target, in->target2);
        }
        break;
    case JitLirOp_Call:
        buf_printf(b, " ");
        print_opnd(b, lir, in->a, 1);
        for (int i = 0; i < in->nargs && i < JIT_LIR_MAX_ARGS; i++) {
            buf_printf(b, ", ");
            print_opnd(b, lir, in->args[i], 0);
        }
        break;
    case JitLirOp_Decref:
    case JitLirOp_XDecref:
        buf_printf(b, " ");
        print_opnd(b, lir, in->a, 0);
        buf_printf(b, ", ");
        print_opnd(b, lir, JitLir_I(in->imm), 1);
        break;
    case JitLirOp_Jump:
        buf_printf(b, " bb%d", in->target);
        break;
    default:
        break;
    }
    buf_printf(b, "\n");
}

char *
JitLir_Text(const JitLir *lir)
{
    Buf b = {NULL, 0, 0, 0};
    buf_printf(&b, "");
    if (lir->allocated) {
        buf_printf(&b, "# frame: %d spill slots, registers", lir->nslots);
        for (int r = 0; r < 16; r++) {
            if (lir->used_regs & (1u << r)) {
                buf_printf(&b, " %s", _JitLir_RegNames[r]);
            }
        }
        buf_printf(&b, "\n");
    }
    for (int i = 0; i < lir->nblocks; i++) {
        buf_printf(&b, "bb%d:\n", i);
        const JitLirBlock *blk = &lir->blocks[i];
        for (int j = 0; j < blk->count; j++) {
            print_instr(&b, lir, &blk->instrs[j]);
        }
    }
    if (b.failed) {
        free(b.data);
        return NULL;
    }
    return b.data;
}

/* --- parser --------------------------------------------------------------- */

typedef struct {
    const char *p;          /* position in the current line */
    const char *end;        /* end of the line (comment excluded) */
    int line;
    char *err;
    size_t err_size;
    int error;              /* an error was reported */
    JitLir *lir;
    char *defined;          /* per block: its label was seen */
    int defined_cap;
} Parser;

static int
perror_at(Parser *ps, const char *fmt, ...)
{
    if (ps->error) {
        return -1;
    }
    ps->error = 1;
    int n = snprintf(ps->err, ps->err_size, "line %d: ", ps->line);
    if (n < 0 || (size_t)n >= ps->err_size) {
        return -1;
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ps->err + n, ps->err_size - n, fmt, ap);
    va_end(ap);
    return -1;
}

static void
skip_space(Parser *ps)
{
    while (ps->p < ps->end && isspace((unsigned char)*ps->p)) {
        ps->p++;
    }
}

/* A short quote of what is at the cursor, for messages. */
static const char *
found(Parser *ps, char *buf, size_t size)
{
    skip_space(ps);
    if (ps->p >= ps->end) {
        return "the end of the line";
    }
    size_t n = 0;
    const char *q = ps->p;
    buf[n++] = '\'';
    while (q < ps->end && !isspace((unsigned char)*q) && *q != ',' &&
           n + 2 < size) {
        buf[n++] = *q++;
    }
    if (q == ps->p) {
        buf[n++] = *q;
    }
    buf[n++] = '\'';
    buf[n] = '\0';
    return buf;
}

static int
expected(Parser *ps, const char *what)
{
    char buf[40];
    return perror_at(ps, "expected %s, found %s", what,
                     found(ps, buf, sizeof(buf)));
}

static int
accept_char(Parser *ps, char c)
{
    skip_space(ps);
    if (ps->p < ps->end && *ps->p == c) {
        ps->p++;
        return 1;
    }
    return 0;
}

static int
expect_char(Parser *ps, char c, const char *what)
{
    return accept_char(ps, c) ? 0 : expected(ps, what);
}

/* An identifier-like word at the cursor: [A-Za-z_][A-Za-z0-9_]*. */
static size_t
word_len(Parser *ps)
{
    const char *q = ps->p;
    while (q < ps->end && (isalnum((unsigned char)*q) || *q == '_')) {
        q++;
    }
    return (size_t)(q - ps->p);
}

/* A decimal number right at the cursor (no sign): 0 or -1. */
static int
parse_index(Parser *ps, long *out)
{
    if (ps->p >= ps->end || !isdigit((unsigned char)*ps->p)) {
        return -1;
    }
    long v = 0;
    while (ps->p < ps->end && isdigit((unsigned char)*ps->p)) {
        v = v * 10 + (*ps->p - '0');
        if (v > 1000000000L) {
            return -1;
        }
        ps->p++;
    }
    *out = v;
    return 0;
}

static int
is_prefix(Parser *ps, const char *prefix)
{
    size_t n = strlen(prefix);
    return (size_t)(ps->end - ps->p) > n && strncmp(ps->p, prefix, n) == 0 &&
           isdigit((unsigned char)ps->p[n]);
}

/* Skip a location printed after a register: ":rbx" or ":[rsp+8]". */
static void
skip_location(Parser *ps)
{
    if (ps->p < ps->end && *ps->p == ':') {
        ps->p++;
        if (ps->p < ps->end && *ps->p == '[') {
            while (ps->p < ps->end && *ps->p != ']') {
                ps->p++;
            }
            if (ps->p < ps->end) {
                ps->p++;
            }
        }
        else {
            ps->p += word_len(ps);
        }
    }
}

static int
parse_vreg(Parser *ps, int *out)
{
    long v;
    skip_space(ps);
    if (!is_prefix(ps, "v")) {
        return expected(ps, "a register (vN)");
    }
    ps->p++;
    if (parse_index(ps, &v) < 0) {
        return expected(ps, "a register number");
    }
    if (v >= ps->lir->nvregs) {
        ps->lir->nvregs = (int)v + 1;
    }
    *out = (int)v;
    skip_location(ps);
    return 0;
}

static int
ensure_block(Parser *ps, long n)
{
    if (n > 100000) {
        return perror_at(ps, "block number bb%ld is too large", n);
    }
    while (ps->lir->nblocks <= n) {
        if (JitLir_NewBlock(ps->lir) < 0) {
            return perror_at(ps, "out of memory");
        }
    }
    if (ps->defined_cap <= n) {
        int cap = (int)n * 2 + 8;
        char *d = realloc(ps->defined, cap);
        if (d == NULL) {
            return perror_at(ps, "out of memory");
        }
        memset(d + ps->defined_cap, 0, cap - ps->defined_cap);
        ps->defined = d;
        ps->defined_cap = cap;
    }
    return 0;
}

static int
parse_block(Parser *ps, int *out)
{
    long n;
    skip_space(ps);
    if (!is_prefix(ps, "bb")) {
        return expected(ps, "a block (bbN)");
    }
    ps->p += 2;
    if (parse_index(ps, &n) < 0 || ensure_block(ps, n) < 0) {
        return -1;
    }
    *out = (int)n;
    return 0;
}

static int
parse_imm(Parser *ps, int64_t *out)
{
    skip_space(ps);
    const char *q = ps->p;
    int neg = 0;
    if (q < ps->end && (*q == '-' || *q == '+')) {
        neg = *q == '-';
        q++;
    }
    if (q >= ps->end || !isdigit((unsigned char)*q)) {
        return expected(ps, "an immediate");
    }
    int base = 10;
    if (q + 1 < ps->end && q[0] == '0' && (q[1] == 'x' || q[1] == 'X')) {
        base = 16;
        q += 2;
    }
    uint64_t v = 0;
    int digits = 0;
    while (q < ps->end) {
        int c = (unsigned char)*q, dv;
        if (isdigit(c)) {
            dv = c - '0';
        }
        else if (base == 16 && isxdigit(c)) {
            dv = tolower(c) - 'a' + 10;
        }
        else {
            break;
        }
        if (v > (UINT64_MAX - (uint64_t)dv) / (uint64_t)base) {
            return perror_at(ps, "immediate does not fit in 64 bits");
        }
        v = v * (uint64_t)base + (uint64_t)dv;
        digits++;
        q++;
    }
    if (digits == 0 || (q < ps->end && (isalnum((unsigned char)*q) ||
                                        *q == '_'))) {
        return expected(ps, "an immediate");
    }
    ps->p = q;
    *out = (int64_t)(neg ? (uint64_t)0 - v : v);
    return 0;
}

/* A register or an immediate. */
static int
parse_opnd(Parser *ps, JitLirOpnd *out)
{
    skip_space(ps);
    if (is_prefix(ps, "v")) {
        int v;
        if (parse_vreg(ps, &v) < 0) {
            return -1;
        }
        *out = JitLir_R(v);
        return 0;
    }
    if (ps->p < ps->end && (isdigit((unsigned char)*ps->p) ||
                            *ps->p == '-' || *ps->p == '+')) {
        int64_t imm;
        if (parse_imm(ps, &imm) < 0) {
            return -1;
        }
        *out = JitLir_I(imm);
        return 0;
    }
    return expected(ps, "a register (vN) or an immediate");
}

static int
parse_comma(Parser *ps)
{
    return expect_char(ps, ',', "','");
}

static int
parse_cond(Parser *ps, uint8_t *out)
{
    skip_space(ps);
    size_t n = word_len(ps);
    for (int c = 0; c < NCONDS; c++) {
        if (strlen(cond_names[c]) == n && strncmp(ps->p, cond_names[c], n) == 0) {
            ps->p += n;
            *out = (uint8_t)c;
            return 0;
        }
    }
    return expected(ps, "a condition (eq ne lt le gt ge ult ule ugt uge)");
}

static int
parse_size(Parser *ps, uint8_t *out)
{
    int64_t size;
    char buf[40];
    const char *what = found(ps, buf, sizeof(buf));
    if (parse_imm(ps, &size) < 0) {
        return -1;
    }
    if (size != 1 && size != 2 && size != 4 && size != 8) {
        ps->error = 0;
        return perror_at(ps, "expected a size (1, 2, 4 or 8), found %s",
                         what);
    }
    *out = (uint8_t)size;
    return 0;
}

/* base+disp, base-disp or base. */
static int
parse_mem(Parser *ps, JitLirInstr *in)
{
    int base;
    if (parse_vreg(ps, &base) < 0) {
        return -1;
    }
    in->a = JitLir_R(base);
    in->imm = 0;
    skip_space(ps);
    if (ps->p < ps->end && (*ps->p == '+' || *ps->p == '-')) {
        int64_t disp;
        if (parse_imm(ps, &disp) < 0) {
            return -1;
        }
        if (disp < INT32_MIN || disp > INT32_MAX) {
            return perror_at(ps, "displacement does not fit in 32 bits");
        }
        in->imm = disp;
    }
    return 0;
}

static int
parse_instr(Parser *ps)
{
    JitLir *lir = ps->lir;
    int d = -1;
    skip_space(ps);
    const char *start = ps->p;
    if (is_prefix(ps, "v")) {
        if (parse_vreg(ps, &d) < 0 || expect_char(ps, '=', "'='") < 0) {
            return -1;
        }
    }
    skip_space(ps);
    size_t n = word_len(ps);
    int op = -1;
    for (int i = 0; i < JitLirOp_COUNT; i++) {
        if (strlen(op_names[i]) == n && strncmp(ps->p, op_names[i], n) == 0) {
            op = i;
        }
    }
    if (op < 0) {
        return expected(ps, d < 0 ? "an instruction or a block label (bbN:)"
                                  : "an operation");
    }
    ps->p += n;
    int has_result = op != JitLirOp_Store && op != JitLirOp_Incref &&
                     op != JitLirOp_Decref && op != JitLirOp_XDecref &&
                     op != JitLirOp_Jump && op != JitLirOp_Branch &&
                     op != JitLirOp_Ret;
    if (d >= 0 && !has_result) {
        ps->p = start;
        return perror_at(ps, "%s has no result: expected no 'vN ='",
                         op_names[op]);
    }
    if (d < 0 && has_result && op != JitLirOp_Call) {
        ps->p = start;
        return perror_at(ps, "%s needs a result: expected 'vN = %s ...'",
                         op_names[op], op_names[op]);
    }
    if (lir->current < 0) {
        ps->p = start;
        return perror_at(ps, "expected a block label (bbN:) before the "
                             "first instruction");
    }
    JitLirInstr *in = _JitLir_Append(lir, (JitLirOp)op);
    if (in == NULL) {
        return perror_at(ps, "out of memory");
    }
    in->d = d;
    int64_t imm;
    switch ((JitLirOp)op) {
    case JitLirOp_Param:
        if (parse_imm(ps, &imm) < 0) {
            return -1;
        }
        if (imm < 0 || imm >= JIT_LIR_MAX_ARGS) {
            return perror_at(ps, "expected an argument number 0..5");
        }
        in->imm = imm;
        break;
    case JitLirOp_Move:
    case JitLirOp_Ret:
        if (parse_opnd(ps, &in->a) < 0) {
            return -1;
        }
        break;
    case JitLirOp_Incref:
        if (parse_vreg(ps, &d) < 0) {
            return -1;
        }
        in->a = JitLir_R(d);
        break;
    case JitLirOp_Load:
        if (parse_mem(ps, in) < 0 || parse_comma(ps) < 0 ||
            parse_size(ps, &in->size) < 0) {
            return -1;
        }
        break;
    case JitLirOp_Store:
        if (parse_mem(ps, in) < 0 || parse_comma(ps) < 0 ||
            parse_opnd(ps, &in->b) < 0 || parse_comma(ps) < 0 ||
            parse_size(ps, &in->size) < 0) {
            return -1;
        }
        break;
    case JitLirOp_Add: case JitLirOp_Sub: case JitLirOp_Mul:
    case JitLirOp_And: case JitLirOp_Or: case JitLirOp_Xor:
    case JitLirOp_Shl: case JitLirOp_Sar:
    case JitLirOp_AddOvf: case JitLirOp_SubOvf: case JitLirOp_MulOvf:
        if (parse_opnd(ps, &in->a) < 0 || parse_comma(ps) < 0 ||
            parse_opnd(ps, &in->b) < 0) {
            return -1;
        }
        if (op == JitLirOp_AddOvf || op == JitLirOp_SubOvf ||
            op == JitLirOp_MulOvf) {
            if (parse_comma(ps) < 0 || parse_block(ps, &in->target) < 0) {
                return -1;
            }
        }
        break;
    case JitLirOp_Cmp:
    case JitLirOp_Branch:
        if (parse_cond(ps, &in->cond) < 0 || parse_opnd(ps, &in->a) < 0 ||
            parse_comma(ps) < 0 || parse_opnd(ps, &in->b) < 0) {
            return -1;
        }
        if (op == JitLirOp_Branch) {
            if (parse_comma(ps) < 0 || parse_block(ps, &in->target) < 0 ||
                parse_comma(ps) < 0 || parse_block(ps, &in->target2) < 0) {
                return -1;
            }
        }
        break;
    case JitLirOp_Call:
        in->args = calloc(JIT_LIR_MAX_ARGS, sizeof(JitLirOpnd));
        if (in->args == NULL) {
            return perror_at(ps, "out of memory");
        }
        if (parse_opnd(ps, &in->a) < 0) {
            return -1;
        }
        while (accept_char(ps, ',')) {
            if (in->nargs == JIT_LIR_MAX_ARGS) {
                return perror_at(ps, "a call takes at most %d arguments",
                                 JIT_LIR_MAX_ARGS);
            }
            if (parse_opnd(ps, &in->args[in->nargs]) < 0) {
                return -1;
            }
            in->nargs++;
        }
        break;
    case JitLirOp_Decref:
    case JitLirOp_XDecref:
        if (parse_vreg(ps, &d) < 0 || parse_comma(ps) < 0 ||
            parse_imm(ps, &in->imm) < 0) {
            return -1;
        }
        in->a = JitLir_R(d);
        break;
    case JitLirOp_Jump:
        if (parse_block(ps, &in->target) < 0) {
            return -1;
        }
        break;
    default:
        return perror_at(ps, "unknown operation");
    }
    skip_space(ps);
    if (ps->p < ps->end) {
        return expected(ps, "the end of the line");
    }
    return 0;
}

JitLir *
JitLir_Parse(const char *text, char *err, size_t err_size)
{
    Parser ps;
    memset(&ps, 0, sizeof(ps));
    ps.err = err;
    ps.err_size = err_size;
    if (err_size > 0) {
        err[0] = '\0';
    }
    ps.lir = JitLir_New();
    if (ps.lir == NULL) {
        snprintf(err, err_size, "out of memory");
        return NULL;
    }
    const char *line = text;
    while (*line != '\0' && !ps.error) {
        ps.line++;
        const char *eol = strchr(line, '\n');
        if (eol == NULL) {
            eol = line + strlen(line);
        }
        const char *end = line;
        while (end < eol && *end != '#' && *end != ';') {
            end++;
        }
        ps.p = line;
        ps.end = end;
        skip_space(&ps);
        if (ps.p < ps.end) {
            long n;
            if (is_prefix(&ps, "bb")) {
                const char *save = ps.p;
                ps.p += 2;
                if (parse_index(&ps, &n) == 0 && accept_char(&ps, ':')) {
                    skip_space(&ps);
                    if (ps.p < ps.end) {
                        expected(&ps, "the end of the line after the label");
                    }
                    else if (ensure_block(&ps, n) == 0) {
                        if (ps.defined[n]) {
                            perror_at(&ps, "block bb%ld is defined twice", n);
                        }
                        ps.defined[n] = 1;
                        JitLir_SetBlock(ps.lir, (int)n);
                    }
                }
                else {
                    ps.p = save;
                    expected(&ps, "a block label (bbN:) or an instruction");
                }
            }
            else {
                parse_instr(&ps);
            }
        }
        line = *eol ? eol + 1 : eol;
    }
    if (!ps.error) {
        if (ps.lir->nblocks == 0) {
            snprintf(err, err_size, "line %d: expected a block (bb0:)",
                     ps.line);
            ps.error = 1;
        }
        for (int i = 0; i < ps.lir->nblocks && !ps.error; i++) {
            if (!ps.defined[i]) {
                snprintf(err, err_size, "block bb%d is used but never "
                         "defined", i);
                ps.error = 1;
            }
        }
    }
    free(ps.defined);
    if (ps.error) {
        JitLir_Free(ps.lir);
        return NULL;
    }
    ps.lir->current = -1;
    return ps.lir;
}
