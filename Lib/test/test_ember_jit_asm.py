"""The JIT's machine-code foundation: the C API around asmjit's x86-64
assembler (Jit/asm.h) and W^X code memory (Jit/code_memory.h), exercised
through _ember._jit_asm_selftest(), which assembles small functions, places
them in code memory, calls them and reports what happened
(Jit/asm_selftest.c)."""

import os
import shutil
import subprocess
import sys
import sysconfig
import unittest

import _ember

X86_64_LINUX = sys.platform == "linux" and os.uname().machine == "x86_64"


@unittest.skipUnless(X86_64_LINUX, "the JIT targets x86-64 Linux")
class AssembledFunctionTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.result = _ember._jit_asm_selftest()

    def test_add_function_computes_a_plus_b(self):
        # f(40, 2) and f(-7, 5) of mov rax, rdi; add rax, rsi; ret
        self.assertEqual(self.result["binop"], (42, -2))

    def test_add_function_bytes_are_the_expected_encoding(self):
        self.assertEqual(self.result["binop_code"],
                         bytes.fromhex("4889f8"     # mov rax, rdi
                                       "4801f0"     # add rax, rsi
                                       "c3"))       # ret

    def test_label_and_conditional_jump(self):
        # max(3, 9), max(9, 3), max(-1, -7): cmp, jge to a bound label
        self.assertEqual(self.result["max"], (9, 9, -1))

    def test_memory_operands(self):
        # p[i + 1] + first byte of p, p = [10, 20, 30, 40], i = 1 and 2:
        # [rdi + rsi*8 + 8] (8 bytes) and movzx ecx, byte [rdi]
        self.assertEqual(self.result["load"], (30 + 10, 40 + 10))

    def test_xmm_operands(self):
        # addsd xmm0, xmm1 on 1.5 and 2.25
        self.assertEqual(self.result["addsd"], 3.75)

    def test_code_memory_is_writable_then_executable_never_both(self):
        writing, running = self.result["perms"]
        self.assertEqual(writing, "rw-p")
        self.assertEqual(running, "r-xp")
        self.assertNotIn("w", running)
        self.assertNotIn("x", writing)


@unittest.skipUnless(X86_64_LINUX, "the JIT targets x86-64 Linux")
class InstructionNameTests(unittest.TestCase):
    def test_instructions_are_looked_up_by_name(self):
        sub = _ember._jit_asm_selftest("sub")
        self.assertEqual(sub["binop"], (38, -12))
        self.assertEqual(sub["binop_code"], bytes.fromhex("4889f8 4829f0 c3"))
        imul = _ember._jit_asm_selftest("imul")
        self.assertEqual(imul["binop"], (80, -35))

    def test_unknown_instruction_is_a_clear_error(self):
        with self.assertRaises(RuntimeError) as cm:
            _ember._jit_asm_selftest("frobnicate")
        self.assertEqual(str(cm.exception),
                         "unknown x86-64 instruction 'frobnicate'")

    def test_invalid_operands_are_reported_with_asmjits_reason(self):
        # movzx cannot take two 64-bit registers; asmjit's validation says so
        with self.assertRaises(RuntimeError) as cm:
            _ember._jit_asm_selftest("movzx")
        message = str(cm.exception)
        self.assertTrue(message.startswith("cannot emit 'movzx': "), message)
        self.assertIn("invalid instruction", message)
        self.assertIn("movzx rax, rsi", message)

    def test_wrong_argument_type(self):
        with self.assertRaises(TypeError):
            _ember._jit_asm_selftest(1)

    def test_still_works_after_errors(self):
        for name in ("frobnicate", "movzx"):
            with self.assertRaises(RuntimeError):
                _ember._jit_asm_selftest(name)
        self.assertEqual(_ember._jit_asm_selftest()["binop"], (42, -2))


def loaded_libpython():
    """The path of the libpython this process runs, or None if static."""
    if not sysconfig.get_config_var("Py_ENABLE_SHARED"):
        return None
    with open("/proc/self/maps") as maps:
        for line in maps:
            path = line.split()[-1]
            if os.path.basename(path).startswith("libpython3.11"):
                return path
    return None


@unittest.skipUnless(X86_64_LINUX, "the JIT targets x86-64 Linux")
class LinkTests(unittest.TestCase):
    def test_libpython_exports_nothing_of_asmjit(self):
        # Debian's libasmjit.a is linked in with its symbols hidden, so
        # extension modules and embedders never see (or clash with) it.
        library = loaded_libpython()
        if library is None:
            self.skipTest("not a shared build")
        if shutil.which("nm") is None:
            self.skipTest("needs nm (binutils)")
        symbols = subprocess.run(["nm", "-D", "--defined-only", library],
                                 capture_output=True, text=True, check=True)
        self.assertIn("Py_Initialize", symbols.stdout)
        self.assertNotIn("asmjit", symbols.stdout)
        self.assertNotIn("_PyJitAsm_", symbols.stdout)


if __name__ == "__main__":
    unittest.main()
