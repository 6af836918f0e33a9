/// @file
/// Containment: what run_pipeline does so that nothing a pipeline starts outlives it, and what it
/// found while doing it.
///
/// For the whole run the calling process is a child subreaper (PR_SET_CHILD_SUBREAPER): a process
/// orphaned anywhere under a stage (`sh -c 'sleep 9 &'`, a double-forked daemon) is re-parented to
/// it and reaped the moment it ends, so no zombie is left at any depth. Stages are reaped as they
/// end, in whatever order. Once every stage has ended, the descendants still running are sent
/// SIGTERM (and SIGCONT, so that a stopped one can act on it), then SIGKILL after `kill_after`, and
/// reaped; each is reported as a Descendant. A process "started by stage N" is one that holds an
/// end of a pipe or file of that stage (what it inherited from it); one that holds none is
/// attributed to no stage.
///
///   pipex::RunOptions options;
///   options.containment.wait_delay = std::chrono::seconds(1);   // end a pipe's stray holders
///   options.containment.timeout = std::chrono::minutes(5);      // end the whole tree after 5 min
///   pipex::PipelineResult result = pipex::run_pipeline(spec, options);
///   for (const pipex::Descendant& d : result.descendants) ...
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace pipex {

using Duration = std::chrono::milliseconds;

/// A duration as timeout(1) reads one: a non-negative decimal number, with a unit or none for
/// seconds: "2", "0.5s", "300ms", "1.5m", "1h", "1d". nullopt for anything else, and for what
/// does not fit in a Duration. Sub-millisecond parts are rounded up, so that "0.0001" is not 0.
std::optional<Duration> parse_duration(std::string_view text);

/// "2s", "300ms", "1.5s": the shortest way parse_duration reads back.
std::string format_duration(Duration duration);

/// What happens to the descendants still running when every stage has ended.
enum class LeftRunning {
    Terminate,  ///< SIGTERM, then SIGKILL after kill_after; all reaped (the default)
    Keep,       ///< left running, as a shell leaves them: they become the caller's children
};

struct ContainmentOptions {
    LeftRunning left_running = LeftRunning::Terminate;
    /// How long a process sent SIGTERM by pipex has to end before it is sent SIGKILL: descendants
    /// left running, pipe holders past the wait delay, the whole tree at the timeout or after a
    /// forwarded signal (stopped processes included).
    Duration kill_after = std::chrono::seconds(2);
    /// When set: after a stage ends, how long another process may go on holding the write end of
    /// that stage's output pipe (keeping the next stage from seeing end-of-file) before it is
    /// ended as above and reported as a PipeHolder. Unset, the next stage waits as in a shell.
    std::optional<Duration> wait_delay;
    /// When set: how long the whole run may take; then every process of the tree is ended as
    /// above and the result is timed_out (status 124, as timeout(1)).
    std::optional<Duration> timeout;
};

/// How a process pipex found running came to its end.
enum class Fate {
    Ended,       ///< by itself, after pipex found it
    Terminated,  ///< ended after pipex sent it SIGTERM
    Killed,      ///< ended after pipex sent it SIGKILL
    Kept,        ///< left running (LeftRunning::Keep)
};

/// A process other than a stage, found running once every stage had ended.
struct Descendant {
    pid_t pid = -1;
    std::string program;       ///< its name as the kernel has it (/proc/PID/comm)
    std::optional<int> stage;  ///< the stage (from 0) it inherited a pipe or file of, if any
    Fate fate = Fate::Ended;
};

/// A process other than the stage writing to a pipe that still held that pipe's write end open
/// after the stage ended: why the next stage saw no end-of-file.
struct PipeHolder {
    pid_t pid = -1;
    std::string program;
    int fd = -1;               ///< the fd it holds the write end as
    std::size_t pipe = 0;      ///< the pipe from stage `pipe` to stage `pipe + 1`
    std::optional<int> stage;  ///< the stage (from 0) that started it, as for Descendant
    Fate fate = Fate::Ended;   ///< Ended when it was only reported (on a signal, at the timeout)
};

}  // namespace pipex
