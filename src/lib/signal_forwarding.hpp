// The signals of a running pipeline (internal to the engine): SIGCHLD, which wakes the supervisor
// when a child ends, SIGINT, SIGTERM, SIGHUP and SIGQUIT, which are passed on to every stage
// the moment they arrive, and SIGALRM at a timeout. Process-wide state: one pipeline at a time
// (run_pipeline serializes).
#pragma once

#include <signal.h>
#include <sys/types.h>

#include <chrono>
#include <cstddef>
#include <iterator>
#include <vector>

#include "pipex/base/signals.hpp"

namespace pipex {

class SignalForwarding {
public:
    // `children` is indexed by stage, -1 where no process runs; it must outlive this object and
    // not be resized. With `forward` false, only SIGCHLD is caught. A stop signal the process
    // ignores already stays ignored: not caught, not passed on, and inherited ignored by the
    // stages, as a shell started by nohup leaves SIGHUP.
    SignalForwarding(bool forward, std::vector<pid_t>& children);
    ~SignalForwarding();
    SignalForwarding(const SignalForwarding&) = delete;
    SignalForwarding& operator=(const SignalForwarding&) = delete;

    // Publishes a new child to the handler; `children[index]` must already hold its pid. A signal
    // that came before it was published is passed on here, so no child can miss it.
    void started(std::size_t index, pid_t pid);

    // From now on, SIGALRM after `after` (setitimer): the handler sends the stages SIGTERM, and
    // deadline_passed() turns true. The timer and SIGALRM's disposition are restored with the
    // rest.
    void arm_deadline(std::chrono::milliseconds after);
    bool deadline_passed() const;

    // The last signal received and passed on, or 0.
    int received() const;
    // How many stop signals have arrived: the supervisor acts once on each.
    unsigned long received_count() const;
    // Whether the last one was sent by the kernel to the whole foreground process group (a
    // terminal's Ctrl-C): the stages in that group already have it, so it was not sent again.
    bool received_by_group() const;

private:
    void restore() noexcept;

    bool forward_;
    bool caught_[std::size(kStopSignals)] = {};
    struct sigaction saved_[std::size(kStopSignals)];
    struct sigaction saved_child_;
    struct sigaction saved_alarm_ {};
    bool deadline_armed_ = false;
};

// Signals blocked in the calling thread for as long as the object lives: SIGCHLD alone for the
// whole run (a stage's end then costs no handler call, however many end while others start), and
// the stop signals and SIGALRM too while the supervisor checks its flags; it waits with them
// unblocked (ppoll), so that one arriving in between interrupts the wait instead of being missed.
class RunSignalsBlocked {
public:
    enum class Which { ChildEnded, All };
    explicit RunSignalsBlocked(Which which);
    ~RunSignalsBlocked();
    RunSignalsBlocked(const RunSignalsBlocked&) = delete;
    RunSignalsBlocked& operator=(const RunSignalsBlocked&) = delete;

    // The mask from before, to wait with.
    const sigset_t& previous() const { return previous_; }

private:
    sigset_t previous_;
};

}  // namespace pipex
