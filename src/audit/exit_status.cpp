#include "exit_status.hpp"

#include <sys/wait.h>

#include <cstring>

namespace audit {

int shell_status(int wait_status) {
    if (WIFSIGNALED(wait_status)) return kSignalBase + WTERMSIG(wait_status);
    return WEXITSTATUS(wait_status);
}

std::string signal_name(int signal) {
    if (const char* abbreviation = ::sigabbrev_np(signal)) return std::string("SIG") + abbreviation;
    return "signal " + std::to_string(signal);
}

std::string describe_wait_status(int wait_status) {
    if (WIFSIGNALED(wait_status))
        return signal_name(WTERMSIG(wait_status)) + " (" +
               std::to_string(shell_status(wait_status)) + ")";
    return "exit " + std::to_string(WEXITSTATUS(wait_status));
}

}  // namespace audit
