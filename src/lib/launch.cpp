// Launching a command: its words to a running process, and bash's words when it cannot run.
#include "pipex/launch.hpp"

#include <sys/stat.h>
#include <sys/wait.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "pipex/base/command_file.hpp"
#include "pipex/base/exec_failure.hpp"
#include "pipex/base/exit_status.hpp"
#include "pipex/base/printable_name.hpp"
#include "pipex/base/system_error.hpp"
#include "pipex/path_lookup.hpp"

extern char** environ;

namespace pipex {
namespace {

constexpr const char* kShell = "/bin/sh";  // runs executable text files that have no "#!" line

LaunchResult not_started(ExecFailure failure) {
    return LaunchResult{-1, failure.status, std::move(failure.message)};
}

// exec takes char* const[] but never writes through it.
std::vector<char*> make_argv(const std::vector<std::string>& words) {
    std::vector<char*> argv;
    argv.reserve(words.size() + 1);
    for (const std::string& word : words) argv.push_back(const_cast<char*>(word.c_str()));
    argv.push_back(nullptr);
    return argv;
}

// A step before the exec failed: the caller's fds or files, which bash would report as a failed
// redirection ("in: No such file or directory", "9: Bad file descriptor", status 1). The program
// is not to blame.
ExecFailure setup_failure(const std::string& name, SpawnStep step, const ChildStdio& stdio,
                          const std::string& folder, int error) {
    const std::string reason = std::strerror(error);
    if (step == SpawnStep::CloseFds)
        return {kStatusNotExecutable, name + ": cannot close the fds it inherited: " + reason};
    if (step == SpawnStep::WorkingFolder) return {kStatusRedirectionFailed, folder + ": " + reason};
    if (step == SpawnStep::OpenInput || step == SpawnStep::OpenOutput ||
        step == SpawnStep::OpenError) {
        const StdioFile& file = step == SpawnStep::OpenInput    ? stdio.input_file
                                : step == SpawnStep::OpenOutput ? stdio.output_file
                                                                : stdio.error_file;
        return {kStatusRedirectionFailed, std::string(file.path) + ": " + reason};
    }
    const int fd = step == SpawnStep::Stdin    ? stdio.input
                   : step == SpawnStep::Stdout ? stdio.output
                                               : stdio.error;
    const char* as = step == SpawnStep::Stdin    ? "standard input: "
                     : step == SpawnStep::Stdout ? "standard output: "
                                                 : "standard error: ";
    return {kStatusRedirectionFailed,
            name + ": cannot use fd " + std::to_string(fd) + " as " + as + reason};
}

// The errno every exec of the command would fail with, as the kernel resolves its path, or 0
// when the exec may succeed. The PATH search has looked at what it found already.
int certain_exec_failure(const LocatedCommand& command, const std::string& folder) {
    const std::string& path = command.path;
    switch (command.file ? *command.file : examine_command_file(path, folder)) {
        case CommandFile::Executable:
            return 0;
        case CommandFile::Folder:
        case CommandFile::NotExecutable:
            return EACCES;
        case CommandFile::Missing:
            break;
    }
    struct stat status {};
    return ::stat(seen_from(folder, path).c_str(), &status) == 0 ? 0 : errno;
}

}  // namespace

LaunchContext LaunchContext::from_process_environment() {
    const char* path = std::getenv("PATH");
    return LaunchContext{environ, path ? std::optional<std::string>(path) : std::nullopt, {}};
}

struct CommandLaunch::State {
    std::string name;  // as the user wrote it, for the errors of the steps before the exec
    std::string path;
    std::string folder;  // the working folder, kept for the child to read
    ChildStdio stdio{-1, -1};
    std::vector<char*> argv;
    std::vector<char*> script_argv;          // {"/bin/sh", path, arguments..., nullptr}
    std::optional<LaunchResult> unrunnable;  // known before any process: not found, no words
    std::optional<LaunchResult> decided;
    StartedChild
        child;  // last: destroyed first, it waits until the child no longer reads the above

    LaunchResult outcome_of(const SpawnOutcome& spawned) const {
        if (spawned.error == 0) return unrunnable ? *unrunnable : LaunchResult{spawned.pid, 0, {}};
        switch (spawned.failed_step) {
            case SpawnStep::Program:
                return not_started(explain_exec_failure(path, spawned.error, folder));
            case SpawnStep::Script:
                return not_started({kStatusNotExecutable,
                                    std::string(kShell) + ": " + std::strerror(spawned.error)});
            case SpawnStep::Stdin:
            case SpawnStep::Stdout:
            case SpawnStep::Stderr:
            case SpawnStep::CloseFds:
            case SpawnStep::OpenInput:
            case SpawnStep::OpenOutput:
            case SpawnStep::OpenError:
            case SpawnStep::WorkingFolder:
                break;
        }
        return not_started(setup_failure(name, spawned.failed_step, stdio, folder, spawned.error));
    }

    // A command that cannot run whatever its files: bash still performs its redirections first
    // (it creates OUTFILE), and one that fails is the error said instead. A child does them, then
    // exits with the status; with no file, none is needed.
    void start_unrunnable(ExecFailure failure, const LaunchContext& context) {
        unrunnable = not_started(std::move(failure));
        if (!stdio.opens_files()) {
            decided = unrunnable;
            return;
        }
        child = start_process(
            SpawnRequest{nullptr, nullptr, context.envp, stdio, nullptr, unrunnable->status});
    }
};

CommandLaunch::CommandLaunch(std::unique_ptr<State> state) : state_(std::move(state)) {}
CommandLaunch::CommandLaunch(CommandLaunch&&) noexcept = default;
CommandLaunch& CommandLaunch::operator=(CommandLaunch&&) noexcept = default;
CommandLaunch::~CommandLaunch() = default;

pid_t CommandLaunch::pid() const { return state_->child.pid(); }

bool CommandLaunch::settled() const { return state_->decided || state_->child.settled(); }

LaunchResult CommandLaunch::result() {
    State& state = *state_;
    if (!state.decided) state.decided = state.outcome_of(state.child.wait());
    return *state.decided;
}

CommandLaunch start_command(const Command& command, ChildStdio stdio,
                            const LaunchContext& context) {
    auto state = std::make_unique<CommandLaunch::State>();
    state->stdio = stdio;
    state->folder = context.working_folder;
    if (command.words.empty()) {
        state->name = "'" + command.text + "'";
        state->start_unrunnable({kStatusNotFound, state->name + ": command not found"}, context);
        return CommandLaunch(std::move(state));
    }
    const std::string& name = command.words.front();
    state->name = printable_name(name);
    std::optional<LocatedCommand> located =
        locate_command(name, context.search_path, state->folder);
    if (!located) {
        state->start_unrunnable(command_not_found(name), context);
        return CommandLaunch(std::move(state));
    }
    // A file that is missing, a folder or not executable fails every exec: said now, as bash
    // words that failure, and no program is started for it. Under valgrind this also spares a
    // child that, a copy of pipex until its exec, would report pipex's memory as its own.
    if (const int error = certain_exec_failure(*located, state->folder); error != 0) {
        state->start_unrunnable(explain_exec_failure(located->path, error, state->folder), context);
        return CommandLaunch(std::move(state));
    }
    state->path = std::move(located->path);
    state->argv = make_argv(command.words);
    state->script_argv = state->argv;  // the same arguments, after the shell and the script's path
    state->script_argv[0] = const_cast<char*>(state->path.c_str());
    state->script_argv.insert(state->script_argv.begin(), const_cast<char*>(kShell));
    SpawnRequest request{state->path.c_str(), state->argv.data(), context.envp, stdio,
                         state->script_argv.data()};
    if (!state->folder.empty()) request.working_folder = state->folder.c_str();
    state->child = start_process(request);
    return CommandLaunch(std::move(state));
}

LaunchResult launch_command(const Command& command, ChildStdio stdio,
                            const LaunchContext& context) {
    CommandLaunch launch = start_command(command, stdio, context);
    LaunchResult result = launch.result();
    if (!result.started() && launch.pid() > 0)
        (void)retry_on_eintr([&] { return ::waitpid(launch.pid(), nullptr, 0); });
    return result;
}

}  // namespace pipex
