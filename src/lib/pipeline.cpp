#include "pipex/pipeline.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>

#include <cerrno>
#include <cstring>
#include <deque>
#include <stdexcept>

#include "pipex/command_words.hpp"
#include "pipex/here_doc.hpp"
#include "signal_forwarding.hpp"
#include "pipex/exit_status.hpp"

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
    spec_.input = InputFd{fd.get()};
    owned_.push_back(std::move(fd));
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

Endpoint open_input(const std::variant<InputFile, InputFd>& input) {
    if (const auto* borrowed = std::get_if<InputFd>(&input)) return Endpoint{{}, borrowed->fd, 0, {}};
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
// context switch per chunk; 256 KiB pipes let both run: `cat | cat` of 1 GiB goes from about
// 0.9 s to 0.23 s here, and 1 MiB or more is no faster (4 MiB is slower). But every unprivileged
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

class PipelineRun {
public:
    PipelineRun(const PipelineSpec& spec, const RunOptions& options)
        : spec_(spec), options_(options), pids_(spec.commands.size(), -1) {
        result_.stages.resize(spec.commands.size());
    }

    PipelineResult run() {
        try {
            SignalForwarding forwarding(options_.forward_signals, pids_);
            try {
                start_stages(forwarding);
            } catch (const SystemError& error) {
                fail(error.what());
                terminate_started_stages();
            }
            wait_for_stages();
            result_.interrupted_by = forwarding.received();
        } catch (const SystemError& error) {
            fail(error.what());
        }
        return std::move(result_);
    }

private:
    void report(std::size_t index, int status, std::string error) {
        StageResult& stage = result_.stages[index];
        stage.status = status;
        stage.error = std::move(error);
        if (options_.on_error) options_.on_error(stage.error);
    }

    void fail(std::string what) {
        result_.failure = std::move(what);
        if (options_.on_error) options_.on_error(result_.failure);
    }

    // Every fd opened here is closed when this returns, before any waiting: a pipe end left open
    // in the parent would keep a stage waiting for an end-of-file that never comes.
    void start_stages(SignalForwarding& forwarding) {
        const std::size_t count = spec_.commands.size();
        Endpoint input = open_input(spec_.input);
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
            LaunchResult launched = front.launch.result();
            if (launched.started())
                result_.stages[front.index].pid = launched.pid;
            else
                report(front.index, launched.status, std::move(launched.error));
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
            pid_t reaped;
            while ((reaped = ::waitpid(pids_[i], &wait_status, 0)) < 0 && errno == EINTR) {
            }
            pids_[i] = -1;
            if (reaped < 0) {
                fail(SystemError(errno, "waitpid").what());
                continue;
            }
            // A stage whose program could not run keeps the status reported with its error.
            if (result_.stages[i].error.empty()) result_.stages[i].status = shell_status(wait_status);
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
};

}  // namespace

PipelineResult run_pipeline(const PipelineSpec& spec, const RunOptions& options) {
    if (spec.commands.empty()) throw std::invalid_argument("a pipeline needs at least one command");
    return PipelineRun(spec, options).run();
}

}  // namespace pipex
