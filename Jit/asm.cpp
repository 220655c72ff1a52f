// The x86-64 assembler behind Jit/asm.h: a thin C API over asmjit's
// x86::Assembler.  This is the only C++ file in the tree; everything that
// uses it is C.
//
// Data: a _PyJitAsm owns an asmjit CodeHolder (the code buffer, labels,
// relocations), the x86::Assembler attached to it, an ErrorHandler that
// records asmjit's message, and the text of the last error.  Nothing is
// global.  asmjit reports errors by return value (no exceptions: this file
// is compiled with -fno-exceptions), and every C entry point turns them
// into -1 plus a message.
//
// Pinned to Debian 12's libasmjit-dev (snapshot 0.0~git20221210.5b5b0b3).
// That package ships only a static libasmjit.a compiled as position-
// independent *executable* code: its globals.cpp.o reads glibc's `stderr`
// with a PC-relative relocation that cannot be linked into a shared
// library (libpython3.11.so).  globals.cpp.o defines exactly the three
// DebugUtils functions below, so we define them here and the linker never
// takes that member from the archive.  The error texts are ours.

#include "asm.h"

#include <asmjit/x86.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>

using namespace asmjit;

// --- DebugUtils, in place of libasmjit.a(globals.cpp.o) --------------------

static const char *const error_texts[] = {
    "ok",
    "out of memory",
    "invalid argument",
    "invalid state",
    "invalid architecture",
    "not initialized",
    "already initialized",
    "feature not enabled",
    "too many handles",
    "too large",
    "no code generated",
    "invalid directive",
    "invalid label",
    "too many labels",
    "label already bound",
    "label already defined",
    "label name too long",
    "invalid label name",
    "invalid parent label",
    "invalid section",
    "too many sections",
    "invalid section name",
    "too many relocations",
    "invalid relocation entry",
    "relocation offset out of range",
    "invalid assignment",
    "invalid instruction",
    "invalid register type",
    "invalid register group",
    "invalid physical register id",
    "invalid virtual register id",
    "invalid element index",
    "invalid prefix combination",
    "invalid LOCK prefix",
    "invalid XACQUIRE prefix",
    "invalid XRELEASE prefix",
    "invalid REP prefix",
    "invalid REX prefix",
    "invalid extra register",
    "invalid use of a mask register",
    "invalid use of zeroing",
    "invalid broadcast",
    "invalid embedded rounding or SAE",
    "invalid address",
    "invalid address index",
    "invalid address scale",
    "invalid use of a 64-bit address",
    "invalid use of a 64-bit zero-extended address",
    "invalid displacement",
    "invalid segment",
    "invalid immediate",
    "invalid operand size",
    "ambiguous operand size",
    "operand size mismatch",
    "invalid option",
    "option already defined",
    "invalid type id",
    "invalid use of a high byte register",
    "invalid use of a 64-bit register",
    "invalid use of an 80-bit float",
    "registers not consecutive",
    "consecutive registers cannot be allocated",
    "illegal virtual register",
    "too many virtual registers",
    "no more physical registers",
    "overlapped registers",
    "stack register overlaps a register argument",
    "expression label not bound",
    "expression overflow",
    "failed to open anonymous memory",
};

static_assert(sizeof(error_texts) / sizeof(error_texts[0]) == kErrorCount,
              "asmjit's ErrorCode changed: update error_texts");

ASMJIT_BEGIN_SUB_NAMESPACE(DebugUtils)

const char *
errorAsString(Error err) noexcept
{
    return err < kErrorCount ? error_texts[err] : "unknown error";
}

void
debugOutput(const char *str) noexcept
{
    std::fputs(str, stderr);
}

void
assertionFailed(const char *file, int line, const char *msg) noexcept
{
    std::fprintf(stderr, "asmjit assertion failed at %s:%d: %s\n",
                 file, line, msg);
    std::abort();
}

ASMJIT_END_SUB_NAMESPACE

// --- the assembler ---------------------------------------------------------

namespace {

// Copies asmjit's message for the error the failing call is about to
// return (asmjit may build it in a buffer that dies with the call).
class RecordingHandler : public ErrorHandler {
public:
    char message[160] = "";
    void handleError(Error, const char *msg, BaseEmitter *) override
    {
        std::snprintf(message, sizeof(message), "%s", msg ? msg : "");
    }
};

}  // namespace

struct _PyJitAsm {
    RecordingHandler handler;
    StringLogger logger;        // the listing, once enabled; outlives code
    CodeHolder code;            // declared before the assembler: outlives it
    x86::Assembler assembler;
    bool finished = false;
    char error[320] = "";
};

static int
fail(_PyJitAsm *as, const char *what, Error err)
{
    const char *msg = as->handler.message;
    if (msg[0] == '\0') {
        msg = DebugUtils::errorAsString(err);
    }
    std::snprintf(as->error, sizeof(as->error), "%s: %s (asmjit error %u)",
                  what, msg, (unsigned)err);
    as->handler.message[0] = '\0';
    return -1;
}

static int
fail_text(_PyJitAsm *as, const char *text)
{
    std::snprintf(as->error, sizeof(as->error), "%s", text);
    return -1;
}

extern "C" _PyJitAsm *
_PyJitAsm_New(void)
{
    Environment env = Environment::host();
    if (env.arch() != Arch::kX64) {
        return nullptr;
    }
    _PyJitAsm *as = new (std::nothrow) _PyJitAsm;
    if (as == nullptr) {
        return nullptr;
    }
    if (as->code.init(env) != kErrorOk) {
        delete as;
        return nullptr;
    }
    as->code.setErrorHandler(&as->handler);
    if (as->code.attach(&as->assembler) != kErrorOk) {
        delete as;
        return nullptr;
    }
    as->assembler.addDiagnosticOptions(DiagnosticOptions::kValidateAssembler);
    return as;
}

extern "C" void
_PyJitAsm_Free(_PyJitAsm *as)
{
    delete as;
}

extern "C" const char *
_PyJitAsm_Error(const _PyJitAsm *as)
{
    return as->error;
}

extern "C" _PyJitInstId
_PyJitAsm_InstId(const char *name)
{
    return InstAPI::stringToInstId(Arch::kX64, name, std::strlen(name));
}

extern "C" int
_PyJitAsm_Lookup(_PyJitAsm *as, const char *name, _PyJitInstId *id)
{
    *id = _PyJitAsm_InstId(name);
    if (*id == _PyJitInst_NONE) {
        std::snprintf(as->error, sizeof(as->error),
                      "unknown x86-64 instruction '%.64s'", name);
        return -1;
    }
    return 0;
}

extern "C" int
_PyJitAsm_NewLabel(_PyJitAsm *as, _PyJitLabel *label)
{
    Label l = as->assembler.newLabel();
    if (!l.isValid()) {
        return fail(as, "cannot create a label", kErrorTooManyLabels);
    }
    label->id = l.id();
    return 0;
}

extern "C" int
_PyJitAsm_Bind(_PyJitAsm *as, _PyJitLabel label)
{
    Error err = as->assembler.bind(Label(label.id));
    return err == kErrorOk ? 0 : fail(as, "cannot bind a label", err);
}

extern "C" int
_PyJitAsm_EnableListing(_PyJitAsm *as)
{
    as->logger.addFlags(FormatFlags::kHexImms | FormatFlags::kHexOffsets);
    as->logger.setIndentation(FormatIndentationGroup::kCode, 2);
    as->code.setLogger(&as->logger);
    return 0;
}

extern "C" const char *
_PyJitAsm_Listing(const _PyJitAsm *as)
{
    const char *text = as->logger.data();
    return text != nullptr ? text : "";
}

// --- operands --------------------------------------------------------------

static bool
gp_of(uint32_t id, uint32_t size, x86::Gp *out)
{
    if (id > 15) {
        return false;
    }
    switch (size) {
    case 8: *out = x86::gpq(id); return true;
    case 4: *out = x86::gpd(id); return true;
    case 2: *out = x86::gpw(id); return true;
    case 1: *out = x86::gpb(id); return true;
    default: return false;
    }
}

static bool
mem_of(const _PyJitOperand *op, Operand *out)
{
    uint32_t base = op->u.mem.base, index = op->u.mem.index;
    uint32_t shift;
    switch (op->u.mem.scale) {
    case 1: shift = 0; break;
    case 2: shift = 1; break;
    case 4: shift = 2; break;
    case 8: shift = 3; break;
    default: return false;
    }
    x86::Gp b, i;
    if (base == _PyJit_NOREG) {
        if (index != _PyJit_NOREG) {
            return false;
        }
        *out = x86::Mem(uint64_t(int64_t(op->u.mem.disp)), op->u.mem.size);
        return true;
    }
    if (!gp_of(base, 8, &b)) {
        return false;
    }
    if (index == _PyJit_NOREG) {
        *out = x86::Mem(b, op->u.mem.disp, op->u.mem.size);
        return true;
    }
    if (!gp_of(index, 8, &i)) {
        return false;
    }
    *out = x86::Mem(b, i, shift, op->u.mem.disp, op->u.mem.size);
    return true;
}

// Translate one C operand; false if it is malformed.
static bool
operand_of(const _PyJitOperand *op, Operand *out)
{
    x86::Gp gp;
    switch (op->kind) {
    case _PyJitOpnd_NONE:
        *out = Operand();
        return true;
    case _PyJitOpnd_GP:
        if (!gp_of(op->u.reg.id, op->u.reg.size, &gp)) {
            return false;
        }
        *out = gp;
        return true;
    case _PyJitOpnd_XMM:
        if (op->u.reg.id > 15) {
            return false;
        }
        *out = x86::xmm(op->u.reg.id);
        return true;
    case _PyJitOpnd_IMM:
        *out = Imm(op->u.imm);
        return true;
    case _PyJitOpnd_MEM:
        return mem_of(op, out);
    case _PyJitOpnd_LABEL:
        *out = Label(op->u.label.id);
        return true;
    }
    return false;
}

static void
inst_name(_PyJitInstId id, char *buf, size_t size)
{
    String name;
    if (InstAPI::instIdToString(Arch::kX64, id, name) != kErrorOk) {
        std::snprintf(buf, size, "#%u", (unsigned)id);
        return;
    }
    std::snprintf(buf, size, "%s", name.data());
}

extern "C" int
_PyJitAsm_Emit(_PyJitAsm *as, _PyJitInstId id,
               const _PyJitOperand *ops, int nops)
{
    char what[96], name[32];
    if (as->finished) {
        return fail_text(as, "cannot emit: the code is already finished");
    }
    if (nops < 0 || nops > _PyJitAsm_MAX_OPERANDS) {
        return fail_text(as, "cannot emit: too many operands");
    }
    // The instruction's name is looked up only for an error message: it
    // cost as much as the encoding itself.
    Operand operands[_PyJitAsm_MAX_OPERANDS];
    for (int i = 0; i < nops; i++) {
        if (!operand_of(&ops[i], &operands[i])) {
            inst_name(id, name, sizeof(name));
            std::snprintf(as->error, sizeof(as->error),
                          "cannot emit '%s': operand %d is malformed",
                          name, i + 1);
            return -1;
        }
    }
    Error err = as->assembler.emitOpArray(id, operands, size_t(nops));
    if (err != kErrorOk) {
        inst_name(id, name, sizeof(name));
        std::snprintf(what, sizeof(what), "cannot emit '%s'", name);
        return fail(as, what, err);
    }
    return 0;
}

// --- the final code --------------------------------------------------------

extern "C" int
_PyJitAsm_Finish(_PyJitAsm *as, size_t *size)
{
    Error err = as->code.flatten();
    if (err == kErrorOk) {
        err = as->code.resolveUnresolvedLinks();
    }
    if (err != kErrorOk) {
        return fail(as, "cannot finish the code", err);
    }
    if (as->code.hasUnresolvedLinks()) {
        return fail_text(as, "cannot finish the code: a label is used "
                             "but never bound");
    }
    as->finished = true;
    *size = as->code.codeSize();
    return 0;
}

extern "C" int
_PyJitAsm_Copy(_PyJitAsm *as, void *dst, size_t dst_size,
               uint64_t base, size_t *written)
{
    if (!as->finished) {
        return fail_text(as, "cannot copy the code: call _PyJitAsm_Finish "
                             "first");
    }
    Error err = as->code.relocateToBase(base);
    if (err != kErrorOk) {
        return fail(as, "cannot relocate the code", err);
    }
    size_t size = as->code.codeSize();
    if (size > dst_size) {
        return fail_text(as, "cannot copy the code: buffer too small");
    }
    err = as->code.copyFlattenedData(dst, dst_size,
                                     CopySectionFlags::kPadTargetBuffer);
    if (err != kErrorOk) {
        return fail(as, "cannot copy the code", err);
    }
    *written = size;
    return 0;
}
