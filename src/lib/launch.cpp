#include "pipex/launch.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
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

constexpr const char* kShell = "/bin/sh";  // runs executable text files that have no "#!" line

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

bool is_directory(const std::string& path) {
    struct stat st;
    return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

// exec takes char* const[] but never writes through it.
std::vector<char*> make_argv(const std::vector<std::string>& words) {
    std::vector<char*> argv;
    argv.reserve(words.size() + 1);
    for (const std::string& word : words) argv.push_back(const_cast<char*>(word.c_str()));
    argv.push_back(nullptr);
    return argv;
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

struct CommandLaunch::State {
    std::string path;
    std::vector<char*> argv;
    std::vector<char*> script_argv;  // {"/bin/sh", path, arguments..., nullptr}
    std::optional<LaunchResult> decided;
    StartedChild child;  // last: destroyed first, it waits until the child no longer reads the above
};

CommandLaunch::CommandLaunch(std::unique_ptr<State> state) : state_(std::move(state)) {}
CommandLaunch::CommandLaunch(CommandLaunch&&) noexcept = default;
CommandLaunch& CommandLaunch::operator=(CommandLaunch&&) noexcept = default;
CommandLaunch::~CommandLaunch() = default;

pid_t CommandLaunch::pid() const { return state_->child.pid(); }

bool CommandLaunch::settled() const { return state_->decided || state_->child.settled(); }

LaunchResult CommandLaunch::result() {
    State& state = *state_;
    if (state.decided) return *state.decided;
    const SpawnOutcome outcome = state.child.wait();
    if (outcome.error == 0)
        state.decided = LaunchResult{outcome.pid, 0, {}};
    else if (outcome.failed_step == ExecStep::Script)
        state.decided = failure(kShell, std::strerror(outcome.error), kStatusNotExecutable);
    else if (outcome.error == ENOEXEC)  // not run as a script: it is binary
        state.decided = failure(state.path, "cannot execute binary file: Exec format error",
                                kStatusNotExecutable);
    else
        state.decided = explain_exec_failure(state.path, outcome.error);
    return *state.decided;
}

CommandLaunch start_command(const Command& command, ChildStdio stdio, const LaunchContext& context) {
    auto state = std::make_unique<CommandLaunch::State>();
    if (command.words.empty()) {
        state->decided = failure("'" + command.text + "'", "command not found", kStatusNotFound);
        return CommandLaunch(std::move(state));
    }
    const std::string& name = command.words.front();
    std::optional<std::string> path = find_command(name, context.search_path);
    if (!path) {
        state->decided = failure(printable_name(name), "command not found", kStatusNotFound);
        return CommandLaunch(std::move(state));
    }
    state->path = std::move(*path);
    state->argv = make_argv(command.words);
    state->script_argv = state->argv;  // the same arguments, after the shell and the script's path
    state->script_argv[0] = const_cast<char*>(state->path.c_str());
    state->script_argv.insert(state->script_argv.begin(), const_cast<char*>(kShell));
    state->child = start_process(SpawnRequest{state->path.c_str(), state->argv.data(), context.envp,
                                              stdio, state->script_argv.data()});
    return CommandLaunch(std::move(state));
}

LaunchResult launch_command(const Command& command, ChildStdio stdio, const LaunchContext& context) {
    CommandLaunch launch = start_command(command, stdio, context);
    LaunchResult result = launch.result();
    if (!result.started() && launch.pid() > 0) {
        while (::waitpid(launch.pid(), nullptr, 0) < 0 && errno == EINTR) {
        }
    }
    return result;
}

}  // namespace pipex
