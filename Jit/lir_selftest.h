/* The LIR self-test binding (Jit/lir_selftest.c), for _ember's
 * _jit_lir_selftest (Modules/ember_module.c). */
#ifndef EMBER_JIT_LIR_SELFTEST_H
#define EMBER_JIT_LIR_SELFTEST_H

#include "Python.h"

/* Parse LIR text (after substituting the @names of a few test functions),
 * allocate, emit, call the code with the integers of the tuple args (up to
 * 6; None: do not call) and return a dict: 'result', 'text' (the parsed
 * LIR), 'lir' (after allocation), 'asm', 'code_size', 'recorded',
 * 'record_calls'.  ValueError with the parser's or allocator's message. */
PyObject *_PyJit_LirSelfTest(PyObject *text, PyObject *args);

#endif /* EMBER_JIT_LIR_SELFTEST_H */
