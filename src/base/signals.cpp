// Signal names, the stop requests, and dying by a signal.
#include "pipex/base/signals.hpp"

#include <string.h>
#include <unistd.h>

#include "pipex/base/exit_status.hpp"

namespace pipex {

bool is_stop_signal(int signal) noexcept {
    for (int stop : kStopSignals)
        if (signal == stop) return true;
    return false;
}

std::string signal_name(int signal) {
    if (const char* abbreviation = ::sigabbrev_np(signal)) return std::string("SIG") + abbreviation;
    return "signal " + std::to_string(signal);
}

// Blocked, reset to default, raised, unblocked: the signal is pending from the raise, and POSIX
// delivers a pending signal before the sigprocmask that unblocks it returns, so the process dies
// at that one point whatever mask the caller had (pipex-audit blocks its stop requests to take
// them with sigwaitinfo; pipex does not). Raised before the disposition is default, it would run
// the caller's handler instead; raised without the final unblock, a caller that keeps it blocked
// would never receive it.
void die_by_signal(int signal) noexcept {
    sigset_t only;
    sigemptyset(&only);
    sigaddset(&only, signal);
    ::sigprocmask(SIG_BLOCK, &only, nullptr);
    ::signal(signal, SIG_DFL);
    ::raise(signal);
    ::sigprocmask(SIG_UNBLOCK, &only, nullptr);
    ::_exit(kStatusSignalBase + signal);  // only if the signal could not end the process
}

}  // namespace pipex
