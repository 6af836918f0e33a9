// pipex-audit's interface: options, help, exit statuses, the JSON document, the summary line.
#include <fcntl.h>
#include <sys/stat.h>

#include "audit_support.hpp"

namespace audit_test {
namespace {

RunResult run_audit_args(std::vector<std::string> args) {
    args.insert(args.begin(), PIPEX_AUDIT_BIN);
    testsupport::RunSpec spec;
    spec.argv = args;
    spec.in_child = close_stray_fds;
    spec.timeout = std::chrono::seconds(60);
    return testsupport::run(spec);
}

TEST(AuditCli, HelpDocumentsEveryOptionAndExitStatus) {
    RunResult r = run_audit_args({"--help"});
    EXPECT_EQ(r.shell_status(), 0);
    EXPECT_TRUE(r.out.starts_with("usage: pipex-audit [OPTIONS] [--] COMMAND [ARGS...]\n"))
        << r.out;
    for (const char* word :
         {"--json FILE", "schema_version", "-o, --report FILE", "--allow RULE", "--allow-file FILE",
          "kind=KIND", "path=GLOB", "program=GLOB", "--hang-after DURATION", "-q, --quiet",
          "--status", "-h, --help", "-V, --version", "  0    nothing found", "  1    at least one",
          "  2    usage error", "ptrace forbidden",
          "N processes, N execs: N fd leaks, N zombies, N orphans"})
        EXPECT_NE(r.out.find(word), std::string::npos) << word;
    EXPECT_EQ(r.err, "");
    EXPECT_EQ(run_audit_args({"-h"}).out, r.out);
}

TEST(AuditCli, Version) {
    RunResult r = run_audit_args({"--version"});
    EXPECT_EQ(r.shell_status(), 0);
    EXPECT_TRUE(r.out.starts_with("pipex-audit ")) << r.out;
}

TEST(AuditCli, UsageErrorsExitWithTwoAndRunNothing) {
    TempDir dir;
    const std::string marker = dir / "ran";
    const std::vector<std::vector<std::string>> cases = {
        {},
        {"--"},
        {"--quiet"},
        {"--bogus", "--", "touch", marker},
        {"-x", "touch", marker},
        {"--json"},
        {"--json", "", "--", "touch", marker},
        {"--allow", "abc", "--", "touch", marker},
        {"--allow=-1", "touch", marker},
        {"--allow", "3x", "touch", marker},
        {"--allow", "", "touch", marker},
        {"--hang-after", "0", "touch", marker},
        {"--hang-after", "soon", "touch", marker},
        {"--hang-after"},
        {"--allow", "kind=fifo", "touch", marker},
        {"--allow", "colour=red", "touch", marker},
        {"--allow", "program=", "touch", marker},
        {"--allow-file", dir / "no-such-rules", "touch", marker},
        {"--allow-file"},
        {"--report"},
        {"-o", "", "touch", marker},
        {"--json", dir / "no/such/folder/report.json", "--", "touch", marker},
        {"--report", dir / "no/such/folder/report.txt", "--", "touch", marker},
        {"-o", dir / "no/such/folder/report.txt", "--", "touch", marker},
    };
    for (const auto& args : cases) {
        RunResult r = run_audit_args(args);
        EXPECT_EQ(r.shell_status(), 2) << describe(r);
        EXPECT_TRUE(r.err.starts_with("pipex-audit: ")) << r.err;
        EXPECT_FALSE(testsupport::file_exists(marker)) << describe(r);
    }
}

TEST(AuditCli, ExitStatusIsZeroWhenCleanAndOneWhenSomethingIsFound) {
    EXPECT_EQ(audit({.command = {"sh", "-c", "exit 5"}}).result.shell_status(), 0);
    TempDir dir;
    testsupport::write_file(dir / "data", "x\n");
    EXPECT_EQ(audit({.command = {FIXTURE_LEAK_FILE, dir / "data"}}).result.shell_status(), 1);
    EXPECT_EQ(audit({.command = {FIXTURE_NEVER_WAITS}}).result.shell_status(), 1);
}

TEST(AuditCli, StatusOptionGivesTheCommandsOwnStatus) {
    EXPECT_EQ(
        audit({.options = {"--status"}, .command = {"sh", "-c", "exit 5"}}).result.shell_status(),
        5);
    EXPECT_EQ(audit({.options = {"--status"}, .command = {"sh", "-c", "kill -TERM $$"}})
                  .result.shell_status(),
              143);
    AuditRun found = audit({.options = {"--status"}, .command = {FIXTURE_NEVER_WAITS}});
    EXPECT_EQ(found.result.shell_status(), 0) << "the fixture's status, not the finding's";
    EXPECT_EQ(count(found.report, "zombies"), 1);
    EXPECT_EQ(found.report.at("status").get<long long>(), 0);
    EXPECT_EQ(
        audit({.command = {"sh", "-c", "kill -SEGV $$"}}).report.at("signal").get<std::string>(),
        "SIGSEGV");
}

TEST(AuditCli, CommandThatCannotStart) {
    RunResult missing = run_audit_args({"--", "no-such-command-pipex-audit"});
    EXPECT_EQ(missing.shell_status(), 2);
    EXPECT_EQ(missing.err, "pipex-audit: no-such-command-pipex-audit: command not found\n");
    EXPECT_EQ(run_audit_args({"--status", "no-such-command-pipex-audit"}).shell_status(), 127);
    TempDir dir;
    testsupport::write_file(dir / "not-executable", "data\n", 0644);
    RunResult denied = run_audit_args({"--status", "--", dir / "not-executable"});
    EXPECT_EQ(denied.shell_status(), 126);
    EXPECT_NE(denied.err.find("Permission denied"), std::string::npos) << denied.err;
}

TEST(AuditCli, TracingImpossibleIsExplainedWithStatusTwo) {
    // Under pipex-audit, a second pipex-audit cannot trace: its child already has a tracer.
    AuditRun run = audit({.options = {"--status"}, .command = {PIPEX_AUDIT_BIN, "--", "true"}});
    EXPECT_EQ(run.result.shell_status(), 2) << describe(run.result);
    EXPECT_NE(run.result.err.find(
                  "pipex-audit: cannot trace COMMAND: ptrace(PTRACE_SEIZE): Operation not "
                  "permitted: pipex-audit is itself traced"),
              std::string::npos)
        << run.result.err;
    EXPECT_TRUE(run.report.at("clean").get<bool>())
        << "the inner audit killed and reaped its child";
}

TEST(AuditCli, AllowAcceptsAnFdPassedOnPurpose) {
    TempDir dir;
    testsupport::write_file(dir / "data", "x\n");
    const std::vector<std::string> command = {FIXTURE_LEAK_FILE, dir / "data"};
    AuditRun leak = audit({.command = command});
    ASSERT_EQ(count(leak.report, "fd_leaks"), 1);
    const std::string fd = std::to_string(leak.report.at("fd_leaks")[0].at("fd").get<long long>());

    AuditRun allowed = audit({.options = {"--allow", fd}, .command = command});
    EXPECT_EQ(allowed.result.shell_status(), 0) << describe(allowed.result);
    EXPECT_EQ(count(allowed.report, "fd_leaks"), 0);
    EXPECT_EQ(allowed.report.at("allow_rules")[0].at("fd").get<long long>(), std::stoll(fd));
    EXPECT_EQ(allowed.report.at("allow_rules")[0].at("origin"), "--allow");
    ASSERT_EQ(count(allowed.report, "allowed_leaks"), 1);
    EXPECT_EQ(allowed.report.at("allowed_leaks")[0].at("allowed_by"), 0);
    EXPECT_EQ(audit({.options = {"--allow=" + fd}, .command = command}).result.shell_status(), 0);
    AuditRun other = audit({.options = {"--allow", "9", "--allow", "10"}, .command = command});
    EXPECT_EQ(other.result.shell_status(), 1);
    EXPECT_EQ(count(other.report, "fd_leaks"), 1);
}

TEST(AuditCli, QuietPrintsTheSummaryAlone) {
    TempDir dir;
    testsupport::write_file(dir / "data", "x\n");
    AuditRun run = audit(
        {.options = {"--quiet"}, .command = {FIXTURE_LEAK_FILE, dir / "data"}, .with_json = false});
    EXPECT_EQ(run.result.shell_status(), 1);
    EXPECT_EQ(run.result.err,
              "pipex-audit: 2 processes, 2 execs: 1 fd leak, 0 zombies, 0 orphans\n");
    AuditRun clean = audit({.options = {"-q"}, .command = {"true"}, .with_json = false});
    EXPECT_EQ(clean.result.err,
              "pipex-audit: 1 process, 1 exec: 0 fd leaks, 0 zombies, 0 orphans\n");
}

TEST(AuditCli, JsonHoldsTheSameFactsAsTheReport) {
    AuditRun run = audit({.command = {FIXTURE_EXITS_EARLY}});
    const nlohmann::json& report = run.report;
    EXPECT_EQ(report.at("command")[0].get<std::string>(), FIXTURE_EXITS_EARLY);
    EXPECT_EQ(report.at("status").get<long long>(), 0);
    EXPECT_FALSE(report.at("clean").get<bool>());
    EXPECT_EQ(report.at("received_signal").is_null(), true);
    EXPECT_EQ(count(report, "processes"), static_cast<long long>(report.at("processes").size()));
    auto pids = said(run.result.out);
    const nlohmann::json& top = process_entry(report, pids.at("parent"));
    EXPECT_TRUE(top.at("traced_parent").is_null());
    EXPECT_EQ(top.at("program").get<std::string>(), FIXTURE_EXITS_EARLY);
    EXPECT_EQ(top.at("execs").get<long long>(), 1);
    const nlohmann::json& child = process_entry(report, pids.at("child"));
    EXPECT_EQ(child.at("traced_parent").get<long long>(), pids.at("parent"));
    EXPECT_EQ(child.at("abandoned").get<std::string>(), "orphan");
    EXPECT_TRUE(child.at("left_running").get<bool>());
    EXPECT_EQ(child.at("signal").get<std::string>(), "SIGKILL");
    EXPECT_NE(run.result.err.find("left running when COMMAND ended (1):\n  pid " +
                                  std::to_string(pids.at("child"))),
              std::string::npos)
        << run.result.err;
}

TEST(AuditCli, JsonEscapesEveryString) {
    const std::string odd =
        "quote\" backslash\\ tab\t newline\n bell\x07 utf8 \xc3\xa9 invalid \xff end";
    AuditRun run = audit({.command = {"sh", "-c", "exit 0", odd}});
    ASSERT_EQ(run.result.shell_status(), 0) << describe(run.result);
    std::string expected = odd;
    expected.replace(expected.find('\xff'), 1, "\xef\xbf\xbd");  // U+FFFD
    EXPECT_EQ(run.report.at("command")[3].get<std::string>(), expected);
    EXPECT_EQ(run.report.at("processes")[0].at("argv")[3].get<std::string>(), expected);
}

TEST(AuditCli, FdsGivenToCommandAreShownNotCounted) {
    AuditRun run = audit({.command = {"sh", "-c", "exec true"},
                          .plant = [] { plant_fd("/dev/null", O_RDONLY, 6); }});
    EXPECT_EQ(run.result.shell_status(), 0) << describe(run.result);
    ASSERT_EQ(run.report.at("caller_fds").size(), 1u);
    EXPECT_EQ(run.report.at("caller_fds")[0].at("target").get<std::string>(), "/dev/null");
    EXPECT_EQ(run.report.at("caller_fds")[0].at("kind").get<std::string>(), "device");
    EXPECT_NE(run.result.err.find(
                  "fds COMMAND was started with (given by pipex-audit's caller, not counted):\n"
                  "  fd 6 -> /dev/null (device, read)\n"),
              std::string::npos)
        << run.result.err;
}

TEST(AuditCli, AnFdTheTopCommandOpensBeforeExecingIsALeak) {
    AuditRun run = audit({.command = {"sh", "-c", "exec 8</dev/null; exec true"}});
    EXPECT_EQ(run.result.shell_status(), 1) << describe(run.result);
    ASSERT_EQ(count(run.report, "fd_leaks"), 1);
    EXPECT_EQ(run.report.at("fd_leaks")[0].at("fd").get<long long>(), 8);
    EXPECT_EQ(run.report.at("fd_leaks")[0].at("program").get<std::string>(), "/usr/bin/true");
}

}  // namespace
}  // namespace audit_test
