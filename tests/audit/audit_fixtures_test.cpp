// Fixtures with exactly one planted defect each (and a clean one): pipex-audit must find the
// defect, name the right process, and find nothing else.
#include <fcntl.h>

#include "audit_support.hpp"

namespace audit_test {
namespace {

const nlohmann::json& only(const nlohmann::json& list) {
    EXPECT_EQ(list.size(), 1u);
    return list.at(0);
}

void expect_counts(const nlohmann::json& report, long long leaks, long long zombies,
                   long long orphans, long long left_running) {
    EXPECT_EQ(count(report, "fd_leaks"), leaks);
    EXPECT_EQ(count(report, "zombies"), zombies);
    EXPECT_EQ(count(report, "orphans"), orphans);
    EXPECT_EQ(count(report, "left_running"), left_running);
    EXPECT_EQ(report.at("clean").get<bool>(), leaks + zombies + orphans + left_running == 0);
}

TEST(AuditFixtures, InheritedFileIsOneLeakInTheChild) {
    TempDir dir;
    testsupport::write_file(dir / "data.txt", "data\n");
    AuditRun run = audit({.command = {FIXTURE_LEAK_FILE, dir / "data.txt"}});
    ASSERT_EQ(run.result.shell_status(), 1) << describe(run.result);
    auto pids = said(run.result.out);
    expect_counts(run.report, 1, 0, 0, 0);
    EXPECT_EQ(count(run.report, "processes"), 2);
    EXPECT_EQ(count(run.report, "execs"), 2);

    const nlohmann::json& leak = only(run.report.at("fd_leaks"));
    EXPECT_EQ(pid_of(leak), pids.at("child"));
    EXPECT_EQ(leak.at("parent_pid").get<long long>(), pids.at("parent"));
    EXPECT_EQ(leak.at("program").get<std::string>(), FIXTURE_LEAK_FILE);
    EXPECT_EQ(leak.at("fd").get<long long>(), pids.at("fd"));
    EXPECT_EQ(leak.at("target").get<std::string>(), dir / "data.txt");
    EXPECT_EQ(leak.at("kind").get<std::string>(), "file");
    EXPECT_EQ(leak.at("access").get<std::string>(), "read");
    EXPECT_NE(run.result.err.find("pid " + std::to_string(pids.at("child")) + " (leak_file"),
              std::string::npos)
        << run.result.err;
    EXPECT_NE(
        run.result.err.find("fd " + std::to_string(pids.at("fd")) + " -> " + dir / "data.txt"),
        std::string::npos)
        << run.result.err;
}

TEST(AuditFixtures, StageKeepingBothEndsOfItsPipeIsCalledOut) {
    AuditRun run = audit({.command = {FIXTURE_PIPE_BOTH_ENDS}});
    ASSERT_EQ(run.result.shell_status(), 1) << describe(run.result);
    auto pids = said(run.result.out);
    expect_counts(run.report, 1, 0, 0, 0);
    EXPECT_EQ(count(run.report, "processes"), 3);
    EXPECT_EQ(count(run.report, "execs"), 3);

    const nlohmann::json& leak = only(run.report.at("fd_leaks"));
    EXPECT_EQ(pid_of(leak), pids.at("reader"));
    EXPECT_EQ(leak.at("argv")[1].get<std::string>(), "reader");
    EXPECT_EQ(leak.at("fd").get<long long>(), pids.at("kept"));
    EXPECT_EQ(leak.at("kind").get<std::string>(), "pipe");
    EXPECT_EQ(leak.at("access").get<std::string>(), "write end");
    EXPECT_EQ(leak.at("reads_from_fd").get<long long>(), 0);
    // The reader itself shows both ends: fd 0 reads the pipe, the kept fd writes it.
    bool reads = false, writes = false;
    const nlohmann::json& ends = leak.at("pipe_ends");
    for (std::size_t i = 0; i < ends.size(); ++i) {
        if (pid_of(ends[i]) != pids.at("reader")) continue;
        reads |= ends[i].at("fd").get<long long>() == 0 &&
                 ends[i].at("access").get<std::string>() == "read end";
        writes |= ends[i].at("fd").get<long long>() == pids.at("kept") &&
                  ends[i].at("access").get<std::string>() == "write end";
    }
    EXPECT_TRUE(reads && writes) << run.result.err;
    EXPECT_NE(run.result.err.find("holds the write end of the pipe it reads from (fd 0)"),
              std::string::npos)
        << run.result.err;
}

TEST(AuditFixtures, ParentThatNeverWaitsLeavesOneZombie) {
    AuditRun run = audit({.command = {FIXTURE_NEVER_WAITS}});
    ASSERT_EQ(run.result.shell_status(), 1) << describe(run.result);
    auto pids = said(run.result.out);
    expect_counts(run.report, 0, 1, 0, 0);
    const nlohmann::json& zombie = only(run.report.at("zombies"));
    EXPECT_EQ(pid_of(zombie), pids.at("child"));
    EXPECT_EQ(zombie.at("parent_pid").get<long long>(), pids.at("parent"));
    EXPECT_EQ(process_entry(run.report, pids.at("child")).at("abandoned").get<std::string>(),
              "zombie");
    EXPECT_EQ(process_entry(run.report, pids.at("child")).at("status").get<long long>(), 0);
    EXPECT_NE(
        run.result.err.find("pid " + std::to_string(pids.at("child")) +
                            " (never_waits) had exited and was not reaped when its parent pid " +
                            std::to_string(pids.at("parent"))),
        std::string::npos)
        << run.result.err;
}

TEST(AuditFixtures, ParentKilledBySigkillStillLeavesItsZombie) {
    AuditRun run = audit({.options = {"--status"}, .command = {FIXTURE_NEVER_WAITS, "sigkill"}});
    ASSERT_EQ(run.result.shell_status(), 137) << describe(run.result);
    auto pids = said(run.result.out);
    expect_counts(run.report, 0, 1, 0, 0);
    const nlohmann::json& zombie = only(run.report.at("zombies"));
    EXPECT_EQ(pid_of(zombie), pids.at("child"));
    EXPECT_EQ(zombie.at("parent_pid").get<long long>(), pids.at("parent"));
}

TEST(AuditFixtures, ParentExitingWhileItsChildRunsLeavesOneOrphanThatIsKilled) {
    AuditRun run = audit({.command = {FIXTURE_EXITS_EARLY}});
    ASSERT_EQ(run.result.shell_status(), 1) << describe(run.result);
    auto pids = said(run.result.out);
    expect_counts(run.report, 0, 0, 1, 1);
    const nlohmann::json& orphan = only(run.report.at("orphans"));
    EXPECT_EQ(pid_of(orphan), pids.at("child"));
    EXPECT_EQ(orphan.at("parent_pid").get<long long>(), pids.at("parent"));
    EXPECT_EQ(pid_of(only(run.report.at("left_running"))), pids.at("child"));
    const nlohmann::json& child = process_entry(run.report, pids.at("child"));
    EXPECT_TRUE(child.at("killed_by_audit").get<bool>());
    EXPECT_EQ(child.at("status").get<long long>(), 137);
    EXPECT_EQ(::kill(static_cast<pid_t>(pids.at("child")), 0), -1) << "the orphan must be gone";
}

TEST(AuditFixtures, CleanProgramHasNoFinding) {
    AuditRun run = audit({.command = {FIXTURE_CLEAN_PROGRAM}});
    ASSERT_EQ(run.result.shell_status(), 0) << describe(run.result);
    expect_counts(run.report, 0, 0, 0, 0);
    EXPECT_EQ(count(run.report, "processes"), 2);
    EXPECT_EQ(count(run.report, "execs"), 2);
    EXPECT_NE(run.result.out.find("child says hello\n"), std::string::npos);
    EXPECT_NE(run.result.err.find("2 processes, 2 execs: 0 fd leaks, 0 zombies, 0 orphans"),
              std::string::npos);
}

TEST(AuditFixtures, ThreadsAreNotProcesses) {
    AuditRun run = audit({.command = {FIXTURE_THREADS}});
    ASSERT_EQ(run.result.shell_status(), 0) << describe(run.result);
    auto pids = said(run.result.out);
    expect_counts(run.report, 0, 0, 0, 0);
    EXPECT_EQ(count(run.report, "processes"), 2);
    EXPECT_EQ(count(run.report, "execs"), 3);  // the top, its child, the exec from a thread
    const nlohmann::json& top = process_entry(run.report, pids.at("parent"));
    EXPECT_EQ(top.at("execs").get<long long>(), 2);
    EXPECT_EQ(top.at("argv")[1].get<std::string>(), "after");
    EXPECT_NE(run.result.out.find("after exec\n"), std::string::npos);
}

}  // namespace
}  // namespace audit_test
