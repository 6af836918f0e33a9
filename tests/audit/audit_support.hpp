// Running programs under pipex-audit from the tests, and reading what it reports.
//
// Every audited run starts from a clean slate: the child closes every fd above 2 it inherited
// from the test runner (CI and terminals leave some open), then plants what the test wants. So
// a finding can only come from the program under audit.
#pragma once

#include <gtest/gtest.h>
#include <sys/types.h>

#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "process.hpp"

namespace audit_test {

using testsupport::RunResult;
using testsupport::TempDir;

struct AuditSpec {
    std::vector<std::string> options{};  // pipex-audit's own, before "--"
    std::vector<std::string> command{};
    std::string stdin_data{};
    std::function<void()> plant{};  // in the child, after the stray fds are closed
    std::function<void(int pid)> on_started{};
    bool as_nobody = false;  // run pipex-audit (and so the tree) as uid 65534
    bool with_json = true;   // add --json FILE and parse it
};

struct AuditRun {
    RunResult result;
    nlohmann::json report;  // the --json document (null when with_json is false)
};

AuditRun audit(const AuditSpec& spec);

// The same command without pipex-audit, started the same way, to compare with.
RunResult run_plain(const std::vector<std::string>& command, const std::string& stdin_data = {},
                    const std::function<void()>& plant = {}, bool as_nobody = false);

// In a forked child: closes every fd above 2.
void close_stray_fds();

// Opens `path` without close-on-exec and moves it to fd `fd` (in a forked child).
void plant_fd(const std::string& path, int flags, int fd);

// What a fixture said: its "ROLE VALUE" lines, by role.
std::map<std::string, long> said(const std::string& out);

// Summary counts of a report: {"fd_leaks", n}, {"zombies", n}...
long long count(const nlohmann::json& report, const char* what);

// The pid of a finding or process entry.
long long pid_of(const nlohmann::json& entry);

// The processes entry of this pid.
const nlohmann::json& process_entry(const nlohmann::json& report, long long pid);

std::string describe(const RunResult& r);

}  // namespace audit_test
