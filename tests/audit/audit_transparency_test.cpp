// pipex-audit must not change what the traced program does: same output, same statuses, signals
// delivered and job control kept; and when asked to stop, it ends the tree and leaves nothing.
#include <signal.h>
#include <sys/stat.h>

#include <thread>

#include "audit_support.hpp"

namespace audit_test {
namespace {

void expect_same(const RunResult& plain, const AuditRun& audited) {
    EXPECT_EQ(audited.result.out, plain.out);
    EXPECT_EQ(audited.result.shell_status(), plain.shell_status()) << describe(audited.result);
}

// Waits for `path` to exist: the traced program says it is ready. Bounded, not measured.
void wait_for_file(const std::string& path) {
    for (int i = 0; i < 2000 && !testsupport::file_exists(path); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
}

TEST(AuditTransparency, SignalMaskDispositionsAndHandlersAreUnchanged) {
    auto plant = [] {
        sigset_t blocked;
        sigemptyset(&blocked);
        sigaddset(&blocked, SIGUSR2);
        sigprocmask(SIG_BLOCK, &blocked, nullptr);
        signal(SIGPIPE, SIG_IGN);
        signal(SIGCHLD, SIG_IGN);
    };
    RunResult plain = run_plain({FIXTURE_SIGNAL_STATE}, {}, plant);
    AuditRun audited =
        audit({.options = {"--status"}, .command = {FIXTURE_SIGNAL_STATE}, .plant = plant});
    ASSERT_EQ(plain.shell_status(), 3);
    EXPECT_NE(plain.out.find("caught 3 SIGUSR1"), std::string::npos);
    expect_same(plain, audited);
}

TEST(AuditTransparency, JobControlStopsAndContinuesAsWithoutTheAudit) {
    RunResult plain = run_plain({FIXTURE_STOP_AND_CONTINUE});
    AuditRun audited = audit({.options = {"--status"}, .command = {FIXTURE_STOP_AND_CONTINUE}});
    EXPECT_EQ(plain.out, "stopped: 1, by signal 19\nexited: 1, status 7\n");
    expect_same(plain, audited);
    EXPECT_TRUE(audited.report.at("clean").get<bool>());
}

TEST(AuditTransparency, ShellPipelineOutputInputAndStatus) {
    const std::vector<std::string> command = {"sh", "-c",
                                              "sort | tr a-z A-Z; cat /dev/null; exit 3"};
    RunResult plain = run_plain(command, "b\na\n");
    AuditRun audited = audit({.options = {"--status"}, .command = command, .stdin_data = "b\na\n"});
    EXPECT_EQ(plain.out, "A\nB\n");
    expect_same(plain, audited);
}

// The caller closed stdin or stderr: COMMAND must find them closed too, and the audit's own
// files must not take their place (with stderr closed, the JSON file would get fd 2 and the
// report with it).
TEST(AuditTransparency, ClosedStandardFdsStayClosed) {
    const std::vector<std::string> list_std_fds = {
        "sh", "-c",
        "for fd in 0 1 2; do [ -e /proc/$$/fd/$fd ] && echo $fd open || echo $fd closed; done"};
    AuditRun no_stderr = audit({.command = list_std_fds, .plant = [] { ::close(2); }});
    EXPECT_EQ(no_stderr.result.out, "0 open\n1 open\n2 closed\n");
    EXPECT_TRUE(no_stderr.report.at("clean").get<bool>());
    AuditRun neither = audit({.command = list_std_fds, .plant = [] {
                                  ::close(0);
                                  ::close(2);
                              }});
    EXPECT_EQ(neither.result.out, "0 closed\n1 open\n2 closed\n");
    EXPECT_EQ(neither.result.err, "");
    EXPECT_TRUE(neither.report.at("clean").get<bool>());
}

TEST(AuditTransparency, StatusesOfSignalledProcesses) {
    AuditRun run =
        audit({.options = {"--status"}, .command = {"sh", "-c", "sh -c 'kill -SEGV $$'; exit $?"}});
    EXPECT_EQ(run.result.shell_status(), 139);
    const nlohmann::json& processes = run.report.at("processes");
    ASSERT_EQ(processes.size(), 2u);
    EXPECT_EQ(processes[1].at("status").get<long long>(), 139);
    EXPECT_EQ(processes[1].at("signal").get<std::string>(), "SIGSEGV");
    EXPECT_NE(run.result.err.find("-> SIGSEGV (139)"), std::string::npos) << run.result.err;
}

TEST(AuditTransparency, ASignalToTheAuditIsPassedToTheCommand) {
    TempDir dir;
    const std::string ready = dir / "ready";
    AuditRun run = audit({.options = {"--status"},
                          .command = {"sh", "-c",
                                      "trap 'echo got TERM; exit 7' TERM; : > " + ready +
                                          "; while :; do sleep 0.05; done"},
                          .on_started = [&](int pid) {
                              wait_for_file(ready);
                              ::kill(pid, SIGTERM);
                          }});
    EXPECT_EQ(run.result.out, "got TERM\n");
    EXPECT_EQ(run.result.shell_status(), 7) << describe(run.result);
    EXPECT_EQ(run.report.at("received_signal").get<std::string>(), "SIGTERM");
    EXPECT_FALSE(run.report.at("tree_killed").get<bool>());
}

TEST(AuditTransparency, ASecondSignalKillsTheWholeTreeAndLeavesNothing) {
    TempDir dir;
    const std::string ready = dir / "ready";
    AuditRun run = audit({.command = {"sh", "-c",
                                      "trap '' TERM INT; sleep 60 & echo $! > " + ready +
                                          ".tmp; mv " + ready + ".tmp " + ready + "; wait"},
                          .on_started = [&](int pid) {
                              wait_for_file(ready);
                              ::kill(pid, SIGTERM);
                              ::kill(pid, SIGINT);
                          }});
    ASSERT_TRUE(run.result.signaled()) << describe(run.result);
    EXPECT_TRUE(run.result.term_signal() == SIGTERM || run.result.term_signal() == SIGINT);
    EXPECT_TRUE(run.report.at("tree_killed").get<bool>());
    long long sleeper = std::stoll(testsupport::read_file(ready));
    EXPECT_EQ(run.report.at("processes")[0].at("status").get<long long>(), 137);
    EXPECT_TRUE(run.report.at("processes")[0].at("killed_by_audit").get<bool>());
    EXPECT_EQ(process_entry(run.report, sleeper).at("status").get<long long>(), 137);
    EXPECT_EQ(::kill(static_cast<pid_t>(sleeper), 0), -1) << "the background sleep must be gone";
}

TEST(AuditTransparency, InterruptingTheWholeGroupEndsTheTreeCleanly) {
    TempDir dir;
    const std::string ready = dir / "ready";
    AuditRun run = audit({.command = {PIPEX_BIN, "/dev/zero", "cat", "cat",
                                      "sh -c ': > " + ready + "; cat'", "/dev/null"},
                          .on_started = [&](int pid) {
                              wait_for_file(ready);
                              ::kill(-pid, SIGINT);  // as Ctrl-C does: the audit and the tree
                          }});
    ASSERT_TRUE(run.result.signaled()) << describe(run.result);
    EXPECT_EQ(run.result.term_signal(), SIGINT);
    EXPECT_EQ(run.report.at("signal").get<std::string>(), "SIGINT")
        << "pipex ends by the signal it forwarded";
    EXPECT_EQ(count(run.report, "left_running"), 0) << run.result.err;
    EXPECT_EQ(count(run.report, "orphans"), 0) << run.result.err;
    EXPECT_EQ(count(run.report, "zombies"), 0) << run.result.err;
}

}  // namespace
}  // namespace audit_test
