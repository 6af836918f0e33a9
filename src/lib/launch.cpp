#include "pipex/launch.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "pipex/exit_status.hpp"
#include "pipex/path_lookup.hpp"
#include "pipex/unique_fd.hpp"
#include "printable_name.hpp"

extern char** environ;

namespace pipex {
namespace {

LaunchResult failure(const std::string& object, const char* reason, int status) {
    return LaunchResult{-1, status, object + ": " + reason};
}

// The first 80 bytes of a file, as much as bash looks at to judge what a file is.
std::string read_head(const std::string& path) {
    OpenResult file = open_file(path, O_RDONLY);
    if (!file.fd) return {};
    char sample[80];
    ssize_t got;
    do {
        got = ::read(file.fd.get(), sample, sizeof sample);
    } while (got < 0 && errno == EINTR);
    return got > 0 ? std::string(sample, static_cast<std::size_t>(got)) : std::string();
}

// bash's test for "cannot execute binary file": a NUL byte before the first newline.
bool looks_binary(const std::string& path) {
    std::string head = read_head(path);
    return head.substr(0, head.find('\n')).find('\0') != std::string::npos;
}

bool is_directory(const std::string& path) {
    struct stat st;
    return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

// posix_spawn takes char* const[] but never writes through it.
std::vector<char*> make_argv(const std::vector<std::string>& words) {
    std::vector<char*> argv;
    argv.reserve(words.size() + 1);
    for (const std::string& word : words) argv.push_back(const_cast<char*>(word.c_str()));
    argv.push_back(nullptr);
    return argv;
}

// When no process could be created even after retrying, no later stage will fare better: this
// stops the whole pipeline rather than failing one stage, whichever program was being started.
SpawnOutcome spawn_argv(const char* path, std::vector<char*>& argv, ChildStdio stdio,
                        const LaunchContext& context) {
    SpawnOutcome outcome = spawn_process(SpawnRequest{path, argv.data(), context.envp, stdio});
    if (outcome.error == EAGAIN) throw SystemError(EAGAIN, "fork");
    return outcome;
}

// The file exists but the kernel will not exec it as it is: run it as a shell script, unless it
// is binary, as bash does.
LaunchResult run_as_script(const std::string& path, const Command& command, ChildStdio stdio,
                           const LaunchContext& context) {
    if (looks_binary(path))
        return failure(path, "cannot execute binary file: Exec format error", kStatusNotExecutable);
    static const std::string shell = "/bin/sh";
    std::vector<char*> argv = make_argv(command.words);
    argv[0] = const_cast<char*>(path.c_str());
    argv.insert(argv.begin(), const_cast<char*>(shell.c_str()));
    SpawnOutcome outcome = spawn_argv(shell.c_str(), argv, stdio, context);
    if (outcome.error != 0) return failure(shell, std::strerror(outcome.error), kStatusNotExecutable);
    return LaunchResult{outcome.pid, 0, {}};
}

bool is_executable_file(const std::string& path) {
    struct stat st;
    return ::stat(path.c_str(), &st) == 0 && !S_ISDIR(st.st_mode) &&
           ::faccessat(AT_FDCWD, path.c_str(), X_OK, AT_EACCESS) == 0;
}

// The interpreter named by a "#!" line, or nullopt when the file does not start with one.
std::optional<std::string> interpreter_of(const std::string& path) {
    std::string head = read_head(path);
    if (head.rfind("#!", 0) != 0) return std::nullopt;
    std::size_t start = head.find_first_not_of(" \t", 2);
    if (start == std::string::npos) return std::string();
    return head.substr(start, head.find_first_of(" \t\n", start) - start);
}

// The same reasoning, in the same order, as bash's report of a failed execve.
LaunchResult explain_exec_failure(const std::string& path, int error) {
    if (is_directory(path)) return failure(path, std::strerror(EISDIR), kStatusNotExecutable);
    const int status = error == ENOENT ? kStatusNotFound : kStatusNotExecutable;
    if (!is_executable_file(path)) return failure(path, std::strerror(error), status);
    // The file is there and executable: what fails is its interpreter or dynamic loader.
    if (error == ENOENT) return failure(path, "cannot execute: required file not found", status);
    if (std::optional<std::string> interpreter = interpreter_of(path))
        return failure(path, (*interpreter + ": bad interpreter: " + std::strerror(error)).c_str(), status);
    return failure(path, std::strerror(error), status);
}

}  // namespace

LaunchContext LaunchContext::from_process_environment() {
    const char* path = std::getenv("PATH");
    return LaunchContext{environ, path ? std::optional<std::string>(path) : std::nullopt};
}

LaunchResult launch_command(const Command& command, ChildStdio stdio, const LaunchContext& context) {
    if (command.words.empty())
        return failure("'" + command.text + "'", "command not found", kStatusNotFound);
    const std::string& name = command.words.front();
    std::optional<std::string> path = find_command(name, context.search_path);
    if (!path) return failure(printable_name(name), "command not found", kStatusNotFound);

    std::vector<char*> argv = make_argv(command.words);
    SpawnOutcome outcome = spawn_argv(path->c_str(), argv, stdio, context);
    if (outcome.error == 0) return LaunchResult{outcome.pid, 0, {}};
    if (outcome.error == ENOEXEC) return run_as_script(*path, command, stdio, context);
    return explain_exec_failure(*path, outcome.error);
}

}  // namespace pipex
