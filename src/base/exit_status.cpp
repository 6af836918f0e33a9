// Wait statuses as a shell reads them.
#include "pipex/base/exit_status.hpp"

#include <sys/wait.h>

#include "pipex/base/signals.hpp"

namespace pipex {

int shell_status(int wait_status) noexcept {
    if (WIFSIGNALED(wait_status)) return kStatusSignalBase + WTERMSIG(wait_status);
    return WEXITSTATUS(wait_status);
}

std::string describe_wait_status(int wait_status) {
    if (WIFSIGNALED(wait_status))
        return signal_name(WTERMSIG(wait_status)) + " (" +
               std::to_string(shell_status(wait_status)) + ")";
    return "exit " + std::to_string(WEXITSTATUS(wait_status));
}

}  // namespace pipex
