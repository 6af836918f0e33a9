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

// The close-on-exec flag of an fd, as the kernel holds it (fdinfo's flags carry O_CLOEXEC).
bool has_cloexec(pid_t pid, int fd) {
    std::optional<proc::OpenFd> open = proc::open_fd(pid, fd);
    return open && open->flags >= 0 && (open->flags & O_CLOEXEC) != 0;
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
    const auto result = static_cast<int>(info->exit.rval);
    const auto first = static_cast<int>(pending.args[0]);
    switch (pending.call.effect) {
        case FdEffect::NewFd:
            history_.born(process, program, result, pending.call.name, has_cloexec(pid, result));
            return;
        case FdEffect::CopyFd:
            history_.born(process, program, result, pending.call.name, has_cloexec(pid, result),
                          first);
            return;
        case FdEffect::TwoNewFds: {
            const bool pair = std::string_view(pending.call.name) == "socketpair";
            if (std::optional<std::pair<int, int>> fds = two_fds(tid, pending.args[pair ? 3 : 0])) {
                history_.born(process, program, fds->first, pending.call.name,
                              has_cloexec(pid, fds->first));
                history_.born(process, program, fds->second, pending.call.name,
                              has_cloexec(pid, fds->second));
            }
            return;
        }
        case FdEffect::FlagsChange:
            history_.flags_changed(process, program, first, pending.call.name,
                                   has_cloexec(pid, first));
            return;
        case FdEffect::None:
            return;
    }
}

}  // namespace pipex::audit
