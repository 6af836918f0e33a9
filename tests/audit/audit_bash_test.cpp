// bash, audited: started with an fd it inherited, bash passes it to every stage of a pipeline.
// pipex-audit must report exactly that, once per stage, and nothing else. This is the real
// finding the README shows.
#include <fcntl.h>

#include "audit_support.hpp"

namespace audit_test {
namespace {

constexpr int kInheritedFd = 5;

TEST(AuditBash, PassesAnInheritedFdToBothStagesOfAPipeline) {
    TempDir dir;
    testsupport::write_file(dir / "f", "one\ntwo\n");
    const std::string extra = dir / "extra";
    AuditRun run = audit({.command = {"bash", "-c", "< f cat | cat > g"}, .plant = [&] {
                              plant_fd(extra, O_WRONLY | O_CREAT | O_TRUNC, kInheritedFd);
                              if (::chdir(dir.path().c_str()) != 0) _exit(122);
                          }});
    ASSERT_EQ(run.result.shell_status(), 1) << describe(run.result);
    EXPECT_EQ(testsupport::read_file(dir / "g"), "one\ntwo\n")
        << "the pipeline itself is unchanged";

    EXPECT_EQ(count(run.report, "processes"), 3);
    EXPECT_EQ(count(run.report, "execs"), 3);
    EXPECT_EQ(count(run.report, "zombies"), 0);
    EXPECT_EQ(count(run.report, "orphans"), 0);
    ASSERT_EQ(count(run.report, "fd_leaks"), 2) << run.result.err;

    const long long bash_pid = pid_of(run.report.at("processes")[0]);
    const nlohmann::json& leaks = run.report.at("fd_leaks");
    EXPECT_NE(pid_of(leaks[0]), pid_of(leaks[1])) << "one leak in each stage";
    for (std::size_t i = 0; i < leaks.size(); ++i) {
        EXPECT_EQ(leaks[i].at("program").get<std::string>(), "/usr/bin/cat");
        EXPECT_EQ(leaks[i].at("parent_pid").get<long long>(), bash_pid);
        EXPECT_EQ(leaks[i].at("fd").get<long long>(), kInheritedFd);
        EXPECT_EQ(leaks[i].at("target").get<std::string>(), extra);
        EXPECT_EQ(leaks[i].at("access").get<std::string>(), "write");
    }
    // bash received it from the caller: shown, not counted.
    const nlohmann::json& given = run.report.at("caller_fds");
    ASSERT_EQ(given.size(), 1u);
    EXPECT_EQ(given[0].at("fd").get<long long>(), kInheritedFd);
    EXPECT_NE(run.result.err.find("3 processes, 3 execs: 2 fd leaks, 0 zombies, 0 orphans"),
              std::string::npos);
    // One fd handed to both stages is one finding with two receivers.
    EXPECT_EQ(count(run.report, "fd_leak_findings"), 1);
    EXPECT_EQ(leaks[0].at("group"), 0);
    EXPECT_EQ(leaks[1].at("group"), 0);
    EXPECT_NE(run.result.err.find("fd leaks (2, 1 finding):\n  fd 5 -> " + extra +
                                  " (file, write), received by 2 processes:\n    pid "),
              std::string::npos)
        << run.result.err;
}

TEST(AuditBash, WithoutAnInheritedFdBashIsClean) {
    TempDir dir;
    testsupport::write_file(dir / "f", "one\n");
    AuditRun run = audit({.command = {"bash", "-c", "< f cat | cat > g"}, .plant = [&] {
                              if (::chdir(dir.path().c_str()) != 0) _exit(122);
                          }});
    ASSERT_EQ(run.result.shell_status(), 0) << describe(run.result);
    EXPECT_TRUE(run.report.at("clean").get<bool>());
    EXPECT_EQ(testsupport::read_file(dir / "g"), "one\n");
}

}  // namespace
}  // namespace audit_test
