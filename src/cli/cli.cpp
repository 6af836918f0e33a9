// The pipex program: its arguments, its messages and its exit status, over the engine.
#include "cli.hpp"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <span>
#include <string>
#include <string_view>

#include "pipex/base/exit_status.hpp"
#include "pipex/base/io.hpp"
#include "pipex/base/signals.hpp"
#include "pipex/base/system_error.hpp"
#include "pipex/command_words.hpp"
#include "pipex/pipeline.hpp"

#ifndef PIPEX_VERSION
#define PIPEX_VERSION "unknown"
#endif

namespace pipex::cli {
namespace {

constexpr std::string_view kUsage =
    "usage: pipex [--] INFILE CMD1 CMD2 [... CMDN] OUTFILE\n"
    "       pipex [--] here_doc LIMITER CMD1 [... CMDN] OUTFILE\n";

constexpr std::string_view kHelp =
    "\n"
    "Runs a pipeline as bash would, with every child holding only fds 0, 1 and 2:\n"
    "  pipex INFILE CMD1 ... CMDN OUTFILE        < INFILE CMD1 | ... | CMDN > OUTFILE\n"
    "  pipex here_doc LIMITER CMD1 ... OUTFILE   CMD1 << 'LIMITER' | ... | CMDN >> OUTFILE\n"
    "\n"
    "Each CMD is split into words with shell quoting ('...', \"...\", \\); $VAR, ~ and globs\n"
    "are not expanded. The exit status is the last command's.\n"
    "\n"
    "options (before INFILE):\n"
    "  -h, --help     show this help and exit\n"
    "  -V, --version  show the version and exit\n"
    "  --             end of options: the next argument is INFILE even if it starts with '-'\n";

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
    bool here_doc = false;
    std::string_view source;  // INFILE, or the here-doc's LIMITER
    std::span<char*> commands;
    std::string_view outfile;
};

// Returns the exit status when the options alone decide it (help, version, bad usage).
std::optional<int> parse(std::span<char*> args, Invocation& invocation) {
    std::size_t first = 0;
    while (first < args.size()) {
        std::string_view arg = args[first];
        if (arg == "--") {
            ++first;
            break;
        }
        if (arg == "-h" || arg == "--help") {
            print(1, std::string(kUsage) + std::string(kHelp));
            return 0;
        }
        if (arg == "-V" || arg == "--version") {
            print(1, "pipex " PIPEX_VERSION "\n");
            return 0;
        }
        if (arg.size() < 2 || arg[0] != '-') break;
        print_error(std::string(arg) + ": invalid option");
        print(2, kUsage);
        return kStatusUsage;
    }
    std::span<char*> operands = args.subspan(first);
    if (operands.size() < 4) {
        print(2, kUsage);
        return kStatusUsage;
    }
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

}  // namespace

int main(int argc, char** argv) {
    ensure_standard_fds_open();
    prepare_dispositions();

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

    RunOptions options;
    options.on_error = print_error;
    options.forward_signals = true;
    PipelineResult result = run_pipeline(builder.build(), options);
    if (result.interrupted_by) die_by_signal(result.interrupted_by);
    return result.status();
}

}  // namespace pipex::cli
