// Starting one timed command as a child of bench-timer.
#include "child.hpp"

#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <spawn.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <system_error>
#include <vector>

#include "pipex/base/system_error.hpp"

extern char** environ;

namespace bench {
namespace {

constexpr int kOutputFlags = O_WRONLY | O_CREAT | O_TRUNC;

std::vector<char*> argv_of(const CommandSpec& command) {
    std::vector<char*> argv;
    for (const auto& word : command.argv) argv.push_back(const_cast<char*>(word.c_str()));
    argv.push_back(nullptr);
    return argv;
}

void check(int error, const char* what) {
    if (error != 0) throw std::system_error(error, std::generic_category(), what);
}

// The common case: posix_spawn, a CLONE_VFORK clone, so the timing does not include copying
// bench-timer, and the same start cost for every command.
pid_t spawn_plain(const CommandSpec& command, std::vector<char*>& argv) {
    posix_spawn_file_actions_t actions;
    check(posix_spawn_file_actions_init(&actions), "posix_spawn_file_actions_init");
    int error = posix_spawn_file_actions_addopen(&actions, 0, command.input.c_str(), O_RDONLY, 0);
    if (error == 0)
        error = posix_spawn_file_actions_addopen(&actions, 1, command.output.c_str(), kOutputFlags,
                                                 0666);
    if (error == 0 && !command.errors.empty())
        error = posix_spawn_file_actions_addopen(&actions, 2, command.errors.c_str(), kOutputFlags,
                                                 0666);
    pid_t pid = -1;
    if (error == 0) error = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    check(error, command.argv[0].c_str());
    return pid;
}

[[noreturn]] void die_in_child(const char* what) {
    const char* reason = std::strerror(errno);
    for (const char* part : {"bench-timer: child: ", what, ": ", reason, "\n"})
        (void)!::write(2, part, std::strlen(part));
    ::_exit(127);
}

void redirect(const char* path, int flags, int target) {
    int fd = ::open(path, flags, 0666);
    if (fd < 0) die_in_child(path);
    if (fd != target && (::dup2(fd, target) < 0 || ::close(fd) < 0)) die_in_child("dup2");
}

// Only async-signal-safe calls from here to exec: the child is a copy of bench-timer.
[[noreturn]] void become_command(const CommandSpec& command, char* const* argv,
                                 const ChildOptions& options) {
    redirect(command.input.c_str(), O_RDONLY, 0);
    redirect(command.output.c_str(), kOutputFlags, 1);
    if (!command.errors.empty()) redirect(command.errors.c_str(), kOutputFlags, 2);
    if (options.user != nullptr) {
        if (::setgroups(0, nullptr) < 0 || ::setgid(options.user->gid) < 0 ||
            ::setuid(options.user->uid) < 0)
            die_in_child("dropping privileges");
    }
    if (options.traced) {
        if (::ptrace(PTRACE_TRACEME, 0, nullptr, nullptr) < 0) die_in_child("ptrace");
        ::raise(SIGSTOP);  // lets the tracer set its options before the exec
    }
    ::execve(argv[0], argv, environ);
    die_in_child(argv[0]);
}

}  // namespace

int wait_for(pid_t pid) {
    int status = 0;
    if (pipex::retry_on_eintr([&] { return ::waitpid(pid, &status, 0); }) < 0)
        throw pipex::SystemError(errno, "waitpid");
    return status;
}

pid_t start_child(const CommandSpec& command, const ChildOptions& options) {
    std::vector<char*> argv = argv_of(command);
    if (options.user == nullptr && !options.traced) return spawn_plain(command, argv);
    pid_t pid = ::fork();
    if (pid < 0) throw std::system_error(errno, std::generic_category(), "fork");
    if (pid == 0) become_command(command, argv.data(), options);
    return pid;
}

}  // namespace bench
