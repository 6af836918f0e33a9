// Parsing pipex-check's command line, with its help, version and usage errors.
#include "check/program/options.hpp"

#include <cstdlib>
#include <string_view>

#include "pipex/base/about.hpp"
#include "pipex/containment.hpp"

#ifndef PIPEX_VERSION
#define PIPEX_VERSION "unknown"
#endif

namespace pipex::check {
namespace {

constexpr std::string_view kUsage = "usage: pipex-check [OPTIONS] PATH/TO/pipex\n";

constexpr std::string_view kHelp =
    "\n"
    "Tests a pipex (the school exercise: `pipex INFILE CMD1 CMD2 OUTFILE`, and the bonus: more\n"
    "commands, `here_doc LIMITER`). Every case runs the program and the same pipeline in\n"
    "/bin/bash, in twin scratch folders, and compares what they did: the files (OUTFILE's bytes,\n"
    "its mode), the exit status, the error lines (with `bash: ` and the program's own name\n"
    "dropped, in any order) and stdout. On every case the program's whole process tree is\n"
    "followed (ptrace) and these are failures too:\n"
    "  fd-leak        a command started holding an fd beyond 0, 1 and 2 (which pipe end or file)\n"
    "  not-waited     a child never waited for (a zombie, or an orphan left running)\n"
    "  left-running   a process still running once the program ended\n"
    "  one-at-a-time  a stage started only after the one before it ended\n"
    "  open-at-exit   an fd the program never closed\n"
    "  temp-file      a here-doc file left in /tmp, or made there under a fixed name\n"
    "  hang           still running at the timeout: who waits on which pipe, who holds it\n"
    "  crash          the program killed by a signal, or stopped by a sanitizer\n"
    "  memory-leak    memory its own process definitely lost, by valgrind (when installed)\n"
    "Each case runs in a sandbox: a /tmp of its own, scratch folders removed afterwards, as\n"
    "the unprivileged user 65534 when pipex-check is root. Nothing it starts is left running.\n"
    "\n"
    "options:\n"
    "  -k PATTERN       run only the cases whose name (GROUP/NAME) contains PATTERN\n"
    "                   (repeatable: any of them)\n"
    "  --list           list the cases (GROUP/NAME, what it tests, the bash line) and exit\n"
    "  --json FILE      also write the results as JSON to FILE (schema_version 1)\n"
    "  --timeout DURATION\n"
    "                   bound each run (bash's, the program's) to DURATION, as timeout(1)\n"
    "                   reads it: 5 (the default), 2.5s, 500ms\n"
    "  -j, --jobs N     run N cases at once (default: one per processor)\n"
    "  -v, --verbose    also print the notes of the cases that passed\n"
    "  -h, --help       show this help and exit\n"
    "  -V, --version    show the version and exit\n"
    "  --               end of options: the next argument is the program even if it starts\n"
    "                   with '-'\n"
    "A value follows its option as the next argument, or attached: --json=FILE, -j4.\n"
    "\n"
    "exit status: 0 every selected case passed, 1 one failed, 2 the check could not run (no\n"
    "program, not executable, no /bin/bash, a usage error).\n";

ParseResult usage_error(const std::string& why) {
    return {std::nullopt, kCheckTrouble, "",
            "pipex-check: " + why + "\n" + std::string(kUsage) +
                "Try 'pipex-check --help' for more information.\n"};
}

// An option's value written in the same argument: --json=FILE, -j4, -kPATTERN.
struct SplitOption {
    std::string_view name;
    std::optional<std::string> attached;
};

SplitOption split_attached(std::string_view arg) {
    if (arg.starts_with("--")) {
        if (std::size_t equals = arg.find('='); equals != std::string_view::npos)
            return {arg.substr(0, equals), std::string(arg.substr(equals + 1))};
    } else if (arg.size() > 2 && (arg.starts_with("-j") || arg.starts_with("-k"))) {
        return {arg.substr(0, 2), std::string(arg.substr(2))};
    }
    return {arg, std::nullopt};
}

bool takes_a_value(std::string_view name) {
    return name == "-k" || name == "--json" || name == "--timeout" || name == "-j" ||
           name == "--jobs";
}

}  // namespace

ParseResult parse_options(std::span<char* const> args) {
    Options options;
    std::optional<std::string> program;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const auto [arg, attached] = split_attached(args[i]);
        if (attached && !takes_a_value(arg))
            return usage_error("'" + std::string(arg) + "' takes no value ('" +
                               std::string(args[i]) + "')");
        auto value = [&, attached = attached]() -> std::optional<std::string> {
            if (attached) return attached;
            if (i + 1 >= args.size()) return std::nullopt;
            return std::string(args[++i]);
        };
        if (arg == "-h" || arg == "--help")
            return {std::nullopt, kAllPassed, std::string(kUsage) + std::string(kHelp), ""};
        if (arg == "-V" || arg == "--version")
            return {std::nullopt, kAllPassed,
                    "pipex-check " PIPEX_VERSION "\n" PIPEX_COPYRIGHT_LINE, ""};
        if (arg == "--list") {
            options.list = true;
        } else if (arg == "-v" || arg == "--verbose") {
            options.verbose = true;
        } else if (arg == "-k") {
            std::optional<std::string> pattern = value();
            if (!pattern) return usage_error("-k: PATTERN is missing");
            options.patterns.push_back(*pattern);
        } else if (arg == "--json") {
            std::optional<std::string> path = value();
            if (!path) return usage_error("--json: FILE is missing");
            options.json_path = *path;
        } else if (arg == "--timeout") {
            std::optional<std::string> text = value();
            if (!text) return usage_error("--timeout: DURATION is missing");
            std::optional<Duration> timeout = parse_duration(*text);
            if (!timeout || timeout->count() == 0)
                return usage_error("--timeout: '" + *text + "': not a duration above zero");
            options.timeout = std::chrono::duration_cast<std::chrono::milliseconds>(*timeout);
        } else if (arg == "-j" || arg == "--jobs") {
            std::optional<std::string> text = value();
            if (!text) return usage_error(std::string(arg) + ": N is missing");
            char* end = nullptr;
            long jobs = std::strtol(text->c_str(), &end, 10);
            if (text->empty() || *end != '\0' || jobs < 1 || jobs > 256)
                return usage_error(std::string(arg) + ": '" + *text +
                                   "': not a number from 1 to 256");
            options.jobs = static_cast<unsigned>(jobs);
        } else if (arg.size() > 1 && arg.front() == '-' && arg != "--") {
            return usage_error("unknown option '" + std::string(arg) + "'");
        } else {
            if (arg == "--") {
                if (++i >= args.size()) break;
            }
            if (program) return usage_error("one program only ('" + std::string(args[i]) + "')");
            program = args[i];
        }
    }
    if (!program && !options.list) return usage_error("PATH/TO/pipex is missing");
    options.program = program.value_or("");
    return {options, kAllPassed, "", ""};
}

}  // namespace pipex::check
