/// @file
/// Launching a command: from its words to a running process, with bash's lookup, its fallbacks
/// and its diagnostics when the command cannot run.
#pragma once

#include <sys/types.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "pipex/spawn.hpp"

namespace pipex {

struct Command {
    std::vector<std::string> words;  ///< argv; words[0] names the program
    std::string text;                ///< as the user wrote it, to name a command with no words
};

/// What the children see: the environment and the PATH it holds, read once per pipeline, and the
/// folder they run in.
struct LaunchContext {
    char* const* envp;
    std::optional<std::string> search_path;  ///< nullopt when PATH is unset
    /// Empty: the caller's. Else changed into by the child once its files are open (they are
    /// named from the caller's folder), and the command is looked for from there.
    std::string working_folder;

    static LaunchContext from_process_environment();
};

/// Either a running child (pid > 0), or the reason it could not start: `status` is 126 or 127 and
/// `error` reads "OBJECT: REASON" as bash words it ("nosuch: command not found",
/// "/tmp: Is a directory", "./tool: Permission denied", ...), or 1 when a file of its ChildStdio
/// could not be opened ("in: No such file or directory"), or its working folder entered
/// ("build: No such file or directory").
struct LaunchResult {
    pid_t pid = -1;
    int status = 0;
    std::string error;
    int signal = 0;  ///< once reaped: the signal that ended it, or 0 when it exited

    bool started() const { return pid > 0; }
};

/// A command on its way to running: start_command returns as soon as its process exists, and the
/// kernel loads the program meanwhile (spawn.hpp), so a pipeline can start its next stage at once.
class CommandLaunch {
public:
    CommandLaunch(CommandLaunch&&) noexcept;
    CommandLaunch& operator=(CommandLaunch&&) noexcept;
    ~CommandLaunch();  ///< waits for the exec, as result() does

    /// The process created, or -1 when none was (command not found, ...). Reap it with waitpid
    /// whatever result() says: when its program cannot run, it exits by itself with 126 or 127.
    pid_t pid() const;
    /// Whether result() would return at once.
    bool settled() const;
    /// Waits for the exec: a running child, or why the command could not run.
    LaunchResult result();

private:
    friend CommandLaunch start_command(const Command&, ChildStdio, const LaunchContext&);
    struct State;
    explicit CommandLaunch(std::unique_ptr<State> state);
    std::unique_ptr<State> state_;
};

/// - The child reads `command`'s words, `context.envp` and the paths of stdio's files until its
///   exec: they must stay valid until result() returns or the CommandLaunch is destroyed.
/// - stdio's files are opened by the child, as bash's child performs a command's redirections:
///   before the command runs, and even when it is not found (a child then opens them and exits
///   with 127, and result() says "NAME: command not found" unless an open failed).
/// - A text file that is executable but has no "#!" line runs under /bin/sh, as bash runs it.
/// - Throws SystemError when the spawn could not be prepared (out of fds or memory), or when no
///   process could be created, retries included ("fork: Resource temporarily unavailable").
CommandLaunch start_command(const Command& command, ChildStdio stdio, const LaunchContext& context);

/// start_command, then result(); a child whose program could not run has been reaped.
LaunchResult launch_command(const Command& command, ChildStdio stdio, const LaunchContext& context);

}  // namespace pipex
