// What an audit found. Processes are named by their index in the ProcessTable, which keeps every
// process of the run, ended or not.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace pipex::audit {

// What an fd refers to, told by the target /proc shows for it: "pipe:[123]", "socket:[9]",
// "anon_inode:[eventfd]", "/memfd:NAME", a path under /dev/, any other path, or anything else.
enum class FdKind { Pipe, Socket, AnonymousInode, Memfd, Device, File, Other };

// How an fd is open, from its flags in /proc/PID/fdinfo. For a pipe, Read is its read end and
// Write its write end. Unknown: the fd closed before its flags could be read.
enum class FdAccess { Read, Write, ReadWrite, Unknown };

// One fd a program held when it started, and what it refers to.
struct HeldFd {
    int fd = -1;
    std::string target;  // as /proc shows it: "pipe:[123]", "/dev/null", "socket:[9]"...
    FdKind kind = FdKind::Other;
    FdAccess access = FdAccess::Unknown;
    std::optional<unsigned long> pipe_inode;
};

// A process of the tree holding one end of a pipe, at the moment of the exec that leaked it.
struct PipeEnd {
    std::size_t process = 0;
    int fd = -1;
    FdAccess access = FdAccess::Unknown;  // which end
};

// Where a leaked fd was born, and how it came to the process that received it (--provenance).
struct FdOrigin {
    std::size_t creator = 0;      // the process whose system call made the fd (under this number)
    std::string creator_program;  // what it ran then
    std::string call;             // "openat", "pipe", "dup2", "fcntl(F_DUPFD)"...
    bool cloexec_at_creation = false;
    std::optional<int> copy_of;  // for a copy (dup family): the fd it copies
    std::string copy_of_call;    // and the call that made that fd, when it is known
    // The close-on-exec flag cleared later, in the process `inheritable_in`, by `inheritable_by`
    // ("fcntl(F_SETFD)", "ioctl(FIONCLEX)").
    std::optional<std::size_t> inheritable_in;
    std::string inheritable_by;
    std::vector<std::size_t> passed_through;  // processes between creator and receiver, in order
};

// An fd made without O_CLOEXEC and given the flag by a later call (pipe() then
// fcntl(F_SETFD, FD_CLOEXEC)): between the two calls, a fork and exec in another thread of the
// process leaks it. Not a leak that happened: a race that can, reported apart and not counted.
struct LateCloexec {
    std::size_t process = 0;
    std::string program;
    int fd = -1;
    std::string created_by;  // "pipe", "open"...
    std::string set_by;      // "fcntl(F_SETFD)", "ioctl(FIOCLEX)"
};

// An fd beyond 0, 1 and 2 held by a program at the exec that started it.
struct FdLeak {
    std::size_t process = 0;  // the process that exec'd
    std::string program;      // what it exec'd (the process may exec again later)
    std::vector<std::string> argv;
    HeldFd fd;
    std::vector<PipeEnd> pipe_ends;         // every fd of the tree on the same pipe, for a pipe
    std::optional<int> reads_from_fd;       // set when fd is the write end of the pipe it reads
                                            // from on this fd: it never sees end-of-file
    std::optional<std::size_t> allowed_by;  // the allow rule that accepts it (allow_rules.hpp)
    std::optional<FdOrigin> origin;         // with --provenance, when it could be found
    std::string origin_unknown;             // why not, when it could not
};

// How a parent that exited left a child it had not reaped: already exited (a zombie: nobody
// but the subreaper will collect its status), or still running (an orphan: nobody waits for it).
enum class Abandonment { Zombie, Orphan };

// A child its parent did not reap before exiting: in Findings::zombies or Findings::orphans.
struct Abandoned {
    std::size_t child = 0;
    std::size_t parent = 0;
};

// When the waits of the tree were looked at: --hang-after expired, pipex-audit was asked to
// stop, or COMMAND ended and left processes running.
enum class HangMoment { HangAfter, Signal, CommandEnded };

// A process holding the other end of a pipe another one waits on.
struct OtherEnd {
    std::size_t process = 0;
    int fd = -1;
    bool own = false;     // the waiting process itself: it waits on itself
    bool leaked = false;  // the fd was an fd leak at its exec (fd_leaks): it holds it by mistake
};

// A process blocked on a pipe: reading it, so it waits for data or for the last write end to
// go (end-of-file); or writing it, so it waits for a reader to make room.
struct PipeWait {
    std::size_t process = 0;
    int fd = -1;
    std::string pipe;  // "pipe:[123]"
    unsigned long inode = 0;
    bool reading = true;
    std::vector<OtherEnd> other_ends;  // every fd of the tree on the pipe's other end
};

// Who waited for what at one moment.
struct HangSnapshot {
    HangMoment moment = HangMoment::HangAfter;
    int signal = 0;  // for HangMoment::Signal
    std::vector<PipeWait> waits;
};

struct Findings {
    std::vector<FdLeak> fd_leaks;
    std::vector<FdLeak> allowed_leaks;  // leaks an allow rule accepts: shown, not counted
    std::vector<FdLeak> caller_fds;     // what COMMAND was given by pipex-audit's caller: context
    std::vector<Abandoned> zombies;
    std::vector<Abandoned> orphans;
    std::vector<std::size_t> left_running;  // still running when COMMAND ended: pipex-audit
                                            // killed them
    std::size_t execs = 0;
    int received_signal = 0;   // a signal that asked pipex-audit to stop, if any
    bool tree_killed = false;  // pipex-audit had to kill the whole tree (a second signal)
    std::vector<LateCloexec> late_cloexec;  // with --provenance
    bool provenance = false;                // --provenance, and the filter is in place
    std::string provenance_off;             // why not, when it was asked for
    std::vector<HangSnapshot> hangs;
    std::optional<std::chrono::milliseconds> hang_after;  // --hang-after, when given
    bool hang_after_expired = false;  // the tree still ran then: pipex-audit killed it
    // The fds beyond 0, 1 and 2 the top command held at its exit stop without close-on-exec:
    // fds it never closed (the exit closes them, so they are no leak: a tester reports them as
    // untidiness; close-on-exec ones are the program's own, on purpose).
    std::vector<HeldFd> top_exit_fds;

    bool clean() const {
        return fd_leaks.empty() && zombies.empty() && orphans.empty() && left_running.empty() &&
               !hang_after_expired;
    }

    // How `process` was left by its parent, if it was: a process is abandoned at most once.
    std::optional<Abandonment> abandonment(std::size_t process) const {
        for (const Abandoned& a : zombies)
            if (a.child == process) return Abandonment::Zombie;
        for (const Abandoned& a : orphans)
            if (a.child == process) return Abandonment::Orphan;
        return std::nullopt;
    }
};

}  // namespace pipex::audit
