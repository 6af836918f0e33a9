/// @file
/// Pipelines: N commands connected stdout-to-stdin, fed from an input and writing to an output.
///
///   pipex::PipelineSpec spec = pipex::PipelineBuilder()
///       .input_text("b\na\nb\n")           // or input_file("in.txt"), input_here_doc(0, "EOF")
///       .command({"sort"})
///       .command_line("uniq -c")            // split with shell quoting (command_words.hpp)
///       .output_file("out.txt", pipex::OutputMode::Truncate)
///       .build();
///   pipex::PipelineResult result = pipex::run_pipeline(spec);
///   return result.status();
///
/// The spec owns every fd the builder created for it (input_text, input_owned), so it can be run
/// long after the builder is gone; fds the caller gave (input_fd, output_fd) stay the caller's.
///
/// All stages run at the same time, and are reaped as each ends. The parent holds at most one pipe
/// and the read end of the previous one at any moment (plus the write end of an input stream), and
/// closes each pipe end as soon as the child that needs it holds it, so end-of-file and SIGPIPE
/// travel down and up the pipeline as they should. It never opens InputFile or OutputFile: as
/// bash's children perform their redirections, the first stage's own process opens INFILE and the
/// last stage's OUTFILE before their commands run (spawn.hpp). A FIFO waiting for its other end
/// holds up that stage alone, and a signal meanwhile ends it by its default action (as ^C ends
/// bash's); a file that cannot be opened is that stage's error, status 1, and its command does not
/// run.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "pipex/base/unique_fd.hpp"
#include "pipex/containment.hpp"
#include "pipex/launch.hpp"
#include "pipex/stream_control.hpp"

namespace pipex {

enum class OutputMode { Truncate, Append };

struct InputFile {
    std::string path;  ///< opened read-only, by the first stage's process
};
struct InputFd {
    int fd;  ///< borrowed: the caller keeps ownership
};
/// An fd the spec owns: copies of the spec share it, and it is closed with the last of them. The
/// stages read it from its current offset, so a second run of the same spec reads what the first
/// left unread (nothing, after a stage read it all).
struct InputOwnedFd {
    std::shared_ptr<const UniqueFd> fd;
};
/// Input written by the caller while the stages run (a here-document read from a pipe, say).
/// Once every stage has started, write_to is called once, on the calling thread, with the write
/// end of a pipe to the first stage, which is closed when it returns; the stages are waited for
/// after that. It must return when control.stop() turns true, should wait for its own input with
/// control.wait_readable, and must treat EPIPE as the first stage having left: SIGPIPE must be
/// ignored by the caller. With an OutputCallback or a StderrCallback, `fd` is in non-blocking mode:
/// a write that finds the pipe full fails with EAGAIN, and the writer then calls
/// control.wait_writable(fd), which reads the outputs meanwhile. It may throw SystemError, which
/// becomes the result's failure (the stages are still waited for, not stopped); std::bad_alloc
/// stops them (SIGTERM); any other exception is passed on by run_pipeline once the stages have been
/// waited for. When too few fds are left for the pipe to stay open beside the stages' own, write_to
/// is called before any stage starts, with a memfd instead: the whole input is then held in memory,
/// which costs time, not correctness.
struct InputStream {
    std::function<void(int fd, const StreamControl& control)> write_to;
};
/// A here-document, as bash's `CMD << 'LIMITER'`: what `fd` holds up to a line exactly equal to
/// `limiter` (here_doc.hpp), read when the pipeline runs.
/// - `fd` a terminal: bash prompts for and reads the whole here-document before running
///   anything, and so does run_pipeline: "> " goes to fd 2 before each line, and the text is read
///   into a memfd before any stage starts (and opens the output) or signals are forwarded
///   (RunOptions), so a signal meanwhile meets the caller's own disposition. A SystemError while
///   reading is the result's failure, and nothing runs.
/// - Anything else: streamed to the running first stage as an InputStream (same SIGPIPE rule,
///   same memfd when fds are short); what follows the limiter line is left unread when `fd` is
///   seekable.
/// When input ends before the limiter line, the text so far is used, the result says so
/// (here_doc_delimited_by_eof), and on_error is given "warning: here-document delimited by
/// end-of-file (wanted `LIMITER')" when the copy ends: from a terminal, before any other error.
struct InputHereDoc {
    int fd;  ///< borrowed
    std::string limiter;
};
/// Opened by the last stage's process, even when its command is not found (bash creates OUTFILE
/// then too), and not when that process's INFILE failed first (a one-stage pipeline).
struct OutputFile {
    std::string path;  ///< created with mode 0666 minus the umask
    OutputMode mode = OutputMode::Truncate;
};
struct OutputFd {
    int fd;  ///< borrowed
};
/// The output kept for the caller, in PipelineResult::output. The last stage writes into an
/// anonymous in-memory file (a memfd), never a pipe: no amount of output makes a stage wait for
/// a reader, and none of it is cut. It is read back once every stage has ended, so its size is
/// bounded by memory (and swap), not by a buffer. It is in append mode, so that the last stage
/// and what it starts never write over each other.
struct OutputCapture {};
/// The output handed to `sink` as it comes, in chunks of at most 64 KiB, on the calling thread
/// from within run_pipeline (with the signals it handles blocked). The last stage writes into a
/// pipe that the run reads whenever it waits, for the stages, for an input stream's room, for
/// its deadlines: neither side waits on the other, whatever the sizes. After the last stage
/// ends, the pipe is read to its end (what the descendants ended then still wrote included), or,
/// with LeftRunning::Keep, for what it holds at that moment. What `sink` throws ends the run as
/// on_error's exceptions do.
struct OutputCallback {
    std::function<void(std::string_view chunk)> sink;
};

/// Where a stage's stderr goes (PipelineBuilder::stderr_to).
struct StderrInherit {};  ///< the caller's fd 2, as it is: the default
struct StderrFd {
    int fd;  ///< borrowed
};
/// Opened by the stage's own process, as `2> PATH` (or `2>> PATH`), once its stdout is in place;
/// one that cannot be opened is the stage's error (status 1, its command does not run).
struct StderrFile {
    std::string path;  ///< created with mode 0666 minus the umask
    OutputMode mode = OutputMode::Truncate;
};
/// Kept for the caller, in the stage's StageResult::error_output: a memfd in append mode, as
/// OutputCapture's, read back once every stage has ended. What the engine itself says of a stage
/// ("cmd: command not found") is not in it: that is StageResult::error, and on_error's.
struct StderrCapture {};
/// Handed to `sink` as it comes, as OutputCallback's output is, through a pipe of its own: a
/// stage's stderr and the output are read in the same wait, so neither can hold the other up.
struct StderrCallback {
    std::function<void(std::string_view chunk)> sink;
};
/// Merged into the stage's stdout once that is in place, as `2>&1`: into the pipe to the next
/// stage (bash's `|&`), or, for the last stage, into the output, file or capture.
struct StderrToStdout {};
using StageStderr = std::variant<StderrInherit, StderrFd, StderrFile, StderrCapture, StderrCallback,
                                 StderrToStdout>;

/// Changes to the environment stages start with, made in order to the caller's environment as
/// it is when the run starts (`environ`), or to an empty one with `start_empty`.
struct EnvironmentChanges {
    bool start_empty = false;
    /// NAME and its new value; without a value, NAME is removed.
    std::vector<std::pair<std::string, std::optional<std::string>>> changes;

    bool empty() const { return !start_empty && changes.empty(); }
};

/// A pipeline frozen into plain data, owning what it names but the fds the caller lent
/// (InputFd, InputHereDoc, OutputFd). Copies are cheap and share the owned input fd. Build it
/// with PipelineBuilder.
struct PipelineSpec {
    using Input = std::variant<InputFile, InputFd, InputOwnedFd, InputStream, InputHereDoc>;
    using Output = std::variant<OutputFile, OutputFd, OutputCapture, OutputCallback>;
    Input input;
    std::vector<Command> commands;
    Output output;
    std::vector<StageStderr> stderr_of;  ///< by stage; a stage without one inherits
    EnvironmentChanges environment;      ///< every stage's
    /// By stage, made after `environment`; a stage without one has those alone.
    std::vector<EnvironmentChanges> stage_environment;
    /// By stage, the folder it runs in; empty (or no entry): the caller's (PipelineBuilder::
    /// working_folder).
    std::vector<std::string> working_folder_of;
};

/// Each input_* and output_* call replaces the previous one; the default is fd 0 to fd 1.
class PipelineBuilder {
public:
    PipelineBuilder& input_file(std::string path);
    PipelineBuilder& input_fd(int fd);
    /// A memfd holding `text`, owned by the specs built from here on. Throws SystemError.
    PipelineBuilder& input_text(std::string_view text);
    /// `fd`, owned by the specs built from here on.
    PipelineBuilder& input_owned(UniqueFd fd);
    PipelineBuilder& input_stream(
        std::function<void(int fd, const StreamControl& control)> write_to);
    /// InputHereDoc: from `fd` (borrowed) up to a line equal to `limiter`.
    PipelineBuilder& input_here_doc(int fd, std::string limiter);
    PipelineBuilder& command(std::vector<std::string> words);
    /// Throws CommandSyntaxError for an unterminated quote.
    PipelineBuilder& command_line(std::string_view text);
    PipelineBuilder& output_file(std::string path, OutputMode mode = OutputMode::Truncate);
    PipelineBuilder& output_fd(int fd);
    /// OutputCapture: the output comes back in PipelineResult::output.
    PipelineBuilder& output_capture();
    /// OutputCallback: the output goes to `sink` while the pipeline runs.
    PipelineBuilder& output_to(std::function<void(std::string_view chunk)> sink);
    /// Where the stderr of the command added last goes; given before any command, where that of
    /// every command goes that does not say.
    PipelineBuilder& stderr_to(StageStderr where);
    /// The environment: NAME set to `value`, NAME removed, or every variable removed first. Given
    /// after a command, the change is that command's; before any, every command's. A command is
    /// looked for in its own PATH, as bash looks for `PATH=/opt/bin cmd`. Throws
    /// std::invalid_argument for a name that is empty or holds '='.
    PipelineBuilder& set_env(std::string name, std::string value);
    PipelineBuilder& unset_env(std::string name);
    PipelineBuilder& clear_env();
    /// The folder commands run in, as `(cd FOLDER && CMD)`: the command added last, or, given
    /// before any, every command that does not say. It is named, as the pipeline's files are, from
    /// the caller's folder, and entered by the stage's process once its files are open; the
    /// command is looked for from it (a relative PATH entry or "./tool" is its). One that cannot
    /// be entered is the stage's error ("FOLDER: No such file or directory", status 1). Throws
    /// std::invalid_argument for an empty name.
    PipelineBuilder& working_folder(std::string folder);

    /// Throws std::invalid_argument when no command was given.
    PipelineSpec build() const;

private:
    PipelineSpec spec_{InputFd{0}, {}, OutputFd{1}, {}, {}, {}, {}};
    EnvironmentChanges& environment_changes();            // the last command's, or every command's
    std::vector<std::optional<StageStderr>> own_stderr_;  ///< by command, as stderr_to said
    std::vector<EnvironmentChanges> own_environment_;     ///< by command, as set_env... said
    std::vector<std::string> own_folder_;                 ///< by command; empty: the default
    StageStderr default_stderr_ = StderrInherit{};
    std::string default_folder_;
};

/// What the kernel counted for a stage that ran, for a report (report.hpp).
struct StageUsage {
    std::chrono::nanoseconds wall{};  ///< from its creation to its end
    /// wait4's rusage: the stage's own, and that of the children it waited for itself.
    std::chrono::microseconds user_cpu{};
    std::chrono::microseconds system_cpu{};
    /// ru_maxrss: the largest resident size of the stage and its waited-for children. The kernel
    /// counts the parent's memory a child shares until its exec, so it is never below pipex's
    /// own size (about 1 MiB).
    long peak_memory_kib = 0;
    /// From /proc/PID/io, read before the stage is reaped (RunOptions::count_bytes): the bytes
    /// passed to its read and write calls of every kind, its dynamic loader's reads included.
    std::optional<unsigned long long> bytes_read;
    std::optional<unsigned long long> bytes_written;
    std::string bytes_unavailable;  ///< why they are missing ("/proc/123/io: Permission denied")
};

/// A stage after the run (launch.hpp): `pid` is its process, reaped, or -1 when it never started;
/// `status` is shell-style, its exit code or 128+N for signal N, and when it never started 126 or
/// 127 (its program could not run) or 1 (its input or output could not be opened); `signal` the
/// signal that ended it, or 0; `error` says why it never started, "OBJECT: REASON".
struct StageResult : LaunchResult {
    StageUsage usage;  ///< for a stage that ran (started())
    /// Died of SIGPIPE once the stage reading its output had let go of the pipe (ended, never
    /// started, or closed its stdin), as `yes` in `yes | head`: the pipe's normal end, not a
    /// failure. Never set for the last stage, whose reader is outside the pipeline.
    bool benign_sigpipe = false;
    std::string error_output;  ///< with StderrCapture: every byte written to its stderr
};

struct PipelineResult {
    std::vector<StageResult> stages;
    int interrupted_by = 0;  ///< the signal that was forwarded to the tree (RunOptions)
    bool timed_out = false;  ///< ContainmentOptions::timeout was reached, and the tree ended
    std::string failure;     ///< a system error that stopped the pipeline early ("pipe: ...")
    bool here_doc_delimited_by_eof = false;  ///< InputHereDoc's input ended before its limiter
    /// The processes other than stages still running when every stage had ended, and what became
    /// of them; and the processes found holding a pipe's write end after its writer ended
    /// (containment.hpp), in the order they were found.
    std::vector<Descendant> descendants;
    std::vector<PipeHolder> holders;
    std::chrono::nanoseconds
        wall{};             ///< the whole run, from before the first stage to the last end
    bool pipefail = false;  ///< RunOptions::pipefail, which status() follows
    /// With OutputCapture: every byte the last stage (and whatever it started) wrote to stdout.
    std::string output;

    /// The last stage's status, like a shell's $?, or with pipefail the last non-zero one (0 when
    /// all are 0), as bash's `set -o pipefail`; 124 when timed out; 1 when the pipeline failed
    /// early.
    int status() const;
};

struct RunOptions {
    /// Called with each "OBJECT: REASON" error as it happens, in stage order, with the warning of
    /// an InputHereDoc that input ended first ("warning: here-document ..."), and with a line for
    /// each process containment ended or found holding a pipe:
    ///   "sleep (pid 123, started by stage 1): still running when the pipeline ended: terminated"
    ///   "sleep (pid 123, started by stage 1): held the pipe from stage 1 to stage 2 open (fd 1)
    ///    1s after stage 1 ended: killed"
    ///   "sleep (pid 123, started by stage 1): holds the pipe from stage 1 to stage 2 open (fd 1)
    ///    after stage 1 ended"   (when a signal interrupts the run, or at the timeout)
    ///   "pipeline: timed out after 5s"
    std::function<void(std::string_view)> on_error;
    /// When set, SIGINT, SIGTERM, SIGHUP and SIGQUIT received while the pipeline runs are passed
    /// on to every process of the tree still running (followed by SIGCONT, for a stopped one),
    /// which is killed if it has not ended after kill_after; the result names the signal, for
    /// the caller to end by it. A signal the caller ignores is left ignored, and the stages
    /// inherit it ignored. One the kernel sent to the whole foreground process group (a
    /// terminal's Ctrl-C) is not sent again to the processes of that group, which have it: each
    /// gets it once. Another process's kill(-PGID) cannot be told from a kill(PID), and reaches
    /// them twice.
    bool forward_signals = false;
    ContainmentOptions containment;
    /// PipelineResult::status() is the last non-zero stage status, as bash's `set -o pipefail`.
    bool pipefail = false;
    /// Each stage's StageUsage::bytes_read and bytes_written are read from /proc before it is
    /// reaped: a few system calls per stage. Wall time, CPU and memory are always counted (they
    /// come with the reaping).
    bool count_bytes = false;
};

/// Starts every stage and waits for all of them, and for what they started (containment.hpp).
/// A system error (out of fds, out of processes) does not throw: it stops the starting of
/// stages, is reported in `failure`, and the stages already started and all below them are sent
/// SIGTERM and waited for. Throws:
/// - std::invalid_argument when `spec` has no command;
/// - what an InputStream's writer throws other than SystemError and std::bad_alloc, once the
///   stages started were waited for (none, when the writer filled a memfd before any stage
///   started);
/// - what on_error throws, and std::bad_alloc (from the engine or the writer), once every
///   process of the tree was sent SIGTERM (SIGKILL after kill_after) and reaped.
/// Process-wide state, for the length of a run: the calling process is a child subreaper, holds
/// handlers for SIGCHLD, the forwarded signals and (with a timeout) SIGALRM from ITIMER_REAL,
/// and reaps any child that ends but the ones it had before the run; so runs are serialized (a
/// second thread's call waits for the first to return), and no other thread may create children
/// meanwhile. Descendants kept (LeftRunning::Keep) that were re-parented to the caller are its
/// children afterwards.
PipelineResult run_pipeline(const PipelineSpec& spec, const RunOptions& options = {});

/// The common case in one call: each command line split with shell quoting (command_words.hpp),
/// `input` as the first stage's stdin, the output captured (OutputCapture):
///   pipex::PipelineResult r = pipex::capture({"tr -s ' ' '\\n'", "sort -u"}, text);
///   if (r.status() == 0) use(r.output);
/// The stages' stderr is the caller's; errors such as a command not found are in each
/// StageResult::error. Throws CommandSyntaxError for an unterminated quote, std::invalid_argument
/// for no command, and what run_pipeline throws.
PipelineResult capture(std::initializer_list<std::string_view> command_lines,
                       std::string_view input = {}, const RunOptions& options = {});

}  // namespace pipex
