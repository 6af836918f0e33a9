// Running programs under pipex-audit from the tests, and reading what it reports.
#include "audit_support.hpp"

#include <fcntl.h>
#include <linux/close_range.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <sstream>
#include <stdexcept>

#include "json_schema.hpp"

extern char** environ;

namespace audit_test {
namespace {

// A hang is bounded, never measured: tests do not assert on time.
constexpr std::chrono::seconds kHangLimit{60};

// LeakSanitizer checks for leaks at exit by attaching to the process with ptrace, which a
// process already traced by pipex-audit refuses; sanitized tracees must skip that check.
std::optional<std::vector<std::string>> environment_for_tracees() {
#ifdef AUDIT_TRACEES_SANITIZED
    std::vector<std::string> env;
    for (char** entry = environ; *entry; ++entry)
        if (std::strncmp(*entry, "ASAN_OPTIONS=", 13) != 0) env.emplace_back(*entry);
    env.emplace_back("ASAN_OPTIONS=detect_leaks=0");
    return env;
#else
    return std::nullopt;
#endif
}

std::function<void()> clean_slate(const std::function<void()>& plant) {
    return [plant] {
        close_stray_fds();
        if (plant) plant();
    };
}

// testsupport::run writes stdin_data to the child: if the child ends before reading it all, the
// write must fail with EPIPE, not kill the test. Children get SIGPIPE's default back.
const bool sigpipe_ignored = [] {
    ::signal(SIGPIPE, SIG_IGN);
    return true;
}();

}  // namespace

void close_stray_fds() {
    if (::syscall(SYS_close_range, 3U, ~0U, 0U) != 0) _exit(124);
}

void plant_fd(const std::string& path, int flags, int fd) {
    int opened = ::open(path.c_str(), flags, 0644);
    if (opened < 0) _exit(123);
    if (opened != fd) {
        if (::dup2(opened, fd) != fd) _exit(123);
        ::close(opened);
    }
}

AuditRun audit(const AuditSpec& spec) {
    TempDir dir;
    const std::string json_path = dir / "report.json";
    std::vector<std::string> argv = {PIPEX_AUDIT_BIN};
    if (spec.with_json) argv.insert(argv.end(), {"--json", json_path});
    argv.insert(argv.end(), spec.options.begin(), spec.options.end());
    argv.push_back("--");
    argv.insert(argv.end(), spec.command.begin(), spec.command.end());

    testsupport::RunSpec run_spec;
    run_spec.argv = spec.as_nobody ? testsupport::as_nobody(argv) : argv;
    run_spec.stdin_data = spec.stdin_data;
    run_spec.env = environment_for_tracees();
    run_spec.timeout = kHangLimit;
    run_spec.in_child = clean_slate(spec.plant);
    run_spec.on_started = spec.on_started;
    AuditRun run{testsupport::run(run_spec), {}};
    if (spec.with_json && testsupport::file_exists(json_path)) {
        run.report = nlohmann::json::parse(testsupport::read_file(json_path));
        SCOPED_TRACE(run.report.dump(2));
        testsupport::expect_matches_schema(
            run.report, testsupport::published_schema("pipex-audit.schema.json"), "report");
    }
    return run;
}

RunResult run_plain(const std::vector<std::string>& command, const std::string& stdin_data,
                    const std::function<void()>& plant, bool as_nobody) {
    testsupport::RunSpec run_spec;
    run_spec.argv = as_nobody ? testsupport::as_nobody(command) : command;
    run_spec.stdin_data = stdin_data;
    run_spec.env = environment_for_tracees();
    run_spec.timeout = kHangLimit;
    run_spec.in_child = clean_slate(plant);
    return testsupport::run(run_spec);
}

std::map<std::string, long> said(const std::string& out) {
    std::map<std::string, long> values;
    std::istringstream lines(out);
    std::string role;
    long value = 0;
    std::string line;
    while (std::getline(lines, line)) {
        std::istringstream words(line);
        if (words >> role >> value) values[role] = value;
    }
    return values;
}

long long count(const nlohmann::json& report, const char* what) {
    return report.at("summary").at(what).get<long long>();
}

long long pid_of(const nlohmann::json& entry) { return entry.at("pid").get<long long>(); }

const nlohmann::json& process_entry(const nlohmann::json& report, long long pid) {
    const nlohmann::json& processes = report.at("processes");
    for (std::size_t i = 0; i < processes.size(); ++i)
        if (pid_of(processes.at(i)) == pid) return processes.at(i);
    throw std::runtime_error("no process " + std::to_string(pid) + " in the report");
}

std::string describe(const RunResult& r) {
    std::ostringstream s;
    if (r.timed_out) s << "TIMED OUT, ";
    s << "status " << r.shell_status() << "; stdout: \"" << r.out << "\"; stderr: \"" << r.err
      << "\"";
    return s.str();
}

}  // namespace audit_test
