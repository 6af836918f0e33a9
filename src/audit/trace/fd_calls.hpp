// Following the fd system calls the seccomp filter stops (fd_syscalls.hpp): at the stop, before
// the call runs, what it is; at its return (a syscall-exit stop, asked for by resuming with
// PTRACE_SYSCALL), which fds it made, with their close-on-exec flag as the kernel set it, into
// the tree's FdHistory.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <map>

#include "audit/checks/fd_history.hpp"
#include "audit/trace/fd_syscalls.hpp"
#include "audit/trace/process_table.hpp"

namespace pipex::audit {

class FdCalls {
public:
    explicit FdCalls(FdHistory& history) : history_(history) {}

    // At a PTRACE_EVENT_SECCOMP stop of `tid`. True when the call's return must be seen: resume
    // it with PTRACE_SYSCALL.
    bool entered(pid_t tid);

    // At the syscall-exit stop that follows: records what the call made.
    void returned(const ProcessTable& table, std::size_t process, pid_t tid);

private:
    struct Pending {
        FdSyscall call;
        std::uint64_t args[6];
    };
    FdHistory& history_;
    std::map<pid_t, Pending> pending_;
};

}  // namespace pipex::audit
