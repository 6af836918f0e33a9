// Failed system calls. pipex-audit reports every failure with the object it concerned
// ("/proc/42/fd: Permission denied"), and never lets a signal turn a call into a failure.
#pragma once

#include <cerrno>

#include "pipex/unique_fd.hpp"

namespace audit {

// The engine's error type: what() reads "OBJECT: REASON", ready to follow "pipex-audit: ".
using pipex::SystemError;

// Calls `call` again while it fails with EINTR. pipex-audit blocks the signals it handles, but a
// stop and continue (SIGTSTP, SIGCONT) can still interrupt a slow call.
template <class Call>
auto retry_on_eintr(Call call) {
    for (;;) {
        auto result = call();
        if (result != -1 || errno != EINTR) return result;
    }
}

}  // namespace audit
