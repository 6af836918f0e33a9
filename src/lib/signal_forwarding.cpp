// Passing SIGINT, SIGTERM, SIGHUP and SIGQUIT on to the stages of a running pipeline.
#include "signal_forwarding.hpp"

#include <atomic>
#include <cerrno>

#include "pipex/base/system_error.hpp"

namespace pipex {

// A handler, not a signalfd: it lets the parent wait for its own children one by one with a
// blocking waitpid (no scan of every stage at each SIGCHLD, and no reaping of children that are
// not the pipeline's), while kill(2), being async-signal-safe, passes the signal on at once.
namespace {

volatile sig_atomic_t g_received = 0;
pid_t* g_children = nullptr;  // by stage: the pid, or -1 before start and after reaping
volatile sig_atomic_t g_child_count = 0;

extern "C" void forward_to_children(int signal) {
    g_received = signal;
    for (sig_atomic_t i = 0; i < g_child_count; ++i)
        if (g_children[i] > 0) ::kill(g_children[i], signal);
}

}  // namespace

SignalForwarding::SignalForwarding(bool enabled, std::vector<pid_t>& children) : enabled_(enabled) {
    if (!enabled_) return;
    g_received = 0;
    g_children = children.data();
    g_child_count = 0;
    struct sigaction action {};
    action.sa_handler = forward_to_children;
    sigfillset(&action.sa_mask);
    action.sa_flags = 0;  // no SA_RESTART: the blocking waitpid returns EINTR, then resumes
    for (std::size_t i = 0; i < std::size(kStopSignals); ++i) {
        if (::sigaction(kStopSignals[i], &action, &saved_[i]) != 0) {
            int error = errno;
            while (i-- > 0) ::sigaction(kStopSignals[i], &saved_[i], nullptr);
            throw SystemError(error, "sigaction");
        }
    }
}

SignalForwarding::~SignalForwarding() {
    if (!enabled_) return;
    for (std::size_t i = 0; i < std::size(kStopSignals); ++i)
        ::sigaction(kStopSignals[i], &saved_[i], nullptr);
    g_child_count = 0;
    g_children = nullptr;
}

void SignalForwarding::started(std::size_t index, pid_t pid) {
    if (!enabled_) return;
    std::atomic_signal_fence(std::memory_order_seq_cst);
    g_child_count = static_cast<sig_atomic_t>(index + 1);
    std::atomic_signal_fence(std::memory_order_seq_cst);
    if (int signal = g_received) ::kill(pid, signal);
}

ForwardedSignalsBlocked::ForwardedSignalsBlocked() {
    sigset_t forwarded;
    sigemptyset(&forwarded);
    for (int signal : kStopSignals) sigaddset(&forwarded, signal);
    if (int error = ::pthread_sigmask(SIG_BLOCK, &forwarded, &previous_))
        throw SystemError(error, "pthread_sigmask");
}

ForwardedSignalsBlocked::~ForwardedSignalsBlocked() {
    ::pthread_sigmask(SIG_SETMASK, &previous_, nullptr);
}

int SignalForwarding::received() const { return enabled_ ? static_cast<int>(g_received) : 0; }

}  // namespace pipex
