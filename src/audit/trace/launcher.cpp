// Starting COMMAND under ptrace, with not one instruction of it run untraced.
#include "audit/trace/launcher.hpp"

#include <fcntl.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <optional>

#include "audit/program/audit_status.hpp"
#include "pipex/base/exit_status.hpp"
#include "pipex/base/io.hpp"
#include "pipex/base/pipe.hpp"
#include "pipex/base/proc_fs.hpp"
#include "pipex/base/system_error.hpp"

namespace pipex::audit {
namespace {

std::vector<char*> c_arguments(const std::vector<std::string>& command) {
    std::vector<char*> argv;
    for (const std::string& word : command) argv.push_back(const_cast<char*>(word.c_str()));
    argv.push_back(nullptr);
    return argv;
}

// The setup's fds and folder, in the child. dup2 clears close-on-exec on the copies, and only
// on them; the exec error pipe moves out of fd 3's way first.
void apply_setup(const ChildSetup& setup, UniqueFd& error_pipe) noexcept {
    for (int fd = 0; fd < 3; ++fd)
        if (setup.stdio[fd] >= 0 && setup.stdio[fd] != fd && ::dup2(setup.stdio[fd], fd) < 0)
            ::_exit(kExitTrouble);
    if (setup.fd3 >= 0 && setup.fd3 != 3) {
        if (error_pipe.get() == 3) {
            int moved = ::fcntl(3, F_DUPFD_CLOEXEC, 4);
            if (moved < 0) ::_exit(kExitTrouble);
            error_pipe = UniqueFd(moved);
        }
        if (::dup2(setup.fd3, 3) < 0) ::_exit(kExitTrouble);
    }
    if (setup.folder && ::chdir(setup.folder) != 0) ::_exit(kExitTrouble);
}

// In the child: only async-signal-safe calls until exec, and never a return.
[[noreturn]] void run_child(const std::vector<char*>& argv, Pipe& go, Pipe& error, Pipe& filter,
                            const FdSyscallFilter* fd_filter, const SignalGate& signals,
                            const ChildSetup& setup) {
    go.write_end.reset();
    error.read_end.reset();
    filter.read_end.reset();
    char byte = 0;
    ssize_t got = retry_on_eintr([&] { return ::read(go.read_end.get(), &byte, 1); });
    if (got != 1) ::_exit(kExitTrouble);  // pipex-audit could not trace it: nothing may run
    // Traced from here on: a stop at a filtered call finds the tracer waiting.
    int filter_error = fd_filter ? install_fd_syscall_filter(fd_filter->program) : 0;
    (void)write_all(filter.write_end.get(), &filter_error, sizeof filter_error);
    filter.write_end.reset();
    apply_setup(setup, error.write_end);
    signals.restore_for_child();
    const char* program = setup.program ? setup.program : argv[0];
    if (setup.envp)
        ::execvpe(program, argv.data(), setup.envp);
    else
        ::execvp(program, argv.data());
    int failure = errno;
    (void)write_all(error.write_end.get(), &failure, sizeof failure);
    ::_exit(failure == ENOENT ? kStatusNotFound : kStatusNotExecutable);
}

std::optional<long> yama_scope() {
    std::optional<std::string> text = proc::read_text("/proc/sys/kernel/yama/ptrace_scope");
    if (!text || text->empty()) return std::nullopt;
    return std::strtol(text->c_str(), nullptr, 10);
}

std::string why_not_permitted() {
    if (pid_t tracer = proc::tracer_of_self()) {
        std::string name =
            proc::read_text("/proc/" + std::to_string(tracer) + "/comm").value_or("?\n");
        if (!name.empty() && name.back() == '\n') name.pop_back();
        return "pipex-audit is itself traced, by pid " + std::to_string(tracer) + " (" + name +
               "), which follows its children; a process can have only one tracer";
    }
    if (yama_scope() == 3)
        return "ptrace is disabled on this system (kernel.yama.ptrace_scope = 3)";
    return "the system forbids ptrace here (a seccomp filter, as in many containers, or a "
           "security module)";
}

std::string explain_seize_failure(int error) {
    std::string message =
        std::string("cannot trace COMMAND: ptrace(PTRACE_SEIZE): ") + std::strerror(error);
    if (error == EPERM) message += ": " + why_not_permitted();
    if (error == ENOSYS) message += ": this kernel has no ptrace";
    return message;
}

void kill_and_reap(pid_t pid) {
    ::kill(pid, SIGKILL);
    int status = 0;
    retry_on_eintr([&] { return ::waitpid(pid, &status, 0); });
}

}  // namespace

unsigned long trace_options(bool provenance) {
    unsigned long options = PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK | PTRACE_O_TRACECLONE |
                            PTRACE_O_TRACEEXEC | PTRACE_O_TRACEEXIT | PTRACE_O_EXITKILL;
    if (provenance) options |= PTRACE_O_TRACESECCOMP | PTRACE_O_TRACESYSGOOD;
    return options;
}

Launched launch_traced(const std::vector<std::string>& command, const SignalGate& signals,
                       bool provenance, const ChildSetup& setup) {
    std::vector<char*> argv = c_arguments(command);
    Launched launched;
    FdSyscallFilter fd_filter;
    if (provenance) {
        fd_filter = fd_syscall_filter();
        launched.provenance_off = fd_filter.unavailable;
    }
    const bool filtered = provenance && fd_filter.unavailable.empty();
    Pipe go = make_pipe();
    Pipe error = make_pipe();
    Pipe filter = make_pipe();
    pid_t pid = ::fork();
    if (pid < 0) throw SystemError(errno, "fork");
    if (pid == 0)
        run_child(argv, go, error, filter, filtered ? &fd_filter : nullptr, signals, setup);

    go.read_end.reset();
    error.write_end.reset();
    filter.write_end.reset();
    if (::ptrace(PTRACE_SEIZE, pid, nullptr, reinterpret_cast<void*>(trace_options(filtered))) !=
        0) {
        int failure = errno;
        kill_and_reap(pid);
        throw TraceImpossible(explain_seize_failure(failure));
    }
    if (int failure = write_all(go.write_end.get(), "g")) {
        kill_and_reap(pid);
        throw SystemError(failure, "pipe to the traced child");
    }
    launched.pid = pid;
    launched.exec_error = std::move(error.read_end);
    int filter_error = 0;
    ssize_t got = retry_on_eintr(
        [&] { return ::read(filter.read_end.get(), &filter_error, sizeof filter_error); });
    if (got != static_cast<ssize_t>(sizeof filter_error)) filter_error = EIO;
    launched.provenance = filtered && filter_error == 0;
    if (filtered && filter_error != 0)
        launched.provenance_off = std::string("the seccomp filter could not be installed: ") +
                                  std::strerror(filter_error);
    return launched;
}

}  // namespace pipex::audit
