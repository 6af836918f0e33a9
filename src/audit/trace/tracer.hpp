// The ptrace event loop. pipex-audit does not trace system calls: it only stops a process when
// it creates a process or thread, execs, gets a signal, or exits, so the traced program runs at
// nearly full speed. Every stop is resumed as if nobody had looked: signals are delivered again,
// group-stops are kept with PTRACE_LISTEN.
#pragma once

#include <signal.h>
#include <sys/types.h>

#include <chrono>
#include <optional>

#include "audit/checks/exec_audit.hpp"
#include "audit/checks/fd_history.hpp"
#include "audit/checks/findings.hpp"
#include "audit/trace/fd_calls.hpp"
#include "audit/trace/process_table.hpp"
#include "audit/trace/signals.hpp"
#include "pipex/base/unique_fd.hpp"

namespace pipex::audit {

struct TraceOutcome {
    int top_wait_status = 0;
    int exec_error = 0;        // errno of COMMAND's exec when it could not start
    bool top_started = false;  // COMMAND's exec succeeded
};

class Tracer {
public:
    // With `hang_after`, a tree still running that long after COMMAND started has its waits
    // diagnosed (hang_diagnosis.hpp) and is killed.
    // With `provenance`, the tree was started under the fd system calls' filter (launcher.hpp):
    // each leak then says where its fd was born.
    Tracer(ProcessTable& table, Findings& findings, const SignalGate& signals, ExecPolicy policy,
           std::optional<std::chrono::milliseconds> hang_after = std::nullopt,
           bool provenance = false);

    // Follows the tree until the top command has ended and nothing of the tree is left: what
    // still runs then is recorded as left running and killed.
    TraceOutcome run(UniqueFd exec_error);

    // Sends `signal` to the top command `delay` after this call, as a user's kill(1) would
    // (unless it has ended by then): a tester's way to interrupt a run.
    void signal_top_after(std::chrono::milliseconds delay, int signal);

    // After a failure of pipex-audit itself: kill whatever of the tree is known to run.
    void kill_everything() noexcept;

private:
    bool drain();
    void dispatch(pid_t tid, int status);
    void on_stop(pid_t tid, int status);
    void on_exec(pid_t tid);
    void on_exit_stop(pid_t tid);
    void record_top_exit_fds(pid_t pid);
    void on_end(pid_t tid, int status);
    void on_top_ended(int status);
    void on_signal(const siginfo_t& info);
    void on_hang_after();
    std::optional<siginfo_t> next_signal();
    void begin_ending();
    void kill_if_left_running(std::size_t process) noexcept;
    void kill_process(std::size_t process) noexcept;
    void kill_untraced_children() noexcept;
    void resume(pid_t tid, int signal);
    void resume_to_return(pid_t tid);
    void listen(pid_t tid);

    ProcessTable& table_;
    Findings& findings_;
    const SignalGate& signals_;
    ExecPolicy policy_;
    bool provenance_;
    FdHistory history_;
    FdCalls fd_calls_{history_};
    std::optional<std::chrono::steady_clock::time_point> hang_deadline_;
    std::optional<std::chrono::steady_clock::time_point> poke_deadline_;
    int poke_signal_ = 0;
    pid_t self_;
    UniqueFd exec_error_;
    TraceOutcome outcome_;
    bool top_ended_ = false;
    bool ending_ = false;
    bool tree_gone_ = false;
};

}  // namespace pipex::audit
