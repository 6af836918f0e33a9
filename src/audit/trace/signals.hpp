// The signals pipex-audit waits for: SIGCHLD (a tracee stopped or ended) and the requests to
// stop (SIGINT, SIGTERM, SIGHUP, SIGQUIT). All are blocked and taken with sigwaitinfo, so none
// can slip in between a check and a wait. The traced program gets the caller's signal mask and
// dispositions back before it execs: the audit must not change how it reacts to signals.
#pragma once

#include <signal.h>

#include <chrono>
#include <optional>

#include "pipex/base/signals.hpp"

namespace pipex::audit {

class SignalGate {
public:
    // Blocks the signals above (and SIGPIPE: a closed stderr must give EPIPE, not kill the
    // audit); resets an ignored SIGCHLD, which would make children reap themselves.
    SignalGate();
    SignalGate(const SignalGate&) = delete;
    SignalGate& operator=(const SignalGate&) = delete;

    // In the child, before exec: the caller's mask and SIGCHLD disposition. Async-signal-safe.
    void restore_for_child() const noexcept;

    // The next signal: SIGCHLD or a stop request. Stop requests the caller ignored (a job
    // started in the background by a non-interactive shell ignores SIGINT) are left ignored.
    siginfo_t wait() const;

    // The same, waiting at most until `deadline`: nullopt when it passed first.
    std::optional<siginfo_t> wait_until(std::chrono::steady_clock::time_point deadline) const;

private:
    sigset_t caller_mask_{};
    sigset_t waited_{};
    struct sigaction caller_sigchld_ {};
};

// Sent by the terminal (Ctrl-C, Ctrl-\): the whole foreground process group, traced tree
// included, received it too.
bool from_terminal(const siginfo_t& info);

}  // namespace pipex::audit
