// What the fds of a process refer to, read from /proc at the moment it stops in ptrace: at an
// exec stop /proc/PID/fd shows exactly what the new program starts with (close-on-exec fds are
// already closed).
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include "audit/checks/findings.hpp"
#include "pipex/base/proc_fs.hpp"

namespace pipex::audit {

// The fds of process `pid` numbered 3 or more, described.
std::vector<HeldFd> fds_beyond_stdio(pid_t pid);

// The same, without the close-on-exec ones: the fds its next exec would pass on.
std::vector<HeldFd> inheritable_fds_beyond_stdio(pid_t pid);

// One fd described: its kind, and its access from the open flags.
HeldFd describe_fd(const proc::OpenFd& open);

// The inode of "pipe:[INODE]", for an anonymous pipe.
std::optional<unsigned long> pipe_inode(const std::string& target);

// The fds of process `pid` that are ends of pipe `inode`.
std::vector<HeldFd> ends_of_pipe(pid_t pid, unsigned long inode);

}  // namespace pipex::audit
