// The fd check at every exec: leaks, the pipe ends behind them, what the caller handed over.
#include "audit/checks/exec_audit.hpp"

#include <algorithm>

#include "audit/checks/fd_inspection.hpp"
#include "pipex/base/proc_fs.hpp"

namespace pipex::audit {
namespace {

// The top command may exec again (setpriv, env, `exec` in a shell): fds it got from the caller
// and still holds under the same number are still the caller's doing.
bool from_caller(const Findings& findings, const HeldFd& fd) {
    return std::any_of(
        findings.caller_fds.begin(), findings.caller_fds.end(),
        [&](const FdLeak& given) { return given.fd.fd == fd.fd && given.fd.target == fd.target; });
}

// Every fd on this pipe in the processes of the tree that are still running, the receiver
// included: who can still write to it (and so keep its readers waiting), who can read it.
void find_pipe_ends(const ProcessTable& table, FdLeak& leak, unsigned long inode) {
    for (std::size_t process : table.not_ended()) {
        for (const HeldFd& end : ends_of_pipe(table[process].pid, inode)) {
            leak.pipe_ends.push_back(PipeEnd{process, end.fd, end.access});
            bool own_read_end = process == leak.process && end.fd != leak.fd.fd &&
                                end.access == FdAccess::Read && leak.fd.access != FdAccess::Read;
            if (own_read_end && !leak.reads_from_fd) leak.reads_from_fd = end.fd;
        }
    }
}

FdLeak make_leak(const ProcessTable& table, std::size_t process, HeldFd fd) {
    FdLeak leak;
    leak.process = process;
    leak.program = table[process].program;
    leak.argv = table[process].argv;
    leak.fd = std::move(fd);
    return leak;
}

}  // namespace

void audit_exec(ProcessTable& table, Findings& findings, std::size_t process,
                const ExecPolicy& policy) {
    ProcessRecord& record = table[process];
    const pid_t pid = record.pid;
    record.program = proc::executable(pid).value_or("?");
    record.argv = proc::command_line(pid);
    const bool started_by_caller = process == table.top() && record.execs == 0;
    ++record.execs;
    ++findings.execs;

    for (HeldFd& fd : fds_beyond_stdio(pid)) {
        if (started_by_caller) {
            findings.caller_fds.push_back(make_leak(table, process, std::move(fd)));
            continue;
        }
        if (process == table.top() && from_caller(findings, fd)) continue;
        FdLeak leak = make_leak(table, process, std::move(fd));
        leak.allowed_by = allowing_rule(policy.allow_rules, leak);
        if (leak.allowed_by) {
            findings.allowed_leaks.push_back(std::move(leak));
            continue;
        }
        if (leak.fd.pipe_inode) find_pipe_ends(table, leak, *leak.fd.pipe_inode);
        findings.fd_leaks.push_back(std::move(leak));
    }
}

}  // namespace pipex::audit
