#ifndef EMBER_JIT_H
#define EMBER_JIT_H
/* The JIT's entry points for the rest of the interpreter.  Only the
 * machine-code foundation exists so far (docs/jit.md): the assembler
 * wrapper (Jit/asm.h), W^X code memory (Jit/code_memory.h) and their
 * self-test.
 *
 * Data owned here: none.
 */
#ifndef Py_BUILD_CORE
#  error "this header requires Py_BUILD_CORE define"
#endif

/* Assemble, place and call a few small functions (Jit/asm_selftest.c);
 * binop is the instruction of the two-operand one ("add").  A dict of
 * results, or NULL with RuntimeError carrying the assembler's message. */
extern PyObject *_PyJit_AsmSelfTest(const char *binop);

#endif /* EMBER_JIT_H */
