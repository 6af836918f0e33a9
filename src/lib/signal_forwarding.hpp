// Signal forwarding while a pipeline runs (internal to the engine): SIGINT, SIGTERM, SIGHUP and
// SIGQUIT sent to the parent are passed on to every stage still running, so that interrupting
// pipex never leaves a stage behind. Process-wide state: one forwarding pipeline at a time, in a
// single-threaded program.
#pragma once

#include <signal.h>
#include <sys/types.h>

#include <cstddef>
#include <iterator>
#include <vector>

#include "pipex/base/signals.hpp"

namespace pipex {

class SignalForwarding {
public:
    // `children` is indexed by stage, -1 where no process runs; it must outlive this object and
    // not be resized. When `enabled` is false, every member does nothing.
    SignalForwarding(bool enabled, std::vector<pid_t>& children);
    ~SignalForwarding();
    SignalForwarding(const SignalForwarding&) = delete;
    SignalForwarding& operator=(const SignalForwarding&) = delete;

    // Publishes a new child to the handler; `children[index]` must already hold its pid. A signal
    // that came before it was published is passed on here, so no child can miss it.
    void started(std::size_t index, pid_t pid);

    // The last signal received and passed on, or 0.
    int received() const;

private:
    bool enabled_;
    struct sigaction saved_[std::size(kStopSignals)];
};

// The forwarded signals blocked in the calling thread for as long as the object lives.
class ForwardedSignalsBlocked {
public:
    ForwardedSignalsBlocked();
    ~ForwardedSignalsBlocked();
    ForwardedSignalsBlocked(const ForwardedSignalsBlocked&) = delete;
    ForwardedSignalsBlocked& operator=(const ForwardedSignalsBlocked&) = delete;

    // The mask from before, to wait with (ppoll, sigsuspend).
    const sigset_t& previous() const { return previous_; }

private:
    sigset_t previous_;
};

}  // namespace pipex
