// Running a pipeline: its stages started in order with their pipes, its input fed, all waited for.
#include "pipex/pipeline.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <deque>
#include <mutex>
#include <new>
#include <optional>
#include <stdexcept>

#include "pipe_budget.hpp"
#include "pipex/base/exit_status.hpp"
#include "pipex/base/io.hpp"
#include "pipex/base/pipe.hpp"
#include "pipex/base/system_error.hpp"
#include "pipex/command_words.hpp"
#include "pipex/here_doc.hpp"
#include "stage_environment.hpp"
#include "supervisor.hpp"

namespace pipex {

int PipelineResult::status() const {
    if (timed_out) return kStatusTimedOut;
    if (!failure.empty() || stages.empty()) return 1;
    if (pipefail)
        for (auto stage = stages.rbegin(); stage != stages.rend(); ++stage)
            if (stage->status != 0) return stage->status;
    return stages.back().status;
}

namespace {

// ---- Starting the stages -----------------------------------------------------------------------

// A stage's stdin or stdout: an fd (owned here or not), or a file its child opens itself.
struct Endpoint {
    UniqueFd owned;
    int fd = -1;
    StdioFile file{};
};

Endpoint owned_endpoint(UniqueFd fd) {
    int raw = fd.get();
    return Endpoint{std::move(fd), raw, {}};
}

// The files are named, not opened: each is opened by its stage's own child, as bash's children
// open theirs, so that a FIFO waiting for its other end blocks that stage alone, and a signal
// ends it there.
Endpoint file_or_fd(const PipelineSpec::Input& input) {
    if (const auto* borrowed = std::get_if<InputFd>(&input)) return Endpoint{{}, borrowed->fd, {}};
    if (const auto* owned = std::get_if<InputOwnedFd>(&input))
        return Endpoint{{}, owned->fd->get(), {}};
    const auto& file = std::get<InputFile>(input);
    return Endpoint{{}, -1, StdioFile{file.path.c_str(), O_RDONLY, 0}};
}

// `capture` is the memfd of an OutputCapture, which the run keeps to read it back.
Endpoint output_endpoint(const PipelineSpec::Output& output, const UniqueFd& capture) {
    if (const auto* borrowed = std::get_if<OutputFd>(&output))
        return Endpoint{{}, borrowed->fd, {}};
    if (std::holds_alternative<OutputCapture>(output)) return Endpoint{{}, capture.get(), {}};
    const auto& file = std::get<OutputFile>(output);
    const int mode = file.mode == OutputMode::Append ? O_APPEND : O_TRUNC;
    return Endpoint{{}, -1, StdioFile{file.path.c_str(), O_WRONLY | O_CREAT | mode, 0666}};
}

// Children started and not yet exec'ed, at most (PipelineRun::wait_for_oldest_loading).
constexpr std::size_t kMaxLoading = 8;

class PipelineRun {
public:
    PipelineRun(const PipelineSpec& spec, const RunOptions& options)
        : spec_(spec), options_(options), pids_(spec.commands.size(), -1) {
        result_.stages.resize(spec.commands.size());
    }

    PipelineResult run() {
        result_.pipefail = options_.pipefail;
        auto start = std::chrono::steady_clock::now();
        try {
            read_terminal_here_doc();
            start = std::chrono::steady_clock::now();  // a terminal's typing is not the run's
            Supervisor supervisor(options_, pids_, result_);
            supervisor_ = &supervisor;
            try {
                start_stages();
            } catch (const SystemError& error) {
                fail(error.what());
                supervisor.end_tree();
            }
            feed_input_stream();
            supervisor.finish();
            read_capture();
            result_.interrupted_by = supervisor.received_signal();
            result_.timed_out = supervisor.timed_out();
        } catch (const SystemError& error) {
            fail(error.what());
        }
        // Anything else (out of memory, on_error throwing) passes through the supervisor's
        // destructor, which ends and reaps the whole tree first.
        supervisor_ = nullptr;
        result_.wall = std::chrono::steady_clock::now() - start;
        return std::move(result_);
    }

private:
    void fail(std::string what) {
        result_.failure = std::move(what);
        if (options_.on_error) options_.on_error(result_.failure);
    }

    // Every fd opened here is closed when this returns, before any waiting: a pipe end left open
    // in the parent would keep a stage waiting for an end-of-file that never comes. INFILE and
    // OUTFILE are the first and last stages' to open: one that fails is that stage's error
    // (status 1), in stage order, and the stage's command does not run.
    void start_stages() {
        const std::size_t count = spec_.commands.size();
        Endpoint input = open_input();
        if (std::holds_alternative<OutputCapture>(spec_.output))
            capture_ = make_capture("pipex-output");
        const auto* callback = std::get_if<OutputCallback>(&spec_.output);
        const Endpoint output =
            callback ? drained_pipe(callback->sink) : output_endpoint(spec_.output, capture_);
        // To name the stage a process that holds one of them was started by.
        if (input.fd >= 0) supervisor_->ends().add_stage_end(0, input.fd);
        if (input.file.path) supervisor_->ends().add_stage_file(0, input.file.path);
        if (output.fd >= 0)
            supervisor_->ends().add_stage_end(static_cast<int>(count - 1), output.fd);
        if (output.file.path)
            supervisor_->ends().add_stage_file(static_cast<int>(count - 1), output.file.path);

        const LaunchContext context = LaunchContext::from_process_environment();
        const std::size_t pipe_bytes = pipe_size_for(count - 1);
        UniqueFd from_previous;
        for (std::size_t i = 0; i < count && !supervisor_->stop_requested(); ++i) {
            const bool first = i == 0, last = i + 1 == count;
            Pipe to_next = last ? Pipe{} : make_pipe();
            if (!last) supervisor_->ends().add_pipe(i, to_next.read_end.get());
            if (!last && pipe_bytes > kDefaultPipeBytes) try_resize_pipe(to_next, pipe_bytes);
            ChildStdio stdio{first ? input.fd : from_previous.get(),
                             last ? output.fd : to_next.write_end.get()};
            const Endpoint error = route_stderr(i, stdio);  // held until the stage holds it
            if (first) stdio.input_file = input.file;
            if (last) stdio.output_file = output.file;
            start_stage(i, stdio, context_for(i, context));
            from_previous = std::move(to_next.read_end);
            if (first) input = Endpoint{};
        }
        collect_launches(true);
    }

    // The stage's process exists when this returns, but its program may still be loading: that
    // goes on while the next stages start. Its outcome is collected later, in stage order.
    void start_stage(std::size_t index, ChildStdio stdio, const LaunchContext& context) {
        CommandLaunch launch = start_command(spec_.commands[index], stdio, context);
        if (launch.pid() > 0) {
            pids_[index] = launch.pid();
            supervisor_->started(index, launch.pid());
        }
        launching_.push_back(Launching{index, stdio.opens_files(), std::move(launch)});
        collect_launches(false);
        if (launching_.size() > kMaxLoading) wait_for_oldest_loading();
    }

    // A child that has not exec'ed yet holds a stack in pipex's memory. Started far ahead of the
    // kernel's execs (tens of them, on two cores), they would only pile up: none would run
    // sooner. The oldest is waited for, unless it opens a file, which may wait without end (a
    // FIFO whose other end a later stage opens).
    void wait_for_oldest_loading() {
        for (Launching& loading : launching_) {
            if (loading.opens_files || loading.launch.settled()) continue;
            (void)loading.launch.result();
            break;
        }
        collect_launches(false);
    }

    // Frees what each settled launch holds (the child's stack) and reports the stages whose
    // program could not run; with `wait`, waits for every launch still in progress.
    void collect_launches(bool wait) {
        while (!launching_.empty() && (wait || launching_.front().launch.settled())) {
            Launching& front = launching_.front();
            StageResult& stage = result_.stages[front.index];
            static_cast<LaunchResult&>(stage) = front.launch.result();
            if (!stage.started() && options_.on_error) options_.on_error(stage.error);
            launching_.pop_front();
        }
    }

    // ---- Environment and working folder ----

    // The caller's context, untouched (nothing copied per stage), unless the spec changes a
    // stage's environment or folder: then this stage's, valid until the next call.
    const LaunchContext& context_for(std::size_t index, const LaunchContext& callers) {
        if (spec_.environment.empty() && spec_.stage_environment.empty() &&
            spec_.working_folder_of.empty())
            return callers;
        stage_context_ = environment_for(index, callers);
        stage_context_.working_folder =
            index < spec_.working_folder_of.size() ? spec_.working_folder_of[index] : "";
        return stage_context_;
    }

    // The caller's environment, unless the spec changes it: then a copy, kept until the run ends
    // (a child reads it until its exec), the changes every stage shares made once.
    LaunchContext environment_for(std::size_t index, const LaunchContext& callers) {
        const EnvironmentChanges* own = nullptr;
        if (index < spec_.stage_environment.size() && !spec_.stage_environment[index].empty())
            own = &spec_.stage_environment[index];
        if (spec_.environment.empty() && own == nullptr) return callers;
        if (!spec_.environment.empty() && shared_environment_ == nullptr)
            shared_environment_ = &environments_.emplace_back(
                changed_environment(environment_entries(callers.envp), spec_.environment));
        if (own == nullptr) return shared_environment_->context();
        std::vector<std::string> base = shared_environment_ != nullptr
                                            ? shared_environment_->entries()
                                            : environment_entries(callers.envp);
        return environments_.emplace_back(changed_environment(std::move(base), *own)).context();
    }

    // ---- Output capture ----

    // In append mode: the last stage and the processes it starts share the file, and a memfd's
    // offset, unlike a regular file's, is not kept atomically between processes: without
    // O_APPEND two writers could put their bytes on the same place.
    static UniqueFd make_capture(const char* name) {
        UniqueFd fd(::memfd_create(name, MFD_CLOEXEC));
        if (!fd) throw SystemError(errno, std::string(name) + ": memfd_create");
        if (::fcntl(fd.get(), F_SETFL, O_APPEND) != 0) throw SystemError(errno, name);
        return fd;
    }

    // A pipe whose write end is returned for a stage, and whose read end the supervisor reads
    // into `sink` whenever it waits.
    Endpoint drained_pipe(const OutputSink& sink) {
        Pipe pipe = make_pipe();
        supervisor_->drains().add(std::move(pipe.read_end), sink);
        return owned_endpoint(std::move(pipe.write_end));
    }

    bool has_callback_outputs() const {
        return std::holds_alternative<OutputCallback>(spec_.output) ||
               std::any_of(spec_.stderr_of.begin(), spec_.stderr_of.end(),
                           [](const StageStderr& where) {
                               return std::holds_alternative<StderrCallback>(where);
                           });
    }

    // The stage's stderr as the spec says: the caller's fd 2 unless told otherwise. Returns the
    // fd made for it, if any, to be kept until the stage has started.
    Endpoint route_stderr(std::size_t index, ChildStdio& stdio) {
        if (index >= spec_.stderr_of.size()) return {};
        const StageStderr& where = spec_.stderr_of[index];
        if (const auto* callback = std::get_if<StderrCallback>(&where)) {
            Endpoint pipe = drained_pipe(callback->sink);
            stdio.error = pipe.fd;
            supervisor_->ends().add_stage_end(static_cast<int>(index), pipe.fd);
            return pipe;
        }
        if (const auto* borrowed = std::get_if<StderrFd>(&where)) {
            stdio.error = borrowed->fd;
        } else if (const auto* file = std::get_if<StderrFile>(&where)) {
            const int mode = file->mode == OutputMode::Append ? O_APPEND : O_TRUNC;
            stdio.error_file = StdioFile{file->path.c_str(), O_WRONLY | O_CREAT | mode, 0666};
            supervisor_->ends().add_stage_file(static_cast<int>(index), file->path.c_str());
        } else if (std::holds_alternative<StderrToStdout>(where)) {
            stdio.error_to_output = true;
        } else if (std::holds_alternative<StderrCapture>(where)) {
            if (error_captures_.empty()) error_captures_.resize(spec_.commands.size());
            error_captures_[index] = make_capture("pipex-stderr");
            stdio.error = error_captures_[index].get();
            supervisor_->ends().add_stage_end(static_cast<int>(index), stdio.error);
        }
        return {};
    }

    // Once every stage has ended, nothing writes to them any more (a descendant kept running
    // might: what it wrote so far is what the result holds).
    void read_capture() {
        if (capture_) result_.output = read_whole_file(capture_.get(), "pipex-output");
        capture_.reset();
        for (std::size_t i = 0; i < error_captures_.size(); ++i)
            if (error_captures_[i])
                result_.stages[i].error_output =
                    read_whole_file(error_captures_[i].get(), "pipex-stderr");
        error_captures_.clear();
    }

    // ---- Input stream ----

    bool stop_requested() const { return supervisor_->stop_requested(); }

    // The supervisor looks after the tree while the writer waits for its input.
    StreamControl stream_control() {
        return StreamControl{[this] { return stop_requested(); },
                             [this](int fd) { return supervisor_->wait_readable(fd); },
                             [this](int fd) { return supervisor_->wait_writable(fd); }};
    }

    // A stream's pipe is made here, its write end kept for feed_input_stream.
    Endpoint open_input() {
        if (terminal_text_) return owned_endpoint(std::move(terminal_text_));
        const PipelineSpec::Input& input = spec_.input;
        if (!std::holds_alternative<InputStream>(input) &&
            !std::holds_alternative<InputHereDoc>(input))
            return file_or_fd(input);
        const std::size_t count = spec_.commands.size();
        std::optional<Pipe> pipe = make_stream_pipe(count > 1 ? 2 : 0);
        if (!pipe) return owned_endpoint(fill_memfd());
        const std::size_t bytes = stream_pipe_size(count - 1);
        if (bytes > kDefaultPipeBytes) try_resize_pipe(*pipe, bytes);
        // A full pipe must not hold the writer up while the outputs wait to be read.
        if (has_callback_outputs() && ::fcntl(pipe->write_end.get(), F_SETFL, O_NONBLOCK) != 0)
            throw SystemError(errno, "input stream");
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
        } catch (const std::bad_alloc&) {
            throw;  // the end of the run, whose stages run() stops
        } catch (...) {
            sink.reset();
            supervisor_->finish();
            throw;
        }
    }

    const PipelineSpec& spec_;
    const RunOptions& options_;
    struct Launching {
        std::size_t index;
        bool opens_files;
        CommandLaunch launch;
    };

    std::vector<pid_t> pids_;  // every process created, for reaping and signal forwarding
    PipelineResult result_;
    std::deque<Launching> launching_;   // started, outcome not yet collected, in stage order
    Supervisor* supervisor_ = nullptr;  // for the length of run()
    UniqueFd stream_sink_;    // the input stream's write end, from open_input to feed_input_stream
    UniqueFd terminal_text_;  // a terminal's here-document, read whole before anything else
    UniqueFd capture_;        // OutputCapture's memfd, from start_stages to read_capture
    std::vector<UniqueFd> error_captures_;        // StderrCapture's memfds, by stage
    std::deque<FrozenEnvironment> environments_;  // those the spec changed, for the whole run
    const FrozenEnvironment* shared_environment_ = nullptr;   // every stage's changes made
    LaunchContext stage_context_{nullptr, std::nullopt, {}};  // context_for's, for one stage
};

}  // namespace

PipelineResult run_pipeline(const PipelineSpec& spec, const RunOptions& options) {
    if (spec.commands.empty()) throw std::invalid_argument("a pipeline needs at least one command");
    // The subreaper role, the handlers and the reaping of any child are the process's.
    static std::mutex one_run_at_a_time;
    std::scoped_lock lock(one_run_at_a_time);
    return PipelineRun(spec, options).run();
}

PipelineResult capture(std::initializer_list<std::string_view> command_lines,
                       std::string_view input, const RunOptions& options) {
    PipelineBuilder builder;
    builder.input_text(input).output_capture();
    for (std::string_view line : command_lines) builder.command_line(line);
    return run_pipeline(builder.build(), options);
}

}  // namespace pipex
