// pipex-audit as a program: options, COMMAND run under the tracer, the reports, the exit status.
#include "audit/program/cli.hpp"

#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include <cerrno>
#include <cstring>
#include <span>
#include <string>

#include "audit/program/audit_status.hpp"
#include "audit/program/options.hpp"
#include "audit/report/json_report.hpp"
#include "audit/report/text_report.hpp"
#include "audit/trace/launcher.hpp"
#include "audit/trace/tracer.hpp"
#include "pipex/base/exec_failure.hpp"
#include "pipex/base/exit_status.hpp"
#include "pipex/base/io.hpp"
#include "pipex/base/open.hpp"
#include "pipex/base/system_error.hpp"
#include "pipex/path_lookup.hpp"

namespace pipex::audit {
namespace {

void print_error(const std::string& message) {
    (void)write_all(2, "pipex-audit: " + message + "\n");
}

// Why COMMAND's exec failed, in the words pipex and bash use. The child ran execvp, which
// searches PATH as bash does for a name without '/': the same search names the file to judge.
ExecFailure explain_not_started(const std::string& name, int error) {
    if (name.find('/') != std::string::npos) return explain_exec_failure(name, error);
    const char* path = std::getenv("PATH");
    std::optional<std::string> found =
        find_command(name, path ? std::optional<std::string_view>(path) : std::nullopt);
    if (!found) return command_not_found(name);
    return explain_exec_failure(*found, error);
}

// COMMAND never ran: say why as a shell would, and give a shell's status when asked for it.
int not_started(const Options& options, const TraceOutcome& outcome) {
    const std::string& name = options.command.front();
    if (outcome.exec_error == 0) {
        print_error(name + ": ended before it could start: " +
                    describe_wait_status(outcome.top_wait_status));
        return options.command_status ? shell_status(outcome.top_wait_status) : kExitTrouble;
    }
    ExecFailure failure = explain_not_started(name, outcome.exec_error);
    print_error(failure.message);
    return options.command_status ? failure.status : kExitTrouble;
}

// The files the reports go to, opened before COMMAND runs: a path that cannot be written stops
// the audit before anything happens.
struct ReportFiles {
    UniqueFd json;
    UniqueFd text;  // empty: the readable report goes to stderr
};

UniqueFd create_report_file(const std::optional<std::string>& path) {
    if (!path) return {};
    OpenResult opened = open_file(*path, O_WRONLY | O_CREAT | O_TRUNC, 0666);
    if (!opened.fd) throw SystemError(opened.error, *path);
    return move_above_stdio(std::move(opened.fd));
}

// Returns "" or why a report file could not be written.
std::string write_reports(const Options& options, const ProcessTable& table,
                          const Findings& findings, const TraceOutcome& outcome,
                          const ReportFiles& files) {
    const std::string summary = "pipex-audit: " + summary_line(table, findings) + "\n";
    if (options.quiet || files.text) (void)write_all(2, summary);
    if (files.text) {
        if (int error = write_all(files.text.get(), text_report(table, findings, options.command,
                                                                options.allow_rules)))
            return *options.report_path + ": " + std::strerror(error);
    } else if (!options.quiet) {
        (void)write_all(2, text_report(table, findings, options.command, options.allow_rules));
    }
    if (!files.json) return {};
    JsonContext context{options.command, options.allow_rules, outcome.top_wait_status};
    if (int error = write_all(files.json.get(), json_report(table, findings, context)))
        return *options.json_path + ": " + std::strerror(error);
    return {};
}

int audit_command(const Options& options, const SignalGate& signals, const ReportFiles& files) {
    Launched launched = launch_traced(options.command, signals, options.provenance);
    ProcessTable table;
    table.add_top(launched.pid);
    Findings findings;
    findings.provenance = launched.provenance;
    findings.provenance_off = launched.provenance_off;
    Tracer tracer(table, findings, signals, ExecPolicy{options.allow_rules}, options.hang_after,
                  launched.provenance);
    TraceOutcome outcome;
    try {
        outcome = tracer.run(std::move(launched.exec_error));
    } catch (...) {
        tracer.kill_everything();  // never leave the tree behind, stopped or running
        throw;
    }
    if (!outcome.top_started) return not_started(options, outcome);
    if (std::string failure = write_reports(options, table, findings, outcome, files);
        !failure.empty()) {
        print_error(failure);
        return kExitTrouble;
    }
    // Asked to stop and COMMAND died of it: end the same way, so a calling shell stops too.
    if (findings.received_signal && WIFSIGNALED(outcome.top_wait_status))
        die_by_signal(findings.received_signal);
    if (options.command_status) return shell_status(outcome.top_wait_status);
    return findings.clean() ? kExitClean : kExitFound;
}

int run(const Options& options) {
    try {
        SignalGate signals;
        // Orphans of the tree become pipex-audit's children, so it can reap them all.
        if (::prctl(PR_SET_CHILD_SUBREAPER, 1) != 0)
            throw SystemError(errno, "prctl(PR_SET_CHILD_SUBREAPER)");
        ReportFiles files{create_report_file(options.json_path),
                          create_report_file(options.report_path)};
        return audit_command(options, signals, files);
    } catch (const TraceImpossible& error) {
        print_error(error.what());
    } catch (const std::system_error& error) {
        print_error(error.what());
    }
    return kExitTrouble;
}

}  // namespace

int main(int argc, char** argv) {
    std::span<char* const> args(argv + (argc > 0 ? 1 : 0),
                                static_cast<std::size_t>(argc > 0 ? argc - 1 : 0));
    ParseResult parsed = parse_options(args);
    (void)write_all(1, parsed.out);
    (void)write_all(2, parsed.err);
    if (!parsed.options) return parsed.exit_status;
    return run(*parsed.options);
}

}  // namespace pipex::audit
