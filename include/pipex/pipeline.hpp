// Pipelines: N commands connected stdout-to-stdin, fed from an input and writing to an output.
//
//   pipex::PipelineSpec spec = pipex::PipelineBuilder()
//       .input_file("in.txt")
//       .command({"grep", "error"})
//       .command_line("sort -u")            // split with shell quoting (command_words.hpp)
//       .output_file("out.txt", pipex::OutputMode::Truncate)
//       .build();
//   pipex::PipelineResult result = pipex::run_pipeline(spec);
//   return result.status();
//
// All stages run at the same time. The parent holds at most one pipe and the two files at any
// moment (plus the write end of an input stream), and closes each pipe end as soon as the child
// that needs it holds it, so end-of-file and SIGPIPE travel down and up the pipeline as they
// should.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <sys/types.h>
#include <variant>
#include <vector>

#include "pipex/launch.hpp"
#include "pipex/base/unique_fd.hpp"

namespace pipex {

enum class OutputMode { Truncate, Append };

struct InputFile {
    std::string path;  // opened read-only
};
struct InputFd {
    int fd;  // borrowed: the caller keeps ownership
};
// What an input stream's writer is given beside its fd.
struct StreamControl {
    // True once a signal was passed on to the stages (RunOptions): the writer must return.
    std::function<bool()> stop;
    // Waits until `fd` (the writer's own input) can be read without blocking, and returns true;
    // or returns false as soon as stop() turns true. A signal that comes just before a blocking
    // read would otherwise be seen only once that read returns, perhaps never; this wait cannot
    // miss it (ppoll with the forwarded signals unblocked only while waiting).
    std::function<bool(int fd)> wait_readable;
};

// Input written by the caller while the stages run (a here-document read from a pipe, say).
// Once every stage has started, write_to is called once, on the calling thread, with the write
// end of a pipe to the first stage, which is closed when it returns; the stages are waited for
// after that. It must return when control.stop() turns true, should wait for its own input with
// control.wait_readable, and must treat EPIPE as the first stage having left: SIGPIPE must be
// ignored by the caller. It may throw SystemError, which becomes the result's failure (the stages are still
// waited for, not stopped); any other exception is passed on by run_pipeline once the stages
// have been waited for. When too few fds are left for the pipe to stay open beside the
// stages' own, write_to is called before any stage starts, with a memfd instead: the whole input
// is then held in memory, which costs time, not correctness.
struct InputStream {
    std::function<void(int fd, const StreamControl& control)> write_to;
};
struct OutputFile {
    std::string path;  // created with mode 0666 minus the umask
    OutputMode mode = OutputMode::Truncate;
};
struct OutputFd {
    int fd;  // borrowed
};

// A pipeline frozen into plain data. Build it with PipelineBuilder.
struct PipelineSpec {
    std::variant<InputFile, InputFd, InputStream> input;
    std::vector<Command> commands;
    std::variant<OutputFile, OutputFd> output;
};

class PipelineBuilder {
public:
    PipelineBuilder& input_file(std::string path);
    PipelineBuilder& input_fd(int fd);
    // Owns a memfd holding `text` (a here-document) until the builder and spec are gone.
    PipelineBuilder& input_text(std::string_view text);
    PipelineBuilder& input_owned(UniqueFd fd);
    PipelineBuilder& input_stream(std::function<void(int fd, const StreamControl& control)> write_to);
    PipelineBuilder& command(std::vector<std::string> words);
    // Throws CommandSyntaxError for an unterminated quote.
    PipelineBuilder& command_line(std::string_view text);
    PipelineBuilder& output_file(std::string path, OutputMode mode = OutputMode::Truncate);
    PipelineBuilder& output_fd(int fd);

    // Throws std::invalid_argument when no command was given.
    PipelineSpec build() const;
    // Fds given with input_text and input_owned; keep the builder alive while the pipeline runs.
    const std::vector<UniqueFd>& owned_fds() const { return owned_; }

private:
    PipelineSpec spec_{InputFd{0}, {}, OutputFd{1}};
    std::vector<UniqueFd> owned_;
};

struct StageResult {
    pid_t pid = -1;      // -1 when the stage never started
    int status = 0;      // shell-style: exit code, 128+N for signal N, 126/127/1 if not started
    std::string error;   // why it did not start: "OBJECT: REASON"
};

struct PipelineResult {
    std::vector<StageResult> stages;
    int interrupted_by = 0;  // the signal that was forwarded to the stages (RunOptions)
    std::string failure;     // a system error that stopped the pipeline early ("pipe: ...")

    // The last stage's status, like a shell's $?; 1 when the pipeline failed early.
    int status() const;
};

struct RunOptions {
    // Called with each "OBJECT: REASON" error as it happens, in stage order.
    std::function<void(std::string_view)> on_error;
    // When set, SIGINT, SIGTERM, SIGHUP and SIGQUIT received while the pipeline runs are passed
    // on to every stage still running, and the result names the signal, for the caller to end
    // by it. A process-wide handler catches them meanwhile, so use it from a single-threaded
    // program. SIGCHLD must not be ignored by the caller, or children cannot be waited for.
    bool forward_signals = false;
};

// Starts every stage, waits for all of them, never throws: a system error (out of fds, out of
// processes) stops the starting of stages, is reported in `failure`, and the stages already
// started are sent SIGTERM and waited for.
PipelineResult run_pipeline(const PipelineSpec& spec, const RunOptions& options = {});

}  // namespace pipex
