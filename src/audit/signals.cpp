#include "signals.hpp"

#include <unistd.h>

#include <cerrno>

#include "exit_status.hpp"
#include "system_error.hpp"

namespace audit {
namespace {

constexpr int kStopRequests[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};

bool ignored_by_caller(int signal) {
    struct sigaction action {};
    if (::sigaction(signal, nullptr, &action) != 0) throw SystemError(errno, "sigaction");
    return action.sa_handler == SIG_IGN;
}

}  // namespace

SignalGate::SignalGate() {
    sigemptyset(&waited_);
    sigaddset(&waited_, SIGCHLD);
    for (int signal : kStopRequests)
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

void SignalGate::die_by(int signal) const {
    ::signal(signal, SIG_DFL);
    sigset_t only;
    sigemptyset(&only);
    sigaddset(&only, signal);
    ::raise(signal);  // stays pending until unblocked just below
    ::sigprocmask(SIG_UNBLOCK, &only, nullptr);
    ::_exit(kSignalBase + signal);  // only if the signal could not end the process
}

bool is_stop_request(int signal) {
    for (int request : kStopRequests)
        if (signal == request) return true;
    return false;
}

bool from_terminal(const siginfo_t& info) { return info.si_code == SI_KERNEL; }

}  // namespace audit
