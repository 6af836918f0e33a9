// Parsing pipex-audit's command line, with its help, version and usage errors.
#include "audit/program/options.hpp"

#include <string_view>

#include "audit/program/audit_status.hpp"
#include "pipex/base/about.hpp"
#include "pipex/containment.hpp"

#ifndef PIPEX_VERSION
#define PIPEX_VERSION "unknown"
#endif

namespace pipex::audit {
namespace {

constexpr std::string_view kUsage = "usage: pipex-audit [OPTIONS] [--] COMMAND [ARGS...]\n";

constexpr std::string_view kHelp =
    "\n"
    "Runs COMMAND and follows its whole process tree (every fork, vfork, clone and exec, with\n"
    "ptrace events only, so it runs at nearly full speed), then reports on stderr:\n"
    "  fd leaks   at every exec, each fd beyond 0, 1 and 2 the new program holds: what it is\n"
    "             (a pipe and which processes hold its ends, a file, a socket...), which program\n"
    "             and pid received it; a program holding the write end of the pipe it reads\n"
    "             from is called out (it never sees end-of-file: pipelines hang that way)\n"
    "  zombies    children a process left unreaped (already exited) when it exited\n"
    "  orphans    children a process left running when it exited\n"
    "  statuses   every process's exit status, as a shell gives it (128+N for signal N)\n"
    "What the tree still runs when COMMAND ends is reported as left running and killed.\n"
    "The fds COMMAND itself was given by the caller are shown but not counted.\n"
    "COMMAND runs unchanged: same fds, environment, signal mask and dispositions; signals reach\n"
    "it as they would without pipex-audit.\n"
    "\n"
    "options:\n"
    "  --json FILE    also write the findings as JSON to FILE (created, or truncated); its\n"
    "                 schema is versioned (schema_version)\n"
    "  -o, --report FILE\n"
    "                 write the readable report to FILE (created, or truncated) instead of\n"
    "                 stderr, which then gets the summary line alone\n"
    "  --allow RULE   leaks RULE matches are passed on purpose: shown apart, not counted\n"
    "                 (repeatable). RULE is one or more conditions, all of which must hold:\n"
    "                   N, fd=N         the fd number (--allow 3: fd 3 anywhere)\n"
    "                   kind=KIND       pipe, socket, file, device, memfd, anonymous-inode,\n"
    "                                   other\n"
    "                   path=GLOB       what the fd refers to (a file's path), as fnmatch(3)\n"
    "                   program=GLOB    the receiving program: its path, or its name when\n"
    "                                   GLOB has no '/'\n"
    "                 e.g. --allow 'program=make kind=pipe' (make's jobserver pipe)\n"
    "  --allow-file FILE\n"
    "                 one RULE per line; blank lines and lines starting with # are skipped\n"
    "  --provenance   say where each leaked fd was born: the process and system call that\n"
    "                 made it (open, pipe, socket, dup2...), whether O_CLOEXEC was missing then\n"
    "                 or cleared later (fcntl F_SETFD, ioctl FIONCLEX), and the processes that\n"
    "                 passed it down. A seccomp filter stops the tree at those calls alone\n"
    "                 (each costs two stops; every other call runs at full speed). Unless\n"
    "                 pipex-audit is root, the filter needs no_new_privs, which keeps set-user-ID\n"
    "                 programs from gaining privileges; under an unprivileged tracer they do not\n"
    "                 gain them anyway. When the filter cannot be had, the report says why\n"
    "  --hang-after DURATION\n"
    "                 if the tree still runs DURATION after COMMAND started (2, 0.5s, 300ms,\n"
    "                 1m), say what each process blocked on a pipe waits for and every process\n"
    "                 holding the pipe's other end (marking those it leaked to), then kill the\n"
    "                 tree: a finding. The same diagnosis is made on the first SIGINT,\n"
    "                 SIGTERM, SIGHUP or SIGQUIT and for what is left running when COMMAND ends\n"
    "  -q, --quiet    print only the summary line:\n"
    "                   N processes, N execs: N fd leaks, N zombies, N orphans\n"
    "  --status       exit with COMMAND's status instead of 0 or 1\n"
    "  -h, --help     show this help and exit\n"
    "  -V, --version  show the version and exit\n"
    "  --             end of options: what follows is COMMAND\n"
    "\n"
    "exit status:\n"
    "  0    nothing found\n"
    "  1    at least one fd leak, zombie, orphan, or process left running, or the tree\n"
    "       still ran after --hang-after\n"
    "  2    usage error, COMMAND could not be started, pipex-audit failed, or tracing is\n"
    "       impossible (the reason is printed: ptrace forbidden by the system, or pipex-audit\n"
    "       itself traced)\n"
    "  with --status: COMMAND's status instead of 0 and 1 (128+N if signal N killed it; 127 if\n"
    "       COMMAND was not found, 126 if it could not be executed); 2 as above otherwise\n"
    "\n"
    "signals: a first SIGINT, SIGTERM, SIGHUP or SIGQUIT sent to pipex-audit alone is passed on\n"
    "to COMMAND (Ctrl-C from the terminal already reaches the whole tree); a second one kills\n"
    "the tree. Either way pipex-audit reaps everything, reports, and if COMMAND was killed by a\n"
    "signal, ends by the signal it received.\n";

ParseResult usage_error(const std::string& message) {
    ParseResult result;
    result.exit_status = kExitTrouble;
    result.err = "pipex-audit: " + message + "\n" + std::string(kUsage) +
                 "Try 'pipex-audit --help' for more information.\n";
    return result;
}

// An option that takes a value: "--json FILE" or "--json=FILE". Advances `at` past the value.
std::optional<std::string> option_value(std::span<char* const> args, std::size_t& at,
                                        std::string_view name) {
    std::string_view arg = args[at];
    if (arg.size() > name.size() && arg[name.size()] == '=')
        return std::string(arg.substr(name.size() + 1));
    if (at + 1 >= args.size()) return std::nullopt;
    return std::string(args[++at]);
}

bool takes_value(std::string_view arg, std::string_view name) {
    return arg == name ||
           (arg.starts_with(name) && arg.size() > name.size() && arg[name.size()] == '=');
}

// One option at args[at]; returns an exit when the option decides it.
std::optional<ParseResult> parse_one(std::span<char* const> args, std::size_t& at,
                                     Options& options) {
    std::string_view arg = args[at];
    if (arg == "-h" || arg == "--help")
        return ParseResult{{}, 0, std::string(kUsage) + std::string(kHelp), {}};
    if (arg == "-V" || arg == "--version")
        return ParseResult{{}, 0, "pipex-audit " PIPEX_VERSION "\n" PIPEX_COPYRIGHT_LINE, {}};
    if (arg == "-q" || arg == "--quiet") {
        options.quiet = true;
    } else if (arg == "--provenance") {
        options.provenance = true;
    } else if (arg == "--status") {
        options.command_status = true;
    } else if (takes_value(arg, "--json")) {
        options.json_path = option_value(args, at, "--json");
        if (!options.json_path || options.json_path->empty())
            return usage_error("--json needs a FILE");
    } else if (arg == "-o" || takes_value(arg, "--report")) {
        options.report_path = option_value(args, at, arg == "-o" ? "-o" : "--report");
        if (!options.report_path || options.report_path->empty())
            return usage_error(std::string(arg.substr(0, arg.find('='))) + " needs a FILE");
    } else if (takes_value(arg, "--allow-file")) {
        std::optional<std::string> path = option_value(args, at, "--allow-file");
        if (!path || path->empty()) return usage_error("--allow-file needs a FILE");
        AllowFile file = read_allow_file(*path);
        if (!file.error.empty()) return usage_error("--allow-file: " + file.error);
        for (AllowRule& rule : file.rules) options.allow_rules.push_back(std::move(rule));
    } else if (takes_value(arg, "--hang-after")) {
        std::optional<std::string> value = option_value(args, at, "--hang-after");
        options.hang_after = value ? parse_duration(*value) : std::nullopt;
        if (!options.hang_after || options.hang_after->count() == 0)
            return usage_error("--hang-after needs a DURATION above 0 (2, 0.5s, 300ms, 1m), not '" +
                               value.value_or("") + "'");
    } else if (takes_value(arg, "--allow")) {
        std::optional<std::string> value = option_value(args, at, "--allow");
        if (!value) return usage_error("--allow needs a RULE");
        ParsedRule parsed = parse_allow_rule(*value, "--allow");
        if (!parsed.rule) return usage_error("--allow '" + *value + "': " + parsed.error);
        options.allow_rules.push_back(std::move(*parsed.rule));
    } else {
        return usage_error("unknown option '" + std::string(arg) + "'");
    }
    return std::nullopt;
}

}  // namespace

ParseResult parse_options(std::span<char* const> args) {
    Options options;
    std::size_t at = 0;
    for (; at < args.size(); ++at) {
        std::string_view arg = args[at];
        if (arg == "--") {
            ++at;
            break;
        }
        if (arg.size() < 2 || arg[0] != '-') break;
        if (std::optional<ParseResult> decided = parse_one(args, at, options)) return *decided;
    }
    if (at >= args.size()) return usage_error("no COMMAND to run");
    options.command.assign(args.begin() + static_cast<std::ptrdiff_t>(at), args.end());
    ParseResult result;
    result.options = std::move(options);
    return result;
}

}  // namespace pipex::audit
