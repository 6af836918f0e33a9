#include "pipex/exit_status.hpp"

#include <sys/wait.h>

namespace pipex {

int shell_status(int wait_status) noexcept {
    if (WIFSIGNALED(wait_status)) return kStatusSignalBase + WTERMSIG(wait_status);
    return WEXITSTATUS(wait_status);
}

}  // namespace pipex
