// Starting COMMAND under ptrace. The child waits on a pipe until pipex-audit has seized it, so
// not one instruction of COMMAND runs untraced, then restores the caller's signal state and
// execs. COMMAND inherits exactly the fds pipex-audit's caller gave (pipex-audit's own are all
// close-on-exec).
#pragma once

#include <sys/types.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "audit/trace/fd_syscalls.hpp"
#include "audit/trace/signals.hpp"
#include "pipex/base/unique_fd.hpp"

namespace pipex::audit {

// Tracing cannot start; what() says why, in words a user can act on.
class TraceImpossible : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct Launched {
    pid_t pid = 0;
    // Read end of a close-on-exec pipe: end-of-file once the exec succeeded, the exec's errno
    // (an int) if it failed.
    UniqueFd exec_error;
    bool provenance = false;     // the fd system calls stop the tree (fd_syscalls.hpp)
    std::string provenance_off;  // why not, when it was asked for
};

// Where and how the traced command starts, when not as pipex-audit itself runs: a tester
// (pipex-check) runs a program in a scratch folder, with its own stdio and environment. Each
// field left at its default keeps what pipex-audit's process has.
struct ChildSetup {
    const char* program = nullptr;  // the file to exec, argv[0] being only its name
    const char* folder = nullptr;   // the working folder
    char* const* envp = nullptr;    // the environment
    int stdio[3] = {-1, -1, -1};    // fds made the command's 0, 1 and 2
    int fd3 = -1;                   // an fd made its 3, as if its caller had left it open
};

// With `provenance`, the child installs the fd system calls' seccomp filter before it execs
// (inherited by the whole tree); if it cannot, COMMAND runs without it and Launched says why.
// Throws TraceImpossible, or SystemError when fork or pipe fail.
Launched launch_traced(const std::vector<std::string>& command, const SignalGate& signals,
                       bool provenance, const ChildSetup& setup = {});

// The options every tracee gets: follow all process creation and exec, stop at every exit, and
// kill the tree if pipex-audit itself dies; with provenance, the filter's stops too.
unsigned long trace_options(bool provenance);

}  // namespace pipex::audit
