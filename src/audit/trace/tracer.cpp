// The ptrace event loop: each stop handled, checked, and resumed as if nobody had looked.
#include "audit/trace/tracer.hpp"

#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>

#include "audit/checks/fd_inspection.hpp"
#include "audit/checks/hang_diagnosis.hpp"
#include "audit/checks/reaping_audit.hpp"
#include "pipex/base/io.hpp"
#include "pipex/base/proc_fs.hpp"
#include "pipex/base/system_error.hpp"

namespace pipex::audit {
namespace {

void* as_data(unsigned long value) { return reinterpret_cast<void*>(value); }

bool is_stopping_signal(int signal) {
    return signal == SIGSTOP || signal == SIGTSTP || signal == SIGTTIN || signal == SIGTTOU;
}

// ptrace on a task that SIGKILL has just ended fails with ESRCH: its end is on its way.
void checked_ptrace(__ptrace_request request, const char* name, pid_t tid, int signal) {
    if (::ptrace(request, tid, nullptr, as_data(static_cast<unsigned long>(signal))) == 0) return;
    if (errno != ESRCH)
        throw SystemError(errno, std::string(name) + " on pid " + std::to_string(tid));
}

// A stop signal that waited in its delivery stop while a SIGCONT came (pipex-audit itself was
// stopped by the same Ctrl-Z, say) is dropped: SIGCONT discards pending stop signals, and
// delivering it now would leave the process stopped after its continue.
int signal_to_deliver(pid_t tid, int signal) {
    if (is_stopping_signal(signal) && proc::signal_pending(tid, SIGCONT)) return 0;
    return signal;
}

// ESRCH is no failure here: the process has just ended. Anything else is worth a word, but
// must not stop pipex-audit from ending the tree.
void send_signal(pid_t pid, int signal) noexcept {
    if (::kill(pid, signal) == 0 || errno == ESRCH) return;
    std::string message =
        "pipex-audit: kill pid " + std::to_string(pid) + ": " + std::strerror(errno) + "\n";
    (void)write_all(2, message);
}

std::optional<pid_t> event_message(pid_t tid) {
    unsigned long message = 0;
    if (::ptrace(PTRACE_GETEVENTMSG, tid, nullptr, &message) == 0)
        return static_cast<pid_t>(message);
    if (errno != ESRCH)
        throw SystemError(errno, "PTRACE_GETEVENTMSG on pid " + std::to_string(tid));
    return std::nullopt;
}

}  // namespace

Tracer::Tracer(ProcessTable& table, Findings& findings, const SignalGate& signals,
               ExecPolicy policy, std::optional<std::chrono::milliseconds> hang_after,
               bool provenance)
    : table_(table),
      findings_(findings),
      signals_(signals),
      policy_(std::move(policy)),
      provenance_(provenance),
      self_(::getpid()) {
    history_.process_created(table_.top());
    findings_.hang_after = hang_after;
    if (hang_after) hang_deadline_ = std::chrono::steady_clock::now() + *hang_after;
}

TraceOutcome Tracer::run(UniqueFd exec_error) {
    exec_error_ = std::move(exec_error);
    for (;;) {
        bool reported = drain();
        if (top_ended_ && !ending_) begin_ending();
        if (tree_gone_) {
            findings_.late_cloexec = history_.late_cloexec();
            return outcome_;
        }
        // Once every traced process has ended, what still keeps pipex-audit waiting is a child
        // that escaped tracing (CLONE_UNTRACED) and was re-parented to it.
        if (ending_ && !reported && table_.not_ended().empty()) kill_untraced_children();
        std::optional<siginfo_t> info = next_signal();
        if (!info)
            on_hang_after();
        else if (info->si_signo != SIGCHLD)
            on_signal(*info);
    }
}

// The next signal; nullopt once, when --hang-after expires first. A signal due to the top
// command (signal_top_after) is sent on the way.
std::optional<siginfo_t> Tracer::next_signal() {
    for (;;) {
        if (ending_) return signals_.wait();
        std::optional<std::chrono::steady_clock::time_point> deadline = hang_deadline_;
        if (poke_deadline_ && (!deadline || *poke_deadline_ < *deadline)) deadline = poke_deadline_;
        if (!deadline) return signals_.wait();
        if (std::optional<siginfo_t> info = signals_.wait_until(*deadline)) return info;
        if (deadline == poke_deadline_) {
            poke_deadline_.reset();
            if (!top_ended_) send_signal(table_[table_.top()].pid, poke_signal_);
            continue;
        }
        hang_deadline_.reset();
        return std::nullopt;
    }
}

void Tracer::signal_top_after(std::chrono::milliseconds delay, int signal) {
    poke_deadline_ = std::chrono::steady_clock::now() + delay;
    poke_signal_ = signal;
}

// The tree still runs: say what each process waits for, then end it.
void Tracer::on_hang_after() {
    if (top_ended_) return;
    findings_.hangs.push_back(diagnose_waits(table_, findings_, HangMoment::HangAfter));
    findings_.hang_after_expired = true;
    kill_everything();
}

// Handles every report waiting; false if there was none.
bool Tracer::drain() {
    bool any = false;
    for (;;) {
        int status = 0;
        pid_t tid = retry_on_eintr([&] { return ::waitpid(-1, &status, __WALL | WNOHANG); });
        if (tid > 0) {
            any = true;
            dispatch(tid, status);
            continue;
        }
        if (tid == 0) return any;
        if (errno != ECHILD) throw SystemError(errno, "waitpid");
        tree_gone_ = true;
        return any;
    }
}

void Tracer::dispatch(pid_t tid, int status) {
    table_.tick();
    if (WIFSTOPPED(status))
        on_stop(tid, status);
    else if (WIFEXITED(status) || WIFSIGNALED(status))
        on_end(tid, status);
}

void Tracer::on_stop(pid_t tid, int status) {
    const int signal = WSTOPSIG(status);
    const unsigned event = static_cast<unsigned>(status) >> 16;
    const std::size_t process = table_.task(tid);
    history_.process_created(process);  // its first stop comes before its first system call
    if (ending_) kill_if_left_running(process);
    if (signal == (SIGTRAP | 0x80)) {  // the return of an fd system call (TRACESYSGOOD)
        if (provenance_) fd_calls_.returned(table_, process, tid);
        return resume(tid, 0);
    }
    switch (event) {
        case 0:  // signal-delivery-stop: deliver it as if nobody had looked
            return resume(tid, signal_to_deliver(tid, signal));
        case PTRACE_EVENT_STOP:  // group-stop, or a new task's first stop
            return is_stopping_signal(signal) ? listen(tid) : resume(tid, 0);
        case PTRACE_EVENT_FORK:
        case PTRACE_EVENT_VFORK:
        case PTRACE_EVENT_CLONE:
            if (std::optional<pid_t> created = event_message(tid))
                table_.task_created(*created, tid);
            return resume(tid, 0);
        case PTRACE_EVENT_EXEC:
            on_exec(tid);
            return resume(tid, 0);
        case PTRACE_EVENT_EXIT:
            on_exit_stop(tid);
            return resume(tid, 0);
        case PTRACE_EVENT_SECCOMP:  // an fd system call, about to run
            if (provenance_ && fd_calls_.entered(tid)) return resume_to_return(tid);
            return resume(tid, 0);
        default:
            return resume(tid, 0);
    }
}

void Tracer::on_exec(pid_t tid) {
    const std::size_t process = table_.task(tid);
    if (std::optional<pid_t> former = event_message(tid); former && *former != tid)
        table_.task_replaced_leader(*former, process);
    if (process == table_.top()) {
        outcome_.top_started = true;
        exec_error_.reset();
    }
    if (!table_[process].first_exec_at) table_[process].first_exec_at = table_.now();
    audit_exec(table_, findings_, process, policy_, provenance_ ? &history_ : nullptr);
}

void Tracer::on_exit_stop(pid_t tid) {
    const std::size_t process = table_.task(tid);
    if (!table_.task_exiting(tid)) return;  // other threads still run
    ProcessRecord& record = table_[process];
    if (record.phase == Phase::Running) record.phase = Phase::Exiting;
    if (!record.ended_at) record.ended_at = table_.now();
    if (process == table_.top()) record_top_exit_fds(record.pid);
    // At the exit stop the children are still the process's own: the moment to look.
    if (!record.killed_by_audit) check_children(table_, findings_, process, self_);
}

// What the top command still holds as it exits that an exec would pass on: fds it never closed,
// nor made close-on-exec. An unprivileged tracer is sometimes refused /proc/PID/fd at this
// stop (the kernel checks the exiting task's access rules): then nothing is known, and nothing
// is said.
void Tracer::record_top_exit_fds(pid_t pid) {
    try {
        findings_.top_exit_fds = inheritable_fds_beyond_stdio(pid);
    } catch (const SystemError& error) {
        if (error.code().value() != EACCES) throw;
        findings_.top_exit_fds.clear();
    }
}

void Tracer::on_end(pid_t tid, int status) {
    if (!table_.find_task(tid)) {
        // Reported a second time: a zombie whose parent left it, reaped by pipex-audit as
        // subreaper.
        if (std::optional<std::size_t> known = table_.find_pid(tid);
            known && table_[*known].phase == Phase::Dead)
            table_[*known].reaped_by_audit = true;
        return;
    }
    std::optional<std::size_t> ended = table_.task_ended(tid);
    if (!ended) return;  // a thread
    ProcessRecord& record = table_[*ended];
    record.phase = Phase::Dead;
    record.wait_status = status;
    if (!record.ended_at) record.ended_at = table_.now();
    // A process killed by SIGKILL ends without an exit stop: look at its children now.
    if (!record.killed_by_audit) check_children(table_, findings_, *ended, self_);
    if (*ended == table_.top()) on_top_ended(status);
}

void Tracer::on_top_ended(int status) {
    top_ended_ = true;
    outcome_.top_wait_status = status;
    if (outcome_.top_started || !exec_error_) return;
    int failure = 0;
    ssize_t got =
        retry_on_eintr([&] { return ::read(exec_error_.get(), &failure, sizeof failure); });
    if (got == static_cast<ssize_t>(sizeof failure)) outcome_.exec_error = failure;
}

// A first stop request is passed to the top command, as if it had been sent to it (unless the
// terminal sent it to the whole group, tree included); a second one kills the tree.
void Tracer::on_signal(const siginfo_t& info) {
    if (!is_stop_signal(info.si_signo)) return;
    if (findings_.received_signal == 0) {
        findings_.received_signal = info.si_signo;
        if (!top_ended_)
            findings_.hangs.push_back(
                diagnose_waits(table_, findings_, HangMoment::Signal, info.si_signo));
        if (!from_terminal(info) && !top_ended_)
            send_signal(table_[table_.top()].pid, info.si_signo);
        return;
    }
    if (findings_.tree_killed) return;
    findings_.tree_killed = true;
    kill_everything();
}

// After the top command ended, a process still doing something (one started since, typically)
// is left running.
void Tracer::kill_if_left_running(std::size_t process) noexcept {
    ProcessRecord& record = table_[process];
    if (record.phase != Phase::Running || record.killed_by_audit) return;
    if (!record.left_running) {
        record.left_running = true;
        findings_.left_running.push_back(process);
    }
    kill_process(process);
}

void Tracer::begin_ending() {
    ending_ = true;
    find_left_running(table_, findings_);
    if (!findings_.left_running.empty() && !findings_.hang_after_expired) {
        HangSnapshot snapshot = diagnose_waits(table_, findings_, HangMoment::CommandEnded);
        if (findings_.hangs.empty() || !same_waits(findings_.hangs.back(), snapshot))
            findings_.hangs.push_back(std::move(snapshot));
    }
    for (std::size_t process : findings_.left_running) kill_process(process);
}

void Tracer::kill_everything() noexcept {
    for (std::size_t process : table_.not_ended()) kill_process(process);
}

// Its children die with it, killed by pipex-audit too: they are not its orphans.
void Tracer::kill_process(std::size_t process) noexcept {
    ProcessRecord& record = table_[process];
    record.killed_by_audit = true;
    record.children_checked = true;
    send_signal(record.pid, SIGKILL);
}

void Tracer::kill_untraced_children() noexcept {
    try {
        for (pid_t child : proc::children_of(self_)) send_signal(child, SIGKILL);
    } catch (const SystemError&) {
        // Without /proc they cannot be found; waiting for them is all that is left.
    }
}

void Tracer::resume(pid_t tid, int signal) {
    checked_ptrace(PTRACE_CONT, "PTRACE_CONT", tid, signal);
}

void Tracer::resume_to_return(pid_t tid) {
    checked_ptrace(PTRACE_SYSCALL, "PTRACE_SYSCALL", tid, 0);
}

void Tracer::listen(pid_t tid) { checked_ptrace(PTRACE_LISTEN, "PTRACE_LISTEN", tid, 0); }

}  // namespace pipex::audit
