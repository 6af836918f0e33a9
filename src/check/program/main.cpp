// pipex-check as a program: options, the cases selected, run, reported; the exit status.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <span>
#include <string>
#include <thread>

#include "check/cases/battery.hpp"
#include "check/program/check_report.hpp"
#include "check/program/options.hpp"
#include "check/program/scheduler.hpp"
#include "check/run/bash_run.hpp"
#include "pipex/base/io.hpp"
#include "pipex/base/open.hpp"
#include "pipex/base/signals.hpp"

namespace pipex::check {
namespace {

void print_error(const std::string& message) {
    (void)write_all(2, "pipex-check: " + message + "\n");
}

std::vector<std::size_t> select_cases(const std::vector<std::string>& patterns) {
    std::vector<std::size_t> selected;
    for (std::size_t i = 0; i < battery().size(); ++i) {
        const Case& c = battery()[i];
        const std::string full = std::string(group_name(c.group)) + "/" + c.name;
        if (patterns.empty() || std::any_of(patterns.begin(), patterns.end(), [&](const auto& p) {
                return full.find(p) != std::string::npos;
            }))
            selected.push_back(i);
    }
    return selected;
}

// "" or why the program cannot be tested at all.
std::string why_not_testable(const std::string& program) {
    struct stat st {};
    if (::stat(program.c_str(), &st) != 0) return program + ": " + std::strerror(errno);
    if (S_ISDIR(st.st_mode)) return program + ": " + std::strerror(EISDIR);
    if (::access(program.c_str(), X_OK) != 0) return program + ": " + std::strerror(errno);
    if (::access(kBash, X_OK) != 0)
        return std::string(kBash) + ": " + std::strerror(errno) + " (bash is the reference)";
    return {};
}

int run(const Options& options) {
    std::vector<std::size_t> selected = select_cases(options.patterns);
    if (options.list) {
        (void)write_all(1, list_text(selected));
        return kAllPassed;
    }
    if (selected.empty()) {
        print_error("no case matches the -k patterns given");
        return kCheckTrouble;
    }
    if (std::string why = why_not_testable(options.program); !why.empty()) {
        print_error(why);
        return kCheckTrouble;
    }
    UniqueFd json;
    if (options.json_path) {
        OpenResult opened = open_file(*options.json_path, O_WRONLY | O_CREAT | O_TRUNC, 0666);
        if (!opened.fd) {
            print_error(*options.json_path + ": " + std::strerror(opened.error));
            return kCheckTrouble;
        }
        json = std::move(opened.fd);
    }
    WorkerConfig config{options.program, options.timeout, {}};
    const unsigned jobs =
        options.jobs ? options.jobs : std::max(1u, std::thread::hardware_concurrency());
    ScheduleOutcome outcome = run_cases(selected, config, jobs, [&](const CaseResult& result) {
        (void)write_all(1, case_text(battery()[result.index], result, options.verbose));
    });
    if (outcome.stop_signal) {
        print_error("interrupted by " + signal_name(outcome.stop_signal) +
                    ": every case's processes were ended");
        die_by_signal(outcome.stop_signal);
    }
    (void)write_all(1, summary_text(outcome.results));
    if (json) {
        if (int error = write_all(json.get(), json_report(options.program, outcome.results))) {
            print_error(*options.json_path + ": " + std::strerror(error));
            return kCheckTrouble;
        }
    }
    const bool trouble = std::any_of(outcome.results.begin(), outcome.results.end(),
                                     [](const CaseResult& r) { return !r.trouble.empty(); });
    if (trouble) return kCheckTrouble;
    const bool failed = std::any_of(outcome.results.begin(), outcome.results.end(),
                                    [](const CaseResult& r) { return !r.passed(); });
    return failed ? kSomeFailed : kAllPassed;
}

}  // namespace
}  // namespace pipex::check

int main(int argc, char** argv) {
    using namespace pipex::check;
    std::span<char* const> args(argv + (argc > 0 ? 1 : 0),
                                static_cast<std::size_t>(argc > 0 ? argc - 1 : 0));
    ParseResult parsed = parse_options(args);
    (void)pipex::write_all(1, parsed.out);
    (void)pipex::write_all(2, parsed.err);
    if (!parsed.options) return parsed.exit_status;
    try {
        return run(*parsed.options);
    } catch (const std::exception& error) {
        (void)pipex::write_all(2, std::string("pipex-check: ") + error.what() + "\n");
        return kCheckTrouble;
    }
}
