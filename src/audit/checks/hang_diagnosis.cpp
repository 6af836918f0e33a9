// The hang diagnosis: who waits on which pipe, and who holds its other end.
#include "audit/checks/hang_diagnosis.hpp"

#include <sys/syscall.h>

#include <algorithm>
#include <optional>

#include "audit/checks/fd_inspection.hpp"
#include "pipex/base/proc_fs.hpp"
#include "pipex/base/system_error.hpp"

namespace pipex::audit {
namespace {

// Whether a blocked system call reads (true) or writes (false) its first argument, an fd.
std::optional<bool> reads_its_fd(long number) {
    switch (number) {
        case SYS_read:
        case SYS_readv:
        case SYS_pread64:
        case SYS_preadv:
        case SYS_preadv2:
            return true;
        case SYS_write:
        case SYS_writev:
        case SYS_pwrite64:
        case SYS_pwritev:
        case SYS_pwritev2:
            return false;
        default:
            return std::nullopt;
    }
}

bool was_leaked(const Findings& findings, std::size_t process, int fd, unsigned long inode) {
    return std::any_of(findings.fd_leaks.begin(), findings.fd_leaks.end(), [&](const FdLeak& l) {
        return l.process == process && l.fd.fd == fd && l.fd.pipe_inode == inode;
    });
}

// The pipe `process` is blocked on, if it is blocked reading or writing one.
std::optional<PipeWait> pipe_wait_of(const ProcessTable& table, std::size_t process) {
    const pid_t pid = table[process].pid;
    std::optional<proc::BlockedCall> call = proc::blocked_call(pid);
    if (!call) return std::nullopt;
    std::optional<bool> reading = reads_its_fd(call->number);
    if (!reading) return std::nullopt;
    const int fd = static_cast<int>(call->first_argument);
    std::optional<std::string> target =
        proc::read_link("/proc/" + std::to_string(pid) + "/fd/" + std::to_string(fd));
    std::optional<unsigned long> inode = target ? pipe_inode(*target) : std::nullopt;
    if (!inode) return std::nullopt;
    return PipeWait{process, fd, *target, *inode, *reading, {}};
}

void find_other_ends(const ProcessTable& table, const Findings& findings, PipeWait& wait) {
    for (std::size_t holder : table.not_ended()) {
        std::vector<HeldFd> ends;
        try {
            ends = ends_of_pipe(table[holder].pid, wait.inode);
        } catch (const SystemError&) {
            continue;  // its fds cannot be read (it is ending): it holds nothing for long
        }
        for (const HeldFd& end : ends) {
            const bool other =
                wait.reading ? end.access != FdAccess::Read : end.access != FdAccess::Write;
            if (!other) continue;
            wait.other_ends.push_back(OtherEnd{holder, end.fd, holder == wait.process,
                                               was_leaked(findings, holder, end.fd, wait.inode)});
        }
    }
}

}  // namespace

HangSnapshot diagnose_waits(const ProcessTable& table, const Findings& findings, HangMoment moment,
                            int signal) {
    HangSnapshot snapshot{moment, signal, {}};
    for (std::size_t process : table.not_ended()) {
        try {
            std::optional<PipeWait> wait = pipe_wait_of(table, process);
            if (!wait) continue;
            find_other_ends(table, findings, *wait);
            snapshot.waits.push_back(std::move(*wait));
        } catch (const SystemError&) {
            // A process that cannot be looked at (it is ending) waits for nothing.
        }
    }
    return snapshot;
}

bool same_waits(const HangSnapshot& a, const HangSnapshot& b) {
    const auto same_end = [](const OtherEnd& x, const OtherEnd& y) {
        return x.process == y.process && x.fd == y.fd;
    };
    const auto same_wait = [&](const PipeWait& x, const PipeWait& y) {
        return x.process == y.process && x.fd == y.fd && x.inode == y.inode &&
               x.reading == y.reading &&
               std::equal(x.other_ends.begin(), x.other_ends.end(), y.other_ends.begin(),
                          y.other_ends.end(), same_end);
    };
    return std::equal(a.waits.begin(), a.waits.end(), b.waits.begin(), b.waits.end(), same_wait);
}

}  // namespace pipex::audit
