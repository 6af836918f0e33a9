// Launching a command: from its words to a running process, with bash's lookup, its fallbacks
// and its diagnostics when the command cannot run.
#pragma once

#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

#include "pipex/spawn.hpp"

namespace pipex {

struct Command {
    std::vector<std::string> words;  // argv; words[0] names the program
    std::string text;                // as the user wrote it, to name a command with no words
};

// What the children see: the environment and the PATH it holds, read once per pipeline.
struct LaunchContext {
    char* const* envp;
    std::optional<std::string> search_path;  // nullopt when PATH is unset

    static LaunchContext from_process_environment();
};

// Either a running child (pid > 0), or the reason it could not start: `status` is 126 or 127 and
// `error` reads "OBJECT: REASON" as bash words it ("nosuch: command not found",
// "/tmp: Is a directory", "./tool: Permission denied", ...).
struct LaunchResult {
    pid_t pid = -1;
    int status = 0;
    std::string error;

    bool started() const { return pid > 0; }
};

// - A text file that is executable but has no "#!" line runs under /bin/sh, as bash runs it.
// - Throws SystemError when the spawn could not be prepared (out of fds or memory), or when no
//   process could be created, retries included ("fork: Resource temporarily unavailable").
LaunchResult launch_command(const Command& command, ChildStdio stdio, const LaunchContext& context);

}  // namespace pipex
