/* The layout of a JitLir, shared by Jit/lir.c (construction, text, parse),
 * Jit/regalloc.c (fills in the locations) and Jit/emit.c (reads them).
 * Nothing outside these three files may include it: the interface is
 * Jit/lir.h.
 *
 * Data: the structures below; lir.c owns their memory (JitLir_New and
 * JitLir_Free), regalloc.c owns the contents of the allocation fields.
 *
 * Plain C: no Python.h.
 */
#ifndef EMBER_JIT_LIR_INTERNAL_H
#define EMBER_JIT_LIR_INTERNAL_H

#include "lir.h"

typedef struct {
    uint8_t op;             /* JitLirOp */
    uint8_t cond;           /* JitLirCond of Cmp and Branch */
    uint8_t size;           /* Load, Store */
    uint8_t nargs;          /* Call */
    int d;                  /* destination vreg, -1: none */
    JitLirOpnd a, b;
    int64_t imm;            /* Param index, Load/Store displacement,
                               Decref/XDecref dealloc address */
    int target, target2;    /* blocks of Jump, Branch, *Ovf */
    JitLirOpnd *args;       /* Call: JIT_LIR_MAX_ARGS of them (malloc'ed,
                               owned by the instruction) */
    /* Set by the allocator for Decref/XDecref: the caller-saved machine
     * registers (bit = hardware number) holding values that are live after
     * the instruction; the dealloc slow path saves exactly these. */
    uint32_t live_caller_saved;
} JitLirInstr;

typedef struct {
    JitLirInstr *instrs;
    int count, cap;
} JitLirBlock;

/* Where the allocator put a virtual register. */
enum {
    JitLirLoc_NONE = 0,     /* never mentioned in reachable code */
    JitLirLoc_REG,          /* machine register reg (hardware number) */
    JitLirLoc_STACK,        /* 8-byte spill slot number slot */
};

typedef struct {
    uint8_t kind;
    uint8_t reg;
    int32_t slot;
} JitLirLoc;

struct JitLir {
    JitLirBlock *blocks;
    int nblocks, blocks_cap;
    int current;            /* block being appended to, -1: none */
    int nvregs;
    int failed;             /* out of memory at some point */

    /* Filled by JitLir_Allocate. */
    int allocated;
    JitLirLoc *locs;        /* nvregs entries */
    int nslots;             /* spill slots used */
    uint32_t used_regs;     /* every machine register assigned (bits) */
    int *order;             /* reachable blocks in emission order */
    int norder;
    /* Steps the allocator took (instructions, liveness edges, intervals,
     * spill-slot tree levels): a count of its work (JitLir_Work). */
    long long work;
};

/* Append an instruction to the current block (lir.c); a pointer to it, or
 * NULL when out of memory (lir->failed is then set) or without a current
 * block. */
JitLirInstr *_JitLir_Append(JitLir *lir, JitLirOp op);

/* The machine register names (hardware numbering): "rax", ... "r15". */
extern const char *const _JitLir_RegNames[16];

/* Caller-saved registers (bits by hardware number): clobbered by calls. */
#define JIT_LIR_CALLER_SAVED \
    ((1u << 0) | (1u << 1) | (1u << 2) | (1u << 6) | (1u << 7) | \
     (1u << 8) | (1u << 9) | (1u << 10) | (1u << 11))
#define JIT_LIR_CALLEE_SAVED \
    ((1u << 3) | (1u << 5) | (1u << 12) | (1u << 13) | (1u << 14) | \
     (1u << 15))

/* The two registers the emitter keeps for itself (never allocated):
 * temporaries within one instruction, never live across one. */
#define JIT_LIR_SCRATCH1 11     /* r11 */
#define JIT_LIR_SCRATCH2 10     /* r10 */

#endif /* EMBER_JIT_LIR_INTERNAL_H */
