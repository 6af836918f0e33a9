// Test support: the hand-written BPF program that refuses close_range with EPERM.
#include "seccomp_filter.hpp"

#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstring>

namespace testsupport {
namespace {

#if defined(__x86_64__)
constexpr unsigned kNativeArch = AUDIT_ARCH_X86_64;
#elif defined(__aarch64__)
constexpr unsigned kNativeArch = AUDIT_ARCH_AARCH64;
#else
constexpr unsigned kNativeArch = 0;
#endif

// System call numbers mean something else under another architecture's ABI (a 32-bit program
// on a 64-bit kernel): the filter judges only the native calls, and lets the others through.
constexpr sock_filter kProgram[] = {
    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, arch)),
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, kNativeArch, 1, 0),
    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, nr)),
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_close_range, 0, 1),
    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (EPERM & SECCOMP_RET_DATA)),
    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
};

std::string failed(const char* call) { return std::string(call) + ": " + std::strerror(errno); }

}  // namespace

std::string refuse_close_range() {
    if (kNativeArch == 0) return "no seccomp architecture known for this build";
    // Without it, only a process with CAP_SYS_ADMIN may install a filter.
    if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return failed("prctl(PR_SET_NO_NEW_PRIVS)");
    sock_fprog program{static_cast<unsigned short>(sizeof kProgram / sizeof kProgram[0]),
                       const_cast<sock_filter*>(kProgram)};
    if (::syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &program) != 0)
        return failed("seccomp(SECCOMP_SET_MODE_FILTER)");
    // A range beyond every fd closes nothing: EPERM can only be the filter's.
    if (::syscall(SYS_close_range, ~0U, ~0U, 0) != -1 || errno != EPERM)
        return "close_range is not refused with EPERM under the filter";
    return {};
}

}  // namespace testsupport
