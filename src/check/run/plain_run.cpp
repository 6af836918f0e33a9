// Runs without the tracer: the oracle, valgrind.
#include "check/run/plain_run.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <ctime>
#include <optional>
#include <vector>

#include "check/run/memory_file.hpp"
#include "pipex/base/io.hpp"
#include "pipex/base/proc_fs.hpp"
#include "pipex/base/system_error.hpp"

namespace pipex::check {
namespace {

// In the child: async-signal-safe calls only, then the program.
[[noreturn]] void exec_command(const std::string& program, char* const* argv,
                               const std::string& folder, const int stdio[3],
                               const RunEnvironment& env, const audit::SignalGate& signals) {
    ::setpgid(0, 0);  // its own group: everything it starts is ended with it
    for (int fd = 0; fd < 3; ++fd)
        if (::dup2(stdio[fd], fd) < 0) ::_exit(126);
    if (::chdir(folder.c_str()) != 0) ::_exit(126);
    signals.restore_for_child();
    ::execve(program.c_str(), argv, env.envp());
    ::_exit(127);
}

// Waits for `pid` until `deadline`: its wait status, or nullopt when the deadline passed or
// a stop request came (`interrupted`). A signal due (`poke`, at `poke_at`) is sent on the way.
std::optional<int> wait_for(pid_t pid, std::chrono::steady_clock::time_point deadline, int poke,
                            std::chrono::steady_clock::time_point poke_at,
                            const audit::SignalGate& signals, bool& interrupted) {
    for (;;) {
        int status = 0;
        pid_t got = retry_on_eintr([&] { return ::waitpid(pid, &status, WNOHANG); });
        if (got == pid) return status;
        if (got < 0) throw SystemError(errno, "waitpid");
        std::optional<siginfo_t> info =
            signals.wait_until(poke ? std::min(deadline, poke_at) : deadline);
        if (!info && poke && std::chrono::steady_clock::now() >= poke_at) {
            ::kill(pid, poke);
            poke = 0;
            continue;
        }
        if (!info) return std::nullopt;
        if (info->si_signo != SIGCHLD) {
            interrupted = true;
            return std::nullopt;
        }
    }
}

}  // namespace

PlainRun run_plain(const PlainCommand& command, const RunEnvironment& env,
                   const audit::SignalGate& signals, std::chrono::milliseconds timeout) {
    UniqueFd in = memory_file("run-stdin", command.input);
    UniqueFd out = output_memory_file("run-stdout");
    UniqueFd err = output_memory_file("run-stderr");
    const int stdio[3] = {in.get(), out.get(), err.get()};
    std::vector<char*> argv;
    for (const std::string& word : command.argv) argv.push_back(const_cast<char*>(word.c_str()));
    argv.push_back(nullptr);
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    pid_t pid = ::fork();
    if (pid < 0) throw SystemError(errno, "fork");
    if (pid == 0) exec_command(command.program, argv.data(), command.folder, stdio, env, signals);
    ::setpgid(pid, pid);  // either of the two calls may come first

    PlainRun run;
    std::optional<int> status =
        wait_for(pid, deadline, command.signal_after_start,
                 std::chrono::steady_clock::now() + kSignalDelay, signals, run.interrupted);
    ::kill(-pid, SIGKILL);  // its background jobs, the whole group
    if (status) {
        run.wait_status = *status;
    } else {
        run.timed_out = !run.interrupted;
        int ignored = 0;
        retry_on_eintr([&] { return ::waitpid(pid, &ignored, 0); });
    }
    end_leftovers();
    run.io = {read_whole_file(out.get(), "stdout memfd"),
              read_whole_file(err.get(), "stderr memfd")};
    return run;
}

void end_leftovers() noexcept {
    // Killed processes end at once; a round that reaps nothing waits 10 ms for them, and 500
    // such rounds (5 s) are the bound: a process that cannot be found or killed must not keep
    // the worker waiting forever.
    for (int idle_rounds = 0; idle_rounds < 500;) {
        std::vector<pid_t> children;
        try {
            children = proc::children_of(::getpid());
        } catch (const SystemError&) {
            // Without /proc, reaping what ends is all that is left.
        }
        for (pid_t child : children) ::kill(child, SIGKILL);
        int status = 0;
        pid_t reaped = retry_on_eintr([&] { return ::waitpid(-1, &status, __WALL | WNOHANG); });
        if (reaped < 0) return;  // ECHILD: nothing is left
        if (reaped > 0) continue;
        ++idle_rounds;
        const timespec pause{0, 10 * 1000 * 1000};
        ::nanosleep(&pause, nullptr);
    }
}

}  // namespace pipex::check
