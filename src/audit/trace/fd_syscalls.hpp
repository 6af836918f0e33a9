// The system calls that make an fd or change its close-on-exec flag, and the seccomp filter
// that stops a traced process at them (SECCOMP_RET_TRACE): every other system call runs at full
// speed, untouched. This is how pipex-audit learns where each fd was born (--provenance).
#pragma once

#include <linux/filter.h>
#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace pipex::audit {

// What a stopped system call does to the fd table, once it has returned.
enum class FdEffect {
    NewFd,        // its result is a new fd (open, socket, accept, memfd_create, eventfd...)
    TwoNewFds,    // it writes two new fds to memory (pipe, pipe2 at args[0], socketpair at args[3])
    CopyFd,       // its result is a copy of the fd in args[0] (dup, dup2, dup3, fcntl F_DUPFD)
    FlagsChange,  // it sets or clears close-on-exec on args[0] (fcntl F_SETFD, ioctl FIOCLEX)
    None,         // another fcntl or ioctl command: nothing to record
};

struct FdSyscall {
    const char* name;  // "openat", "pipe2", "fcntl(F_SETFD)"...
    FdEffect effect;
};

// What system call `number` with these arguments does to the fds.
FdSyscall describe_fd_syscall(long number, const std::uint64_t (&args)[6]);

// The filter for this machine's architecture, or why there is none. Built before the fork: the
// child only installs it.
struct FdSyscallFilter {
    std::vector<sock_filter> program;
    std::string unavailable;  // empty when program is usable
};
FdSyscallFilter fd_syscall_filter();

// In the traced child, before exec (async-signal-safe): installs `program`, setting
// no_new_privs first unless the process may install a filter without it (CAP_SYS_ADMIN).
// Returns 0 or the errno.
int install_fd_syscall_filter(const std::vector<sock_filter>& program) noexcept;

}  // namespace pipex::audit
