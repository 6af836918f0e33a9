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

// With `provenance`, the child installs the fd system calls' seccomp filter before it execs
// (inherited by the whole tree); if it cannot, COMMAND runs without it and Launched says why.
// Throws TraceImpossible, or SystemError when fork or pipe fail.
Launched launch_traced(const std::vector<std::string>& command, const SignalGate& signals,
                       bool provenance);

// The options every tracee gets: follow all process creation and exec, stop at every exit, and
// kill the tree if pipex-audit itself dies; with provenance, the filter's stops too.
unsigned long trace_options(bool provenance);

}  // namespace pipex::audit
