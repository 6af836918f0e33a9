// The pipex program: its arguments, its messages and its exit status, over the engine.
#include "cli.hpp"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <new>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "pipex/base/about.hpp"
#include "pipex/base/exit_status.hpp"
#include "pipex/base/io.hpp"
#include "pipex/base/open.hpp"
#include "pipex/base/signals.hpp"
#include "pipex/base/system_error.hpp"
#include "pipex/command_words.hpp"
#include "pipex/pipeline.hpp"
#include "pipex/report.hpp"

#ifndef PIPEX_VERSION
#define PIPEX_VERSION "unknown"
#endif

namespace pipex::cli {
namespace {

constexpr std::string_view kUsage =
    "usage: pipex [OPTION...] [--] INFILE CMD1 CMD2 [... CMDN] OUTFILE\n"
    "       pipex [OPTION...] [--] here_doc LIMITER CMD1 [... CMDN] OUTFILE\n";

constexpr std::string_view kHelp =
    "\n"
    "Runs a pipeline as bash would, with every child holding only fds 0, 1 and 2:\n"
    "  pipex INFILE CMD1 ... CMDN OUTFILE        < INFILE CMD1 | ... | CMDN > OUTFILE\n"
    "  pipex here_doc LIMITER CMD1 ... OUTFILE   CMD1 << 'LIMITER' | ... | CMDN >> OUTFILE\n"
    "\n"
    "Each CMD is split into words with shell quoting ('...', \"...\", \\); $VAR, ~ and globs\n"
    "are not expanded. The exit status is the last command's.\n"
    "\n"
    "Nothing the pipeline starts outlives it: once every command has ended, the processes they\n"
    "started that still run are sent SIGTERM, then SIGKILL, and each is named on stderr.\n"
    "\n"
    "options (before INFILE):\n"
    "  --kill-after=DURATION  how long a process sent SIGTERM has before SIGKILL (default 2s)\n"
    "  --keep-descendants     leave the processes the commands started running, as bash does\n"
    "  --wait-delay=DURATION  after a command ends, how long another process may hold its\n"
    "                         output pipe open before it is ended and named\n"
    "  --timeout=DURATION     end everything after DURATION and exit with 124\n"
    "  --pipefail             exit with the status of the last command that failed, as\n"
    "                         bash's `set -o pipefail` (0 when none did)\n"
    "  --report               after the run, a table of every command on stderr: how it\n"
    "                         ended, its wall time, CPU, peak memory, bytes read and written\n"
    "  --report-json=FILE     the same report as JSON in FILE (schema_version 1), written\n"
    "                         even when the run fails or is interrupted\n"
    "  -h, --help             show this help and exit\n"
    "  -V, --version          show the version and exit\n"
    "  --                     end of options: the next argument is INFILE even if it starts\n"
    "                         with '-'\n"
    "DURATION is a number with an optional unit: ms, s (the default), m, h or d.\n"
    "\n"
    "exit status: the last command's, as bash gives it (127 not found, 126 not executable,\n"
    "1 when its file could not be opened, 128+N killed by signal N; with --pipefail, the\n"
    "last non-zero one); 124 when timed out; 1 for bad usage or a report that could not be\n"
    "written; 2 for a quote left open; death by the signal that interrupted pipex when it\n"
    "ended the last command.\n";

constexpr std::string_view kOutOfMemory = "pipex: out of memory\n";

// One write per message, so lines from concurrent processes never interleave mid-line.
void print(int fd, std::string_view text) { (void)write_all(fd, text.data(), text.size()); }

void print_error(std::string_view what) {
    std::string line = "pipex: ";
    line += what;
    line += '\n';
    print(2, line);
}

// A pipe or file pipex opens must never become its own stdin, stdout or stderr because one of
// them was closed when pipex started: pipex's error messages would go into it and children would
// inherit it as a std fd. These three are the only fds pipex opens without close-on-exec, since
// they are exactly what children are meant to inherit.
void ensure_standard_fds_open() {
    for (int fd = 0; fd <= 2; ++fd) {
        // open returns the lowest free fd, which is this one, since every lower one is open.
        if (::fcntl(fd, F_GETFD) < 0 && errno == EBADF) (void)::open("/dev/null", O_RDWR);
    }
}

// pipex must be able to wait for its children, and must not die writing to a closed stderr.
// Children get SIGPIPE back at default, whatever pipex's caller or pipex sets (see spawn.hpp).
void prepare_dispositions() {
    ::signal(SIGCHLD, SIG_DFL);
    ::signal(SIGPIPE, SIG_IGN);
}

struct Invocation {
    ContainmentOptions containment;
    bool pipefail = false;
    bool report = false;                     // the table on stderr
    std::optional<std::string> report_json;  // the JSON's file
    bool here_doc = false;
    std::string_view source;  // INFILE, or the here-doc's LIMITER
    std::span<char*> commands;
    std::string_view outfile;
};

constexpr std::string_view kTryHelp = "Try 'pipex --help' for more information.\n";

int usage_error(const std::string& what) {
    print_error(what);
    print(2, kUsage);
    print(2, kTryHelp);
    return kStatusUsage;
}

// What a command line with too few operands lacks, in one line.
std::string missing_operands(std::span<char*> operands) {
    if (!operands.empty() && std::string_view(operands[0]) == "here_doc")
        return "here_doc: a LIMITER, one command or more and an OUTFILE are needed";
    return "too few arguments (" + std::to_string(operands.size()) +
           "): INFILE, two commands or more and an OUTFILE are needed";
}

// Sets a flag option; false when `arg` is none.
bool parse_flag(std::string_view arg, Invocation& invocation) {
    if (arg == "--keep-descendants")
        invocation.containment.left_running = LeftRunning::Keep;
    else if (arg == "--pipefail")
        invocation.pipefail = true;
    else if (arg == "--report")
        invocation.report = true;
    else
        return false;
    return true;
}

// Sets an option with a value, `--NAME=VALUE` or `--NAME VALUE`.
std::optional<int> set_value(std::string_view name, std::string_view value,
                             Invocation& invocation) {
    if (name == "--report-json") {
        if (value.empty()) return usage_error("--report-json: a FILE is needed");
        invocation.report_json = std::string(value);
        return std::nullopt;
    }
    std::optional<Duration> duration = parse_duration(value);
    if (!duration)
        return usage_error(std::string(name) + ": invalid duration '" + std::string(value) +
                           "' (a number with an optional unit: ms, s, m, h, d)");
    ContainmentOptions& containment = invocation.containment;
    if (name == "--kill-after") containment.kill_after = *duration;
    if (name == "--wait-delay") containment.wait_delay = *duration;
    // timeout(1)'s rule: 0 is no timeout.
    if (name == "--timeout") containment.timeout = duration->count() ? duration : std::nullopt;
    return std::nullopt;
}

// The options that shape the run. Returns the exit status of a usage error, or nullopt; `first`
// moves past what was read. Not one of them: `first` is left alone.
std::optional<int> parse_run_option(std::span<char*> args, std::size_t& first,
                                    Invocation& invocation) {
    const std::string_view arg = args[first];
    if (parse_flag(arg, invocation)) {
        ++first;
        return std::nullopt;
    }
    const std::string_view name = arg.substr(0, arg.find('='));
    if (name != "--kill-after" && name != "--wait-delay" && name != "--timeout" &&
        name != "--report-json")
        return std::nullopt;
    const char* needed = name == "--report-json" ? ": a FILE is needed" : ": a DURATION is needed";
    std::string_view value;
    if (name.size() < arg.size()) {
        value = arg.substr(name.size() + 1);
    } else if (first + 1 < args.size()) {
        value = args[++first];
    } else {
        return usage_error(std::string(name) + needed);
    }
    ++first;
    return set_value(name, value, invocation);
}

// Returns the exit status when the options alone decide it (help, version, bad usage).
std::optional<int> parse(std::span<char*> args, Invocation& invocation) {
    std::size_t first = 0;
    while (first < args.size()) {
        std::string_view arg = args[first];
        if (arg == "--") {
            ++first;
            break;
        }
        const std::size_t before = first;
        if (std::optional<int> status = parse_run_option(args, first, invocation)) return status;
        if (first != before) continue;
        if (arg == "-h" || arg == "--help") {
            print(1, std::string(kUsage) + std::string(kHelp));
            return 0;
        }
        if (arg == "-V" || arg == "--version") {
            print(1, "pipex " PIPEX_VERSION "\n" PIPEX_COPYRIGHT_LINE);
            return 0;
        }
        if (arg.size() < 2 || arg[0] != '-') break;
        return usage_error(std::string(arg) + ": invalid option");
    }
    std::span<char*> operands = args.subspan(first);
    if (operands.size() < 4) return usage_error(missing_operands(operands));
    invocation.here_doc = std::string_view(operands[0]) == "here_doc";
    std::size_t commands_start = invocation.here_doc ? 2 : 1;
    invocation.source = operands[commands_start - 1];
    invocation.commands = operands.subspan(commands_start, operands.size() - commands_start - 1);
    invocation.outfile = operands.back();
    return std::nullopt;
}

// All commands are split before anything runs or any file is touched, as a shell reads a whole
// line before running any of it.
std::optional<int> add_commands(const Invocation& invocation, PipelineBuilder& builder) {
    for (char* text : invocation.commands) {
        try {
            builder.command_line(text);
        } catch (const CommandSyntaxError& error) {
            print_error(std::string(text) + ": " + error.what());
            return kStatusSyntax;
        }
    }
    return std::nullopt;
}

// The whole document, or a line saying why not.
bool write_report(const UniqueFd& file, const std::string& path, const PipelineSpec& spec,
                  const PipelineResult& result) {
    const int error = write_report_json(file.get(), spec, result);
    if (error == 0) return true;
    print_error(path + ": " + std::strerror(error));
    return false;
}

// bash's rule: interrupted, a shell dies of the signal only when its last command did; one that
// caught it and exited gives its own status. A last command that never ran cannot have caught it.
bool ends_by_signal(const PipelineResult& result) {
    if (!result.interrupted_by || result.timed_out) return false;
    const StageResult& last = result.stages.back();
    return last.signal != 0 || (!last.started() && last.error.empty());
}

// Everything after the fds and dispositions are in order; throws std::bad_alloc.
int run(int argc, char** argv) {
    Invocation invocation;
    std::span<char*> args(argv + 1, static_cast<std::size_t>(argc > 0 ? argc - 1 : 0));
    if (std::optional<int> status = parse(args, invocation)) return *status;

    PipelineBuilder builder;
    if (std::optional<int> status = add_commands(invocation, builder)) return *status;
    if (invocation.here_doc) {
        builder.input_here_doc(0, std::string(invocation.source));
        builder.output_file(std::string(invocation.outfile), OutputMode::Append);
    } else {
        builder.input_file(std::string(invocation.source));
        builder.output_file(std::string(invocation.outfile), OutputMode::Truncate);
    }

    // Opened before anything runs: a report that cannot be written is said at once.
    UniqueFd json_file;
    if (invocation.report_json) {
        OpenResult opened = open_file(*invocation.report_json, O_WRONLY | O_CREAT | O_TRUNC, 0666);
        if (!opened.fd) {
            print_error(*invocation.report_json + ": " + std::strerror(opened.error));
            return kStatusReportFailed;
        }
        json_file = std::move(opened.fd);
    }

    RunOptions options;
    options.on_error = print_error;
    options.forward_signals = true;
    options.containment = invocation.containment;
    options.pipefail = invocation.pipefail;
    options.count_bytes = invocation.report || json_file;
    const PipelineSpec spec = builder.build();
    PipelineResult result = run_pipeline(spec, options);
    int status = result.status();
    // Also for a run that failed or was interrupted: that is when a report is wanted most.
    if (invocation.report) (void)write_report_table(2, spec, result);
    if (json_file && !write_report(json_file, *invocation.report_json, spec, result) && status == 0)
        status = kStatusReportFailed;
    if (ends_by_signal(result)) die_by_signal(result.interrupted_by);
    return status;
}

}  // namespace

int main(int argc, char** argv) {
    ensure_standard_fds_open();
    prepare_dispositions();
    try {
        return run(argc, argv);
    } catch (const std::bad_alloc&) {
        // A fixed text in one write: nothing is left to allocate with. The engine has stopped
        // and reaped the stages it started (pipeline.hpp).
        print(2, kOutOfMemory);
        return kStatusOutOfMemory;
    }
}

}  // namespace pipex::cli
