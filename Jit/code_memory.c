/* Code memory for compiled functions: W^X (never writable and executable at
 * once).
 *
 * Data: each _PyJitCode owns one private anonymous mapping of whole pages,
 * from _PyJitCode_Alloc until _PyJitCode_Free.  The mapping is created
 * read-write, the assembler writes the code into it (Jit/asm.h,
 * _PyJitAsm_Copy), and _PyJitCode_Seal turns it read-execute before anything
 * runs it; it is never made writable again.  This file keeps no global
 * state.
 *
 * One mapping per block is the simplest allocator that keeps W^X strict (a
 * page shared by two functions would have to become writable again while
 * the first one may be running).  A bump allocator that fills a writable
 * arena and seals it as a whole can replace it when compiled functions
 * become numerous; the interface does not change.
 */
#define _DEFAULT_SOURCE         /* MAP_ANONYMOUS under -std=c11 */
#include <errno.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#include "code_memory.h"

static size_t
page_round_up(size_t size)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    return (size + page - 1) / page * page;
}

int
_PyJitCode_Alloc(_PyJitCode *code, size_t size)
{
    code->start = NULL;
    code->size = 0;
    code->sealed = 0;
    if (size == 0 || size > SIZE_MAX / 2) {
        errno = EINVAL;
        return -1;
    }
    size_t mapped = page_round_up(size);
    void *start = mmap(NULL, mapped, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (start == MAP_FAILED) {
        return -1;
    }
    code->start = start;
    code->size = mapped;
    return 0;
}

int
_PyJitCode_Seal(_PyJitCode *code)
{
    if (code->start == NULL || code->sealed) {
        errno = EINVAL;
        return -1;
    }
    if (mprotect(code->start, code->size, PROT_READ | PROT_EXEC) != 0) {
        return -1;
    }
    /* x86-64 keeps instruction fetch coherent with stores; this is a no-op
     * there, and right on any other architecture. */
    __builtin___clear_cache((char *)code->start,
                            (char *)code->start + code->size);
    code->sealed = 1;
    return 0;
}

void
_PyJitCode_Free(_PyJitCode *code)
{
    if (code->start != NULL) {
        munmap(code->start, code->size);
    }
    code->start = NULL;
    code->size = 0;
    code->sealed = 0;
}
