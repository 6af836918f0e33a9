// Building a pipeline spec and running it: its stages, their pipes, its input and output.
#include "pipex/pipeline.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <deque>
#include <optional>
#include <stdexcept>

#include "pipex/base/exit_status.hpp"
#include "pipex/base/open.hpp"
#include "pipex/base/pipe.hpp"
#include "pipex/base/system_error.hpp"
#include "pipex/command_words.hpp"
#include "pipex/here_doc.hpp"
#include "signal_forwarding.hpp"

namespace pipex {

// ---- Building ----------------------------------------------------------------------------------

PipelineBuilder& PipelineBuilder::input_file(std::string path) {
    spec_.input = InputFile{std::move(path)};
    return *this;
}

PipelineBuilder& PipelineBuilder::input_fd(int fd) {
    spec_.input = InputFd{fd};
    return *this;
}

PipelineBuilder& PipelineBuilder::input_text(std::string_view text) {
    return input_owned(make_text_fd(text));
}

PipelineBuilder& PipelineBuilder::input_owned(UniqueFd fd) {
    spec_.input = InputOwnedFd{std::make_shared<const UniqueFd>(std::move(fd))};
    return *this;
}

PipelineBuilder& PipelineBuilder::input_stream(
    std::function<void(int fd, const StreamControl& control)> write_to) {
    spec_.input = InputStream{std::move(write_to)};
    return *this;
}

PipelineBuilder& PipelineBuilder::input_here_doc(int fd, std::string limiter) {
    spec_.input = InputHereDoc{fd, std::move(limiter)};
    return *this;
}

PipelineBuilder& PipelineBuilder::command(std::vector<std::string> words) {
    std::string text;
    for (const auto& word : words) text += (text.empty() ? "" : " ") + word;
    spec_.commands.push_back(Command{std::move(words), std::move(text)});
    return *this;
}

PipelineBuilder& PipelineBuilder::command_line(std::string_view text) {
    spec_.commands.push_back(Command{split_command_words(text), std::string(text)});
    return *this;
}

PipelineBuilder& PipelineBuilder::output_file(std::string path, OutputMode mode) {
    spec_.output = OutputFile{std::move(path), mode};
    return *this;
}

PipelineBuilder& PipelineBuilder::output_fd(int fd) {
    spec_.output = OutputFd{fd};
    return *this;
}

PipelineSpec PipelineBuilder::build() const {
    if (spec_.commands.empty()) throw std::invalid_argument("a pipeline needs at least one command");
    return spec_;
}

int PipelineResult::status() const {
    if (!failure.empty() || stages.empty()) return 1;
    return stages.back().status;
}

namespace {

// ---- Starting the stages -----------------------------------------------------------------------

struct Endpoint {
    UniqueFd owned;
    int fd = -1;
    int error = 0;
    std::string name;
};

Endpoint owned_endpoint(UniqueFd fd) {
    int raw = fd.get();
    return Endpoint{std::move(fd), raw, 0, {}};
}

Endpoint open_file_or_fd(const PipelineSpec::Input& input) {
    if (const auto* borrowed = std::get_if<InputFd>(&input)) return Endpoint{{}, borrowed->fd, 0, {}};
    if (const auto* owned = std::get_if<InputOwnedFd>(&input))
        return Endpoint{{}, owned->fd->get(), 0, {}};
    const auto& file = std::get<InputFile>(input);
    OpenResult opened = open_file(file.path, O_RDONLY);
    int fd = opened.fd.get();
    return Endpoint{std::move(opened.fd), fd, opened.error, file.path};
}

Endpoint open_output(const std::variant<OutputFile, OutputFd>& output) {
    if (const auto* borrowed = std::get_if<OutputFd>(&output)) return Endpoint{{}, borrowed->fd, 0, {}};
    const auto& file = std::get<OutputFile>(output);
    int mode = file.mode == OutputMode::Append ? O_APPEND : O_TRUNC;
    OpenResult opened = open_file(file.path, O_WRONLY | O_CREAT | mode, 0666);
    int fd = opened.fd.get();
    return Endpoint{std::move(opened.fd), fd, opened.error, file.path};
}

// ---- Pipe sizes --------------------------------------------------------------------------------
// With the default 64 KiB, a writer such as cat (128 KiB per write) and its reader take turns, one
// context switch per chunk; 256 KiB pipes let both run, and larger ones buy nothing more (the
// `cat` rows of docs/benchmarks.md measure what this gives against the shells). But every unprivileged
// user shares a budget of pipe memory (pipe-user-pages-soft, 64 MiB by default) beyond which the
// kernel gives new pipes a single page. So the enlarged pipes of one pipeline stay within 4 MiB,
// a sixteenth of that budget, and a long pipeline keeps the default size rather than starving
// itself or the user's other programs.

constexpr std::size_t kDefaultPipeBytes = 64 << 10;
constexpr std::size_t kLargestPipeBytes = 256 << 10;
constexpr std::size_t kPipelinePipeBudget = 4 << 20;

std::size_t pipe_size_for(std::size_t pipes) {
    if (pipes == 0) return kDefaultPipeBytes;
    std::size_t share = kPipelinePipeBudget / pipes;
    std::size_t size = kLargestPipeBytes;
    while (size > share) size /= 2;  // the kernel rounds sizes up to a power of two of pages
    return size;
}

// An input stream's pipe takes what the stage pipes leave of the budget, so that the stage
// pipes keep the size they would have without it. Its usual 256 KiB hold one whole write of the
// here-doc copier (here_doc.cpp).
std::size_t stream_pipe_size(std::size_t stage_pipes) {
    std::size_t stage_bytes = pipe_size_for(stage_pipes);
    std::size_t used = stage_bytes > kDefaultPipeBytes ? stage_pipes * stage_bytes : 0;
    std::size_t size = kLargestPipeBytes;
    while (size > kDefaultPipeBytes && used + size > kPipelinePipeBudget) size /= 2;
    return size;
}

bool out_of_fds(int error) { return error == EMFILE || error == ENFILE; }

// Streaming holds the pipe's write end for the whole run: one fd more than a memfd. At the peak
// (a stage starting) pipex holds both its ends or the write end and the previous stage's pipe,
// plus OUTFILE and the pipe to the next stage; `spare` is how many fds that takes beyond the
// stream pipe. When they are not all free now, there is no pipe: the caller falls back to a
// memfd, so a tight RLIMIT_NOFILE costs speed, not the pipeline.
std::optional<Pipe> make_stream_pipe(std::size_t spare) {
    Pipe pipe;
    try {
        pipe = make_pipe();
    } catch (const SystemError& error) {
        if (out_of_fds(error.code().value())) return std::nullopt;
        throw;
    }
    std::vector<UniqueFd> probes;
    try {
        for (std::size_t i = 0; i < spare; ++i) probes.push_back(duplicate_above_stdio(pipe.read_end.get()));
    } catch (const SystemError& error) {
        if (out_of_fds(error.code().value())) return std::nullopt;
        throw;
    }
    return pipe;
}

class PipelineRun {
public:
    PipelineRun(const PipelineSpec& spec, const RunOptions& options)
        : spec_(spec), options_(options), pids_(spec.commands.size(), -1) {
        result_.stages.resize(spec.commands.size());
    }

    PipelineResult run() {
        try {
            read_terminal_here_doc();
            SignalForwarding forwarding(options_.forward_signals, pids_);
            forwarding_ = &forwarding;
            try {
                start_stages(forwarding);
            } catch (const SystemError& error) {
                fail(error.what());
                terminate_started_stages();
            }
            feed_input_stream();
            wait_for_stages();
            result_.interrupted_by = forwarding.received();
        } catch (const SystemError& error) {
            fail(error.what());
        }
        return std::move(result_);
    }

private:
    void report(std::size_t index, int status, std::string error) {
        result_.stages[index] = StageResult{-1, status, std::move(error)};
        if (options_.on_error) options_.on_error(result_.stages[index].error);
    }

    void fail(std::string what) {
        result_.failure = std::move(what);
        if (options_.on_error) options_.on_error(result_.failure);
    }

    // Every fd opened here is closed when this returns, before any waiting: a pipe end left open
    // in the parent would keep a stage waiting for an end-of-file that never comes.
    void start_stages(SignalForwarding& forwarding) {
        const std::size_t count = spec_.commands.size();
        Endpoint input = open_input();
        if (input.error) report(0, kStatusRedirectionFailed, input.name + ": " + std::strerror(input.error));
        Endpoint output = open_output(spec_.output);
        if (output.error)
            report(count - 1, kStatusRedirectionFailed, output.name + ": " + std::strerror(output.error));

        const LaunchContext context = LaunchContext::from_process_environment();
        const std::size_t pipe_bytes = pipe_size_for(count - 1);
        UniqueFd from_previous;
        for (std::size_t i = 0; i < count && !forwarding.received(); ++i) {
            const bool first = i == 0, last = i + 1 == count;
            Pipe to_next = last ? Pipe{} : make_pipe();
            if (!last && pipe_bytes > kDefaultPipeBytes) try_resize_pipe(to_next, pipe_bytes);
            ChildStdio stdio{first ? input.fd : from_previous.get(),
                             last ? output.fd : to_next.write_end.get()};
            const bool redirected = !(first && input.error) && !(last && output.error);
            if (redirected) start_stage(i, stdio, context, forwarding);
            from_previous = std::move(to_next.read_end);
            if (first) input = Endpoint{};
        }
        collect_launches(true);
    }

    // The stage's process exists when this returns, but its program may still be loading: that
    // goes on while the next stages start. Its outcome is collected later, in stage order.
    void start_stage(std::size_t index, ChildStdio stdio, const LaunchContext& context,
                     SignalForwarding& forwarding) {
        CommandLaunch launch = start_command(spec_.commands[index], stdio, context);
        if (launch.pid() > 0) {
            pids_[index] = launch.pid();
            forwarding.started(index, launch.pid());
        }
        launching_.push_back(Launching{index, std::move(launch)});
        collect_launches(false);
    }

    // Frees what each settled launch holds (the child's stack) and reports the stages whose
    // program could not run; with `wait`, waits for every launch still in progress.
    void collect_launches(bool wait) {
        while (!launching_.empty() && (wait || launching_.front().launch.settled())) {
            Launching& front = launching_.front();
            StageResult& stage = result_.stages[front.index];
            stage = front.launch.result();
            if (!stage.started() && options_.on_error) options_.on_error(stage.error);
            launching_.pop_front();
        }
    }

    // A pipeline that could not be built whole is stopped: the stages already running would
    // otherwise go on without the rest of their pipeline, perhaps forever (`sleep`, a server).
    void terminate_started_stages() {
        for (pid_t pid : pids_)
            if (pid > 0) ::kill(pid, SIGTERM);
    }

    // In stage order, each with a blocking waitpid: children that are not the pipeline's are
    // left alone. The pid is withdrawn from the signal handler as soon as it is reaped, so that
    // a recycled pid is never signalled.
    void wait_for_stages() {
        for (std::size_t i = 0; i < pids_.size(); ++i) {
            if (pids_[i] <= 0) continue;
            int wait_status = 0;
            // The handler has already passed an interrupting signal on: waiting again is right.
            const pid_t reaped = retry_on_eintr([&] { return ::waitpid(pids_[i], &wait_status, 0); });
            pids_[i] = -1;
            if (reaped < 0) {
                fail(SystemError(errno, "waitpid").what());
                continue;
            }
            // A stage whose program could not run keeps the status reported with its error.
            if (result_.stages[i].error.empty()) result_.stages[i].status = shell_status(wait_status);
        }
    }

    // ---- Input stream ----

    bool stop_requested() const { return forwarding_ && forwarding_->received() != 0; }

    StreamControl stream_control() {
        return StreamControl{[this] { return stop_requested(); },
                             [this](int fd) { return wait_readable(fd); }};
    }

    // The forwarded signals are blocked from the check of stop_requested() until ppoll, which
    // unblocks them while it waits: one that comes in between interrupts the wait instead of
    // being handled just before a read that would then block.
    bool wait_readable(int fd) {
        if (!forwarding_ || !options_.forward_signals) return true;  // nothing to miss
        ForwardedSignalsBlocked blocked;
        pollfd entry{fd, POLLIN, 0};
        while (!stop_requested()) {
            int ready = ::ppoll(&entry, 1, nullptr, &blocked.previous());
            if (ready > 0) return true;
            if (ready < 0 && errno != EINTR) throw SystemError(errno, "here-document: ppoll");
        }
        return false;
    }

    // A stream's pipe is made here, its write end kept for feed_input_stream.
    Endpoint open_input() {
        if (terminal_text_) return owned_endpoint(std::move(terminal_text_));
        const PipelineSpec::Input& input = spec_.input;
        if (!std::holds_alternative<InputStream>(input) && !std::holds_alternative<InputHereDoc>(input))
            return open_file_or_fd(input);
        const std::size_t count = spec_.commands.size();
        std::optional<Pipe> pipe = make_stream_pipe(count > 1 ? 3 : 1);
        if (!pipe) return owned_endpoint(fill_memfd());
        const std::size_t bytes = stream_pipe_size(count - 1);
        if (bytes > kDefaultPipeBytes) try_resize_pipe(*pipe, bytes);
        stream_sink_ = std::move(pipe->write_end);
        return owned_endpoint(std::move(pipe->read_end));
    }

    // Streamed, the prompts would mix with the stages' output. Read before the signals are
    // forwarded, as the whole of it is read before anything runs: a signal meanwhile finds the
    // caller's own disposition, and a read is never preceded by a wait that could take a
    // terminal's hangup for its end.
    void read_terminal_here_doc() {
        const auto* here_doc = std::get_if<InputHereDoc>(&spec_.input);
        if (!here_doc || ::isatty(here_doc->fd) != 1) return;
        HereDoc text = read_here_doc(here_doc->fd, here_doc->limiter, true);
        if (text.delimited_by_eof) warn_delimited_by_eof(here_doc->limiter);
        terminal_text_ = std::move(text.text);
    }

    UniqueFd fill_memfd() {
        UniqueFd text = make_text_fd({});
        write_input(text.get());
        if (::lseek(text.get(), 0, SEEK_SET) < 0) throw SystemError(errno, "input stream");
        return text;
    }

    // The caller's stream, or the here-document, into `sink`.
    void write_input(int sink) {
        const auto* here_doc = std::get_if<InputHereDoc>(&spec_.input);
        if (!here_doc) return std::get<InputStream>(spec_.input).write_to(sink, stream_control());
        const HereDocOptions copy_options{false, stream_control()};
        if (copy_here_doc(here_doc->fd, here_doc->limiter, sink, copy_options).delimited_by_eof)
            warn_delimited_by_eof(here_doc->limiter);
    }

    // bash's words, at the moment bash says them: when the copy ends.
    void warn_delimited_by_eof(const std::string& limiter) {
        result_.here_doc_delimited_by_eof = true;
        if (!options_.on_error) return;
        options_.on_error("warning: here-document delimited by end-of-file (wanted `" + limiter +
                          "')");
    }

    // Runs once every stage has started and pipex's copy of the read end is closed, so that the
    // first stage's end is the pipe's only reader: its exit gives the writer EPIPE, and closing
    // the write end here gives it end-of-file. A pipeline that failed to start gets no input.
    void feed_input_stream() {
        UniqueFd sink = std::move(stream_sink_);
        if (!sink || !result_.failure.empty()) return;
        try {
            write_input(sink.get());
        } catch (const SystemError& error) {
            fail(error.what());
        } catch (...) {
            sink.reset();
            wait_for_stages();
            throw;
        }
    }

    const PipelineSpec& spec_;
    const RunOptions& options_;
    struct Launching {
        std::size_t index;
        CommandLaunch launch;
    };

    std::vector<pid_t> pids_;  // every process created, for reaping and signal forwarding
    PipelineResult result_;
    std::deque<Launching> launching_;  // started, outcome not yet collected, in stage order
    const SignalForwarding* forwarding_ = nullptr;
    UniqueFd stream_sink_;  // the input stream's write end, from open_input to feed_input_stream
    UniqueFd terminal_text_;  // a terminal's here-document, read whole before anything else
};

}  // namespace

PipelineResult run_pipeline(const PipelineSpec& spec, const RunOptions& options) {
    if (spec.commands.empty()) throw std::invalid_argument("a pipeline needs at least one command");
    return PipelineRun(spec, options).run();
}

}  // namespace pipex
