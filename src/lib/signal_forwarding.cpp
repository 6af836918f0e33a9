// Catching the signals of a running pipeline: SIGCHLD to wake the supervisor, the stop signals to
// pass on to the stages at once.
#include "signal_forwarding.hpp"

#include <sys/time.h>

#include <algorithm>
#include <atomic>
#include <cerrno>

#include "pipex/base/system_error.hpp"

namespace pipex {

// The stop signals are passed on from the handler itself, kill(2) being async-signal-safe: a
// caller's input stream writer blocked in write(2) to the first stage is freed by that stage's
// end, with no help from the waiting loop. The rest of the tree is the supervisor's to signal.
namespace {

volatile sig_atomic_t g_received = 0;
volatile sig_atomic_t g_received_by_group = 0;
volatile sig_atomic_t g_received_count = 0;
volatile sig_atomic_t g_deadline_passed = 0;
pid_t* g_children = nullptr;  // by stage: the pid, or -1 before start and after reaping
volatile sig_atomic_t g_child_count = 0;

// Last stage first: one before it that ended first would give it end-of-file, and it could exit
// normally before its own signal came, while pipex's status follows the last stage's. SIGCONT
// follows, as a shell's does: a stopped stage would hold a SIGTERM pending forever. `signal` 0
// sends SIGCONT alone.
void signal_stages(int signal) {
    for (sig_atomic_t i = g_child_count; i-- > 0;) {
        if (g_children[i] <= 0) continue;
        if (signal != 0) ::kill(g_children[i], signal);
        ::kill(g_children[i], SIGCONT);
    }
}

extern "C" void forward_to_children(int signal, siginfo_t* info, void*) {
    // The kernel sends a terminal's signals to the whole foreground group: passed on again,
    // they would reach a stage that catches them twice.
    const bool by_group = info != nullptr && info->si_code == SI_KERNEL;
    g_received = signal;
    g_received_by_group = by_group;
    g_received_count = g_received_count + 1;
    signal_stages(by_group ? 0 : signal);
}

// Only there to interrupt ppoll: SIGCHLD's default disposition discards it.
extern "C" void note_child_ended(int, siginfo_t*, void*) {}

// The deadline ends the stages from the handler too: a writer blocked in write(2) to a first
// stage that reads nothing is freed by that stage's end.
extern "C" void end_at_deadline(int, siginfo_t*, void*) {
    g_deadline_passed = 1;
    signal_stages(SIGTERM);
}

void install(int signal, void (*handler)(int, siginfo_t*, void*), int flags,
             struct sigaction& saved) {
    struct sigaction action {};
    action.sa_sigaction = handler;
    sigfillset(&action.sa_mask);
    action.sa_flags = SA_SIGINFO | flags;
    if (::sigaction(signal, &action, &saved) != 0) throw SystemError(errno, "sigaction");
}

bool ignored_now(int signal) {
    struct sigaction current {};
    if (::sigaction(signal, nullptr, &current) != 0) throw SystemError(errno, "sigaction");
    return current.sa_handler == SIG_IGN;
}

}  // namespace

SignalForwarding::SignalForwarding(bool forward, std::vector<pid_t>& children) : forward_(forward) {
    g_received = 0;
    g_received_by_group = 0;
    g_received_count = 0;
    g_deadline_passed = 0;
    g_children = children.data();
    g_child_count = 0;
    install(SIGCHLD, note_child_ended, SA_RESTART | SA_NOCLDSTOP, saved_child_);
    if (!forward_) return;
    try {
        for (std::size_t i = 0; i < std::size(kStopSignals); ++i) {
            if (ignored_now(kStopSignals[i])) continue;
            // No SA_RESTART: a blocking call of the writer returns EINTR and sees the request.
            install(kStopSignals[i], forward_to_children, 0, saved_[i]);
            caught_[i] = true;
        }
    } catch (...) {
        restore();
        throw;
    }
}

SignalForwarding::~SignalForwarding() { restore(); }

void SignalForwarding::restore() noexcept {
    if (deadline_armed_) {
        const itimerval off{};
        ::setitimer(ITIMER_REAL, &off, nullptr);
        ::sigaction(SIGALRM, &saved_alarm_, nullptr);
    }
    for (std::size_t i = 0; i < std::size(kStopSignals); ++i)
        if (caught_[i]) ::sigaction(kStopSignals[i], &saved_[i], nullptr);
    ::sigaction(SIGCHLD, &saved_child_, nullptr);
    g_child_count = 0;
    g_children = nullptr;
}

void SignalForwarding::started(std::size_t index, pid_t pid) {
    std::atomic_signal_fence(std::memory_order_seq_cst);
    g_child_count = static_cast<sig_atomic_t>(index + 1);
    std::atomic_signal_fence(std::memory_order_seq_cst);
    if (int signal = g_received) {
        if (!g_received_by_group) ::kill(pid, signal);
        ::kill(pid, SIGCONT);
    }
}

void SignalForwarding::arm_deadline(std::chrono::milliseconds after) {
    install(SIGALRM, end_at_deadline, SA_RESTART, saved_alarm_);
    deadline_armed_ = true;
    // A zero timer is a disarmed one: the shortest wait stands for "now".
    const auto ms = std::max<std::chrono::milliseconds::rep>(after.count(), 1);
    itimerval timer{};
    timer.it_value.tv_sec = static_cast<time_t>(ms / 1000);
    timer.it_value.tv_usec = static_cast<suseconds_t>(ms % 1000 * 1000);
    if (::setitimer(ITIMER_REAL, &timer, nullptr) != 0) throw SystemError(errno, "setitimer");
}

bool SignalForwarding::deadline_passed() const { return g_deadline_passed != 0; }

int SignalForwarding::received() const { return static_cast<int>(g_received); }

unsigned long SignalForwarding::received_count() const {
    return static_cast<unsigned long>(g_received_count);
}

bool SignalForwarding::received_by_group() const { return g_received_by_group != 0; }

RunSignalsBlocked::RunSignalsBlocked(Which which) {
    sigset_t blocked;
    sigemptyset(&blocked);
    sigaddset(&blocked, SIGCHLD);
    if (which == Which::All) {
        sigaddset(&blocked, SIGALRM);
        for (int signal : kStopSignals) sigaddset(&blocked, signal);
    }
    if (int error = ::pthread_sigmask(SIG_BLOCK, &blocked, &previous_))
        throw SystemError(error, "pthread_sigmask");
}

RunSignalsBlocked::~RunSignalsBlocked() { ::pthread_sigmask(SIG_SETMASK, &previous_, nullptr); }

}  // namespace pipex
