/// @file
/// What the kernel tells about a process in /proc. A traced process can die at any moment, so a
/// reader answers "gone" (nullopt, or an empty list) when the process's files vanish; any other
/// failure throws SystemError naming the file.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

namespace pipex::proc {

/// The whole content of a /proc file.
std::optional<std::string> read_text(const std::string& path);

/// The target of a /proc symbolic link (an fd, exe).
std::optional<std::string> read_link(const std::string& path);

/// From /proc/TID/status: the process a task belongs to, and that process's parent.
struct TaskIds {
    pid_t tgid = 0;
    pid_t ppid = 0;
};
std::optional<TaskIds> task_ids(pid_t tid);

/// From /proc/PID/stat: the one-letter state (R, S, D, T, t, Z, X...) and the current parent.
struct TaskState {
    char state = '?';
    pid_t ppid = 0;
};
std::optional<TaskState> task_state(pid_t pid);

/// True for a process that has exited and waits to be reaped (Z), or is being reaped (X).
bool has_exited(char state);

/// Whether `signal` is pending for task `tid`, to it alone or to its whole process.
bool signal_pending(pid_t tid, int signal);

/// Whether process `pid` ignores SIGCHLD, so that its children are reaped as soon as they end.
bool ignores_sigchld(pid_t pid);

/// The arguments a process was started with (empty once it is a zombie).
std::vector<std::string> command_line(pid_t pid);

/// The name the kernel gives a process (/proc/PID/comm, at most 15 bytes of its program's name).
std::optional<std::string> program_name(pid_t pid);

/// From /proc/PID/io: the bytes a process passed through read and write calls of every kind
/// (rchar, wchar), files, pipes and sockets alike, its dynamic loader's reads included. `error`
/// is the errno when the file could not be read (0 when it was): once a process has ended, only
/// root may read it.
struct IoCounts {
    unsigned long long bytes_read = 0;
    unsigned long long bytes_written = 0;
    int error = 0;
};
IoCounts io_counts(pid_t pid);

/// The program a process runs: the target of /proc/PID/exe.
std::optional<std::string> executable(pid_t pid);

/// One open fd: its number, what it refers to ("pipe:[123]", "/dev/null"...), and its open flags
/// from fdinfo (-1 if the fd closed between the listing and the reading).
struct OpenFd {
    int fd = -1;
    std::string target;
    int flags = -1;
};
/// One fd of a process, nullopt when it is not open (or the process is gone).
std::optional<OpenFd> open_fd(pid_t pid, int fd);

/// The fds of a process numbered `lowest` or more, in increasing order.
std::vector<OpenFd> open_fds(pid_t pid, int lowest);

/// The system call a process is blocked in, from /proc/PID/syscall: its number and its first
/// argument (the fd, for read and write). nullopt when the process is running, not in a system
/// call, or gone. Only a process's tracer (or root, or its own user without ptrace restrictions)
/// may read it.
struct BlockedCall {
    long number = -1;
    unsigned long first_argument = 0;
};
std::optional<BlockedCall> blocked_call(pid_t pid);

/// The task that traces the calling process (0 when none), from /proc/self/status.
pid_t tracer_of_self();

/// Every process whose parent is `parent`: from /proc/PID/task/TID/children where the kernel has
/// it, else by reading every /proc/*/stat.
std::vector<pid_t> children_of(pid_t parent);

}  // namespace pipex::proc
