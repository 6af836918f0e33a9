// What an audit found. Processes are named by their index in the ProcessTable, which keeps every
// process of the run, ended or not.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace pipex::audit {

// One fd a program held when it started, and what it refers to.
struct HeldFd {
    int fd = -1;
    std::string target;  // as /proc shows it: "pipe:[123]", "/dev/null", "socket:[9]"...
    std::string kind;    // pipe, socket, file, device, memfd, anonymous inode, other
    std::string access;  // read, write, read-write (for a pipe: its read or write end)
    std::optional<unsigned long> pipe_inode;
};

// A process of the tree holding one end of a pipe, at the moment of the exec that leaked it.
struct PipeEnd {
    std::size_t process = 0;
    int fd = -1;
    std::string access;
};

// An fd beyond 0, 1 and 2 held by a program at the exec that started it.
struct FdLeak {
    std::size_t process = 0;  // the process that exec'd
    std::string program;      // what it exec'd (the process may exec again later)
    std::vector<std::string> argv;
    HeldFd fd;
    std::vector<PipeEnd> pipe_ends;    // every fd of the tree on the same pipe, for a pipe
    std::optional<int> reads_from_fd;  // set when fd is the write end of the pipe it reads
                                       // from on this fd: it never sees end-of-file
};

// A child its parent did not reap before exiting: a zombie if the child had exited, an orphan
// if it was still running.
struct Abandoned {
    std::size_t child = 0;
    std::size_t parent = 0;
};

struct Findings {
    std::vector<FdLeak> fd_leaks;
    std::vector<FdLeak> caller_fds;  // what COMMAND was given by pipex-audit's caller: context
    std::vector<Abandoned> zombies;
    std::vector<Abandoned> orphans;
    std::vector<std::size_t> left_running;  // still running when COMMAND ended: pipex-audit
                                            // killed them
    std::size_t execs = 0;
    int received_signal = 0;   // a signal that asked pipex-audit to stop, if any
    bool tree_killed = false;  // pipex-audit had to kill the whole tree (a second signal)

    bool clean() const {
        return fd_leaks.empty() && zombies.empty() && orphans.empty() && left_running.empty();
    }
};

}  // namespace pipex::audit
