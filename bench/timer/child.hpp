// Starting one timed command as a child of bench-timer.
#pragma once

#include <sys/types.h>

#include "plan.hpp"

namespace bench {

struct ChildOptions {
    const Identity* user = nullptr;  // switch to this user before exec
    bool traced = false;             // stop for a ptrace tracer (bench-timer) before exec
};

// Returns the child's pid. fd 0 and fd 1 are opened in the child from the command's files; fd 2
// is bench-timer's, so that a failing command's complaint is seen. Throws std::system_error.
pid_t start_child(const CommandSpec& command, const ChildOptions& options);

// waitpid(pid, &status, 0) through signals: the child's next wait status (an end, or a stop when
// it is traced). Throws pipex::SystemError.
int wait_for(pid_t pid);

}  // namespace bench
