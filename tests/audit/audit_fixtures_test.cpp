// Fixtures with exactly one planted defect each (and a clean one): pipex-audit must find the
// defect, name the right process, and find nothing else.
#include <fcntl.h>

#include "audit_support.hpp"

namespace audit_test {
namespace {

const json::Value& only(const json::Value& list) {
    EXPECT_EQ(list.size(), 1u);
    return list[0];
}

void expect_counts(const json::Value& report, long long leaks, long long zombies, long long orphans,
                   long long left_running) {
    EXPECT_EQ(count(report, "fd_leaks"), leaks);
    EXPECT_EQ(count(report, "zombies"), zombies);
    EXPECT_EQ(count(report, "orphans"), orphans);
    EXPECT_EQ(count(report, "left_running"), left_running);
    EXPECT_EQ(report["clean"].flag(), leaks + zombies + orphans + left_running == 0);
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

    const json::Value& leak = only(run.report["fd_leaks"]);
    EXPECT_EQ(pid_of(leak), pids["child"]);
    EXPECT_EQ(leak["parent_pid"].integer(), pids["parent"]);
    EXPECT_EQ(leak["program"].str(), FIXTURE_LEAK_FILE);
    EXPECT_EQ(leak["fd"].integer(), pids["fd"]);
    EXPECT_EQ(leak["target"].str(), dir / "data.txt");
    EXPECT_EQ(leak["kind"].str(), "file");
    EXPECT_EQ(leak["access"].str(), "read");
    EXPECT_NE(run.result.err.find("pid " + std::to_string(pids["child"]) + " (leak_file"),
              std::string::npos)
        << run.result.err;
    EXPECT_NE(run.result.err.find("fd " + std::to_string(pids["fd"]) + " -> " + dir / "data.txt"),
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

    const json::Value& leak = only(run.report["fd_leaks"]);
    EXPECT_EQ(pid_of(leak), pids["reader"]);
    EXPECT_EQ(leak["argv"][1].str(), "reader");
    EXPECT_EQ(leak["fd"].integer(), pids["kept"]);
    EXPECT_EQ(leak["kind"].str(), "pipe");
    EXPECT_EQ(leak["access"].str(), "write end");
    EXPECT_EQ(leak["reads_from_fd"].integer(), 0);
    // The reader itself shows both ends: fd 0 reads the pipe, the kept fd writes it.
    bool reads = false, writes = false;
    const json::Value& ends = leak["pipe_ends"];
    for (std::size_t i = 0; i < ends.size(); ++i) {
        if (pid_of(ends[i]) != pids["reader"]) continue;
        reads |= ends[i]["fd"].integer() == 0 && ends[i]["access"].str() == "read end";
        writes |= ends[i]["fd"].integer() == pids["kept"] && ends[i]["access"].str() == "write end";
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
    const json::Value& zombie = only(run.report["zombies"]);
    EXPECT_EQ(pid_of(zombie), pids["child"]);
    EXPECT_EQ(zombie["parent_pid"].integer(), pids["parent"]);
    EXPECT_EQ(process_entry(run.report, pids["child"])["abandoned"].str(), "zombie");
    EXPECT_EQ(process_entry(run.report, pids["child"])["status"].integer(), 0);
    EXPECT_NE(
        run.result.err.find("pid " + std::to_string(pids["child"]) +
                            " (never_waits) had exited and was not reaped when its parent pid " +
                            std::to_string(pids["parent"])),
        std::string::npos)
        << run.result.err;
}

TEST(AuditFixtures, ParentKilledBySigkillStillLeavesItsZombie) {
    AuditRun run = audit({.options = {"--status"}, .command = {FIXTURE_NEVER_WAITS, "sigkill"}});
    ASSERT_EQ(run.result.shell_status(), 137) << describe(run.result);
    auto pids = said(run.result.out);
    expect_counts(run.report, 0, 1, 0, 0);
    const json::Value& zombie = only(run.report["zombies"]);
    EXPECT_EQ(pid_of(zombie), pids["child"]);
    EXPECT_EQ(zombie["parent_pid"].integer(), pids["parent"]);
}

TEST(AuditFixtures, ParentExitingWhileItsChildRunsLeavesOneOrphanThatIsKilled) {
    AuditRun run = audit({.command = {FIXTURE_EXITS_EARLY}});
    ASSERT_EQ(run.result.shell_status(), 1) << describe(run.result);
    auto pids = said(run.result.out);
    expect_counts(run.report, 0, 0, 1, 1);
    const json::Value& orphan = only(run.report["orphans"]);
    EXPECT_EQ(pid_of(orphan), pids["child"]);
    EXPECT_EQ(orphan["parent_pid"].integer(), pids["parent"]);
    EXPECT_EQ(pid_of(only(run.report["left_running"])), pids["child"]);
    const json::Value& child = process_entry(run.report, pids["child"]);
    EXPECT_TRUE(child["killed_by_audit"].flag());
    EXPECT_EQ(child["status"].integer(), 137);
    EXPECT_EQ(::kill(static_cast<pid_t>(pids["child"]), 0), -1) << "the orphan must be gone";
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
    const json::Value& top = process_entry(run.report, pids["parent"]);
    EXPECT_EQ(top["execs"].integer(), 2);
    EXPECT_EQ(top["argv"][1].str(), "after");
    EXPECT_NE(run.result.out.find("after exec\n"), std::string::npos);
}

}  // namespace
}  // namespace audit_test
