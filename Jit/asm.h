/* The C interface to the x86-64 assembler (Jit/asm.cpp wraps asmjit's
 * x86::Assembler; it is the only C++ file in the tree).
 *
 * Data: a _PyJitAsm owns one function's worth of machine code while it is
 * being assembled (asmjit's CodeHolder and Assembler), its labels and the
 * message of the last error.  Operands and labels are small values that the
 * caller builds and passes by value; they own nothing.
 *
 * Use: _PyJitAsm_New(); look instruction ids up by name once with
 * _PyJitAsm_InstId() and keep them; _PyJitAsm_Emit() instructions and
 * _PyJitAsm_Bind() labels; _PyJitAsm_Finish() gives an upper bound of the
 * code size; _PyJitAsm_Copy() relocates the code to the address where it
 * will run and writes it there (into memory from Jit/code_memory.h);
 * _PyJitAsm_Free().  Every function that can fail returns 0 on success and
 * -1 on failure, with a message in _PyJitAsm_Error(); no C++ exception ever
 * leaves asm.cpp.
 *
 * Plain C: no Python.h, usable from C and C++.
 */
#ifndef EMBER_JIT_ASM_H
#define EMBER_JIT_ASM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct _PyJitAsm _PyJitAsm;

/* asmjit's instruction id, looked up by name; 0 names no instruction. */
typedef uint32_t _PyJitInstId;
#define _PyJitInst_NONE 0u

typedef struct {
    uint32_t id;
} _PyJitLabel;

/* Register numbers, as the hardware encodes them.  The size of a
 * general-purpose register operand picks rax/eax/al and so on; with size 1,
 * numbers 4-7 are spl/bpl/sil/dil. */
enum {
    _PyJit_RAX, _PyJit_RCX, _PyJit_RDX, _PyJit_RBX,
    _PyJit_RSP, _PyJit_RBP, _PyJit_RSI, _PyJit_RDI,
    _PyJit_R8, _PyJit_R9, _PyJit_R10, _PyJit_R11,
    _PyJit_R12, _PyJit_R13, _PyJit_R14, _PyJit_R15,
    _PyJit_NOREG = 0xff,    /* no base or no index in a memory operand */
};

typedef enum {
    _PyJitOpnd_NONE = 0,
    _PyJitOpnd_GP,      /* reg.id, reg.size 8, 4, 2 or 1 */
    _PyJitOpnd_XMM,     /* reg.id */
    _PyJitOpnd_IMM,     /* imm */
    _PyJitOpnd_MEM,     /* [base + index*scale + disp]; size 0: implied */
    _PyJitOpnd_LABEL,   /* label */
} _PyJitOperandKind;

typedef struct {
    _PyJitOperandKind kind;
    union {
        struct { uint8_t id, size; } reg;
        int64_t imm;
        struct { uint8_t base, index, scale, size; int32_t disp; } mem;
        _PyJitLabel label;
    } u;
} _PyJitOperand;

static inline _PyJitOperand
_PyJitOp_Gp(int id, int size)
{
    _PyJitOperand op;
    op.kind = _PyJitOpnd_GP;
    op.u.reg.id = (uint8_t)id;
    op.u.reg.size = (uint8_t)size;
    return op;
}

static inline _PyJitOperand
_PyJitOp_Xmm(int id)
{
    _PyJitOperand op;
    op.kind = _PyJitOpnd_XMM;
    op.u.reg.id = (uint8_t)id;
    op.u.reg.size = 16;
    return op;
}

static inline _PyJitOperand
_PyJitOp_Imm(int64_t value)
{
    _PyJitOperand op;
    op.kind = _PyJitOpnd_IMM;
    op.u.imm = value;
    return op;
}

/* base and index are register numbers or _PyJit_NOREG; scale 1, 2, 4, 8. */
static inline _PyJitOperand
_PyJitOp_Mem(int base, int index, int scale, int32_t disp, int size)
{
    _PyJitOperand op;
    op.kind = _PyJitOpnd_MEM;
    op.u.mem.base = (uint8_t)base;
    op.u.mem.index = (uint8_t)index;
    op.u.mem.scale = (uint8_t)scale;
    op.u.mem.size = (uint8_t)size;
    op.u.mem.disp = disp;
    return op;
}

static inline _PyJitOperand
_PyJitOp_Label(_PyJitLabel label)
{
    _PyJitOperand op;
    op.kind = _PyJitOpnd_LABEL;
    op.u.label = label;
    return op;
}

#define _PyJitAsm_MAX_OPERANDS 4

/* An assembler for the host (x86-64 only); NULL if out of memory or the host
 * is not x86-64. */
_PyJitAsm *_PyJitAsm_New(void);
void _PyJitAsm_Free(_PyJitAsm *as);

/* The message of the last failure ("" if none). */
const char *_PyJitAsm_Error(const _PyJitAsm *as);

/* The id of the x86-64 instruction called name ("mov", "jnz", "addsd"), or
 * _PyJitInst_NONE.  Needs no assembler: look ids up once and keep them. */
_PyJitInstId _PyJitAsm_InstId(const char *name);

/* Like _PyJitAsm_InstId(), but an unknown name is an error of as. */
int _PyJitAsm_Lookup(_PyJitAsm *as, const char *name, _PyJitInstId *id);

/* Keep a text listing of everything emitted from now on (asmjit's
 * StringLogger: one instruction per line, labels as L<n>:, immediates in
 * hex).  Call it right after _PyJitAsm_New(). */
int _PyJitAsm_EnableListing(_PyJitAsm *as);
/* The listing so far ("" when not enabled); owned by as. */
const char *_PyJitAsm_Listing(const _PyJitAsm *as);

int _PyJitAsm_NewLabel(_PyJitAsm *as, _PyJitLabel *label);
int _PyJitAsm_Bind(_PyJitAsm *as, _PyJitLabel label);

/* Emit one instruction with nops (0 to _PyJitAsm_MAX_OPERANDS) operands,
 * in Intel order (destination first).  Operands are validated. */
int _PyJitAsm_Emit(_PyJitAsm *as, _PyJitInstId id,
                   const _PyJitOperand *ops, int nops);

/* Resolve the labels; *size is an upper bound of the code's size.  No
 * instruction may be emitted afterwards. */
int _PyJitAsm_Finish(_PyJitAsm *as, size_t *size);

/* Relocate the code to run at address base and copy it to dst (dst_size
 * bytes, at least the size from _PyJitAsm_Finish; the rest is zeroed).
 * *written is the size of the final code.  dst may be a writable alias of
 * base; usually it is base itself. */
int _PyJitAsm_Copy(_PyJitAsm *as, void *dst, size_t dst_size,
                   uint64_t base, size_t *written);

#ifdef __cplusplus
}
#endif

#endif /* EMBER_JIT_ASM_H */
