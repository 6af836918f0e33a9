// The fd system calls followed from their stop to their return.
#include "audit/trace/fd_calls.hpp"

#include <fcntl.h>
#include <sys/ptrace.h>

#include <algorithm>
#include <cerrno>
#include <optional>

#include "pipex/base/proc_fs.hpp"
#include "pipex/base/system_error.hpp"

namespace pipex::audit {
namespace {

std::optional<__ptrace_syscall_info> syscall_info(pid_t tid) {
    __ptrace_syscall_info info{};
    if (::ptrace(PTRACE_GET_SYSCALL_INFO, tid, sizeof info, &info) > 0) return info;
    if (errno != ESRCH)
        throw SystemError(errno, "PTRACE_GET_SYSCALL_INFO on pid " + std::to_string(tid));
    return std::nullopt;
}

// The two ints a pipe, pipe2 or socketpair wrote at `address` in the tracee.
std::optional<std::pair<int, int>> two_fds(pid_t tid, std::uint64_t address) {
    errno = 0;
    long word = ::ptrace(PTRACE_PEEKDATA, tid, address, nullptr);
    if (errno != 0) return std::nullopt;
    int fds[2];
    static_assert(sizeof fds == sizeof word);
    std::copy_n(reinterpret_cast<const char*>(&word), sizeof fds, reinterpret_cast<char*>(fds));
    return std::pair{fds[0], fds[1]};
}

// An fd as the kernel holds it (fdinfo's flags carry O_CLOEXEC); nullopt once it is closed
// (by another thread) or the process is gone.
std::optional<FdState> state_of(pid_t pid, int fd) {
    std::optional<proc::OpenFd> open = proc::open_fd(pid, fd);
    if (!open) return std::nullopt;
    return FdState{fd, open->target, open->flags >= 0 && (open->flags & O_CLOEXEC) != 0};
}

}  // namespace

bool FdCalls::entered(pid_t tid) {
    std::optional<__ptrace_syscall_info> info = syscall_info(tid);
    if (!info || info->op != PTRACE_SYSCALL_INFO_SECCOMP) return false;
    Pending pending{};
    std::copy_n(info->seccomp.args, 6, pending.args);
    pending.call = describe_fd_syscall(static_cast<long>(info->seccomp.nr), pending.args);
    if (pending.call.effect == FdEffect::None) return false;
    pending_[tid] = pending;
    return true;
}

void FdCalls::returned(const ProcessTable& table, std::size_t process, pid_t tid) {
    auto found = pending_.find(tid);
    if (found == pending_.end()) return;
    const Pending pending = found->second;
    pending_.erase(found);
    std::optional<__ptrace_syscall_info> info = syscall_info(tid);
    if (!info || info->op != PTRACE_SYSCALL_INFO_EXIT || info->exit.is_error) return;
    const pid_t pid = table[process].pid;
    const std::string& program = table[process].program;
    const auto first = static_cast<int>(pending.args[0]);
    const auto record = [&](int fd, std::optional<int> copy_of = std::nullopt) {
        if (std::optional<FdState> made = state_of(pid, fd))
            history_.born(process, program, *made, pending.call.name, copy_of);
    };
    switch (pending.call.effect) {
        case FdEffect::NewFd:
            return record(static_cast<int>(info->exit.rval));
        case FdEffect::CopyFd:
            return record(static_cast<int>(info->exit.rval), first);
        case FdEffect::TwoNewFds: {
            const bool pair = std::string_view(pending.call.name) == "socketpair";
            if (std::optional<std::pair<int, int>> fds = two_fds(tid, pending.args[pair ? 3 : 0])) {
                record(fds->first);
                record(fds->second);
            }
            return;
        }
        case FdEffect::FlagsChange:
            if (std::optional<FdState> now = state_of(pid, first))
                history_.flags_changed(process, program, *now, pending.call.name);
            return;
        case FdEffect::None:
            return;
    }
}

}  // namespace pipex::audit
