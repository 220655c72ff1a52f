/* Code memory for compiled functions, never writable and executable at once
 * (W^X).  See Jit/code_memory.c.
 */
#ifndef EMBER_JIT_CODE_MEMORY_H
#define EMBER_JIT_CODE_MEMORY_H

#include <stddef.h>

/* One block of code memory: a private anonymous mapping of whole pages.
 * While writable it is read-write, once sealed it is read-execute; it is
 * never both. */
typedef struct {
    unsigned char *start;   /* page-aligned; NULL when the block is empty */
    size_t size;            /* bytes mapped, a multiple of the page size */
    int sealed;             /* 0: read-write, 1: read-execute */
} _PyJitCode;

/* Map at least size bytes read-write.  0 on success; -1 with errno set. */
int _PyJitCode_Alloc(_PyJitCode *code, size_t size);

/* Make the block read-execute (and never writable again).  Run nothing in
 * it before this.  0 on success; -1 with errno set. */
int _PyJitCode_Seal(_PyJitCode *code);

/* Unmap the block; it becomes empty.  Nothing may run in it any more. */
void _PyJitCode_Free(_PyJitCode *code);

#endif /* EMBER_JIT_CODE_MEMORY_H */
