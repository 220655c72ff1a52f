/* LIR: the JIT's low-level intermediate representation, one x86-64-ish
 * operation per instruction on an unbounded set of 64-bit virtual
 * registers, in basic blocks.  The HIR lowering (Jit/hir_lower.c) builds it
 * through the functions below; Jit/regalloc.c assigns machine registers and
 * stack slots (linear scan with spilling); Jit/emit.c turns the result into
 * machine code through Jit/asm.h.
 *
 * Data: a JitLir owns its blocks, their instructions, the virtual register
 * count and, after allocation, the location of every virtual register.
 * Nothing in it refers to Python objects; addresses are plain integers.
 *
 * The function that a JitLir describes is a C function of the System V
 * x86-64 ABI with up to six integer arguments (read with JitLirOp_Param in
 * the entry block) and an integer result (JitLirOp_Ret).  Block 0 is the
 * entry.  Every block ends with exactly one terminator (Jump, Branch, Ret);
 * nothing follows it.
 *
 * Plain C: no Python.h.
 */
#ifndef EMBER_JIT_LIR_H
#define EMBER_JIT_LIR_H

#include <stddef.h>
#include <stdint.h>

/* The operations.  d is the destination virtual register, a/b/c are
 * operands (a virtual register or an immediate; where the text says
 * "register" an immediate is not allowed), imm is the instruction's own
 * integer field, size is 1, 2, 4 or 8 (bytes). */
#define JIT_LIR_OPS(X) \
    X(Param)    /* d = integer argument number imm (0..5) */ \
    X(Move)     /* d = a */ \
    X(Load)     /* d = zero-extended size bytes at [register a + imm] */ \
    X(Store)    /* size bytes at [register a + imm] = b (an immediate b \
                   must fit in 32 bits, sign-extended) */ \
    X(Add)      /* d = a + b (wrapping) */ \
    X(Sub)      /* d = a - b */ \
    X(Mul)      /* d = a * b (low 64 bits, signed) */ \
    X(And)      /* d = a & b */ \
    X(Or)       /* d = a | b */ \
    X(Xor)      /* d = a ^ b */ \
    X(Shl)      /* d = a << b (b an immediate 0..63) */ \
    X(Sar)      /* d = a >> b, arithmetic (b an immediate 0..63) */ \
    X(Cmp)      /* d = (a cond b) ? 1 : 0 */ \
    X(AddOvf)   /* d = a + b; branch to block target if it overflowed \
                   (signed); else go on.  Not a terminator. */ \
    X(SubOvf)   /* d = a - b; likewise */ \
    X(MulOvf)   /* d = a * b; likewise */ \
    X(Call)     /* d (optional, -1: none) = call of the C function at \
                   address a (immediate or register) with nargs arguments \
                   args[0..]; caller-saved registers are clobbered */ \
    X(Incref)   /* Py_INCREF of the object in register a (Ember's immortal \
                   objects: nothing when the top byte of the 8-byte count \
                   at [a] is non-zero, else add 1) */ \
    X(Decref)   /* Py_DECREF of the object in register a: nothing when \
                   immortal, else subtract 1 and, at 0, call the C \
                   function at address imm (_Py_Dealloc) with a */ \
    X(XDecref)  /* like Decref, nothing when a is 0 (NULL) */ \
    X(Jump)     /* terminator: go to block target */ \
    X(Branch)   /* terminator: if (a cond b) go to block target, else to \
                   block target2 */ \
    X(Ret)      /* terminator: return a from the function */

typedef enum {
#define JIT_LIR_ENUM(name) JitLirOp_##name,
    JIT_LIR_OPS(JIT_LIR_ENUM)
#undef JIT_LIR_ENUM
    JitLirOp_COUNT
} JitLirOp;

/* Conditions of Cmp and Branch: signed and unsigned comparisons. */
#define JIT_LIR_CONDS(X) \
    X(EQ, "eq") X(NE, "ne") \
    X(LT, "lt") X(LE, "le") X(GT, "gt") X(GE, "ge") \
    X(ULT, "ult") X(ULE, "ule") X(UGT, "ugt") X(UGE, "uge")

typedef enum {
#define JIT_LIR_COND_ENUM(name, text) JitLirCond_##name,
    JIT_LIR_CONDS(JIT_LIR_COND_ENUM)
#undef JIT_LIR_COND_ENUM
} JitLirCond;

/* An operand: a virtual register or a 64-bit immediate. */
typedef struct {
    uint8_t is_imm;
    int64_t value;      /* the register number, or the immediate */
} JitLirOpnd;

static inline JitLirOpnd
JitLir_R(int vreg)
{
    JitLirOpnd o;
    o.is_imm = 0;
    o.value = vreg;
    return o;
}

static inline JitLirOpnd
JitLir_I(int64_t imm)
{
    JitLirOpnd o;
    o.is_imm = 1;
    o.value = imm;
    return o;
}

#define JIT_LIR_MAX_ARGS 6

typedef struct JitLir JitLir;

JitLir *JitLir_New(void);
void JitLir_Free(JitLir *lir);

/* A new empty block; its number (the entry is 0, the first created). */
int JitLir_NewBlock(JitLir *lir);
/* Instructions are appended to this block from now on. */
void JitLir_SetBlock(JitLir *lir, int block);
/* The block instructions are being appended to. */
int JitLir_CurrentBlock(const JitLir *lir);
/* A fresh virtual register. */
int JitLir_NewVReg(JitLir *lir);

/* Append instructions to the current block.  Those with a result return
 * a fresh virtual register holding it (or -1 when out of memory: the
 * JitLir then remembers the failure and JitLir_Failed() says so). */
int JitLir_Param(JitLir *lir, int index);
int JitLir_Move(JitLir *lir, JitLirOpnd a);
/* d = a, d an existing register: for values that meet at a join, each
 * predecessor moves into the same register before its Jump. */
void JitLir_MoveTo(JitLir *lir, int d, JitLirOpnd a);
int JitLir_Load(JitLir *lir, int base, int32_t disp, int size);
void JitLir_Store(JitLir *lir, int base, int32_t disp, JitLirOpnd value, int size);
/* Add, Sub, Mul, And, Or, Xor, Shl, Sar. */
int JitLir_BinOp(JitLir *lir, JitLirOp op, JitLirOpnd a, JitLirOpnd b);
int JitLir_Cmp(JitLir *lir, JitLirCond cond, JitLirOpnd a, JitLirOpnd b);
/* AddOvf, SubOvf, MulOvf: the result, and a jump to overflow_block when
 * the signed operation overflows. */
int JitLir_OvfOp(JitLir *lir, JitLirOp op, JitLirOpnd a, JitLirOpnd b,
                 int overflow_block);
/* want_result 0: no destination (returns -1 then, not an error). */
int JitLir_Call(JitLir *lir, JitLirOpnd target, const JitLirOpnd *args,
                int nargs, int want_result);
void JitLir_Incref(JitLir *lir, int obj);
void JitLir_Decref(JitLir *lir, int obj, uint64_t dealloc);
void JitLir_XDecref(JitLir *lir, int obj, uint64_t dealloc);
void JitLir_Jump(JitLir *lir, int target);
void JitLir_Branch(JitLir *lir, JitLirCond cond, JitLirOpnd a, JitLirOpnd b,
                   int target, int target2);
void JitLir_Ret(JitLir *lir, JitLirOpnd a);

/* The number of instructions in all blocks. */
int JitLir_InstrCount(const JitLir *lir);
/* The steps JitLir_Allocate took: a measure of its work, to check that it
 * grows linearly with the function (-X jit-dump-times). */
long long JitLir_Work(const JitLir *lir);

/* Did any call above run out of memory? */
int JitLir_Failed(const JitLir *lir);

/* Print as text (Jit/lir.c documents the form); a malloc'ed string, NULL
 * when out of memory.  After allocation the text shows each register's
 * location. */
char *JitLir_Text(const JitLir *lir);
/* Parse that text (without locations) into a new JitLir; NULL with a
 * message in err (line number and what was expected) on bad input. */
JitLir *JitLir_Parse(const char *text, char *err, size_t err_size);

/* Register allocation (Jit/regalloc.c): 0, or -1 with a message in err. */
int JitLir_Allocate(JitLir *lir, char *err, size_t err_size);

/* Machine code (Jit/emit.c), after JitLir_Allocate.  On success *code is a
 * sealed block of code memory (Jit/code_memory.h, malloc'ed _PyJitCode),
 * *entry the function's address in it, *size the bytes of code; if asm_text
 * is not NULL, *asm_text is a malloc'ed listing of the instructions.  -1
 * with a message in err on failure. */
int JitLir_Emit(JitLir *lir, void **code, void **entry, size_t *size,
                char **asm_text, char *err, size_t err_size);
/* Release what JitLir_Emit returned in *code. */
void JitLir_FreeCode(void *code);

#endif /* EMBER_JIT_LIR_H */
