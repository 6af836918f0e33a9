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

// Why the history has no birth for a leaked fd: the caller's fds are the usual reason.
std::string why_no_origin(const Findings& findings, const HeldFd& fd) {
    if (from_caller(findings, fd))
        return "it was open when COMMAND started: pipex-audit's caller gave it";
    return "no system call the audit follows made it (an fd received over a socket, or one open "
           "when COMMAND started)";
}

void add_origin(const ProcessTable& table, const FdHistory& history, const Findings& findings,
                FdLeak& leak) {
    leak.origin = history.origin(table, leak.process, FdState{leak.fd.fd, leak.fd.target, false});
    if (!leak.origin) leak.origin_unknown = why_no_origin(findings, leak.fd);
}

}  // namespace

void audit_exec(ProcessTable& table, Findings& findings, std::size_t process,
                const ExecPolicy& policy, FdHistory* history) {
    ProcessRecord& record = table[process];
    const pid_t pid = record.pid;
    record.program = proc::executable(pid).value_or("?");
    record.argv = proc::command_line(pid);
    const bool started_by_caller = process == table.top() && record.execs == 0;
    ++record.execs;
    ++findings.execs;

    std::vector<HeldFd> held = fds_beyond_stdio(pid);
    std::vector<int> open_fds = {0, 1, 2};
    for (const HeldFd& fd : held) open_fds.push_back(fd.fd);
    for (HeldFd& fd : held) {
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
        if (history) add_origin(table, *history, findings, leak);
        findings.fd_leaks.push_back(std::move(leak));
    }
    if (history) history->exec(process, open_fds);
}

}  // namespace pipex::audit
