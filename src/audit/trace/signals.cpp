// pipex-audit's signal gate: SIGCHLD and stop requests blocked and taken one at a time.
#include "audit/trace/signals.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "pipex/base/system_error.hpp"

namespace pipex::audit {
namespace {

bool ignored_by_caller(int signal) {
    struct sigaction action {};
    if (::sigaction(signal, nullptr, &action) != 0) throw SystemError(errno, "sigaction");
    return action.sa_handler == SIG_IGN;
}

}  // namespace

SignalGate::SignalGate() {
    sigemptyset(&waited_);
    sigaddset(&waited_, SIGCHLD);
    for (int signal : kStopSignals)
        if (!ignored_by_caller(signal)) sigaddset(&waited_, signal);
    sigset_t blocked = waited_;
    sigaddset(&blocked, SIGPIPE);
    if (::sigprocmask(SIG_BLOCK, &blocked, &caller_mask_) != 0)
        throw SystemError(errno, "sigprocmask");

    struct sigaction default_action {};
    default_action.sa_handler = SIG_DFL;
    sigemptyset(&default_action.sa_mask);
    if (::sigaction(SIGCHLD, &default_action, &caller_sigchld_) != 0)
        throw SystemError(errno, "sigaction(SIGCHLD)");
}

void SignalGate::restore_for_child() const noexcept {
    ::sigaction(SIGCHLD, &caller_sigchld_, nullptr);
    ::sigprocmask(SIG_SETMASK, &caller_mask_, nullptr);
}

siginfo_t SignalGate::wait() const {
    siginfo_t info{};
    if (retry_on_eintr([&] { return ::sigwaitinfo(&waited_, &info); }) < 0)
        throw SystemError(errno, "sigwaitinfo");
    return info;
}

std::optional<siginfo_t> SignalGate::wait_until(
    std::chrono::steady_clock::time_point deadline) const {
    for (;;) {
        const auto left = std::max(deadline - std::chrono::steady_clock::now(),
                                   std::chrono::steady_clock::duration::zero());
        const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(left);
        const auto nanoseconds =
            std::chrono::duration_cast<std::chrono::nanoseconds>(left - seconds);
        const timespec timeout{static_cast<time_t>(seconds.count()),
                               static_cast<long>(nanoseconds.count())};
        siginfo_t info{};
        if (::sigtimedwait(&waited_, &info, &timeout) >= 0) return info;
        if (errno == EAGAIN) return std::nullopt;
        // EINTR: a signal outside the set (SIGCONT after a stop); wait for what is left.
        if (errno != EINTR) throw SystemError(errno, "sigtimedwait");
    }
}

bool from_terminal(const siginfo_t& info) { return info.si_code == SI_KERNEL; }

}  // namespace pipex::audit
