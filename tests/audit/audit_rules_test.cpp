// pipex-audit as a CI gate: allow rules by fd, kind, path and program, allow files, the report
// in a file, findings grouped on big trees, and counts in the right number.
#include <fcntl.h>

#include "audit_support.hpp"

namespace audit_test {
namespace {

// A shell that opens DIR/data on fd 7 without close-on-exec, then runs `true` and `cat`: both
// receive it, one leak each, one fd. (The last command is a builtin, so that no shell execs a
// program in its own process.)
std::vector<std::string> leaking_shell(const TempDir& dir) {
    return {"sh", "-c", "exec 7<\"$1\"; /bin/true; cat </dev/null; :", "sh", dir / "data"};
}

struct Counts {
    long long leaks, allowed;
};

Counts counts_with(const std::vector<std::string>& options, const TempDir& dir) {
    AuditRun run = audit({.options = options, .command = leaking_shell(dir)});
    EXPECT_EQ(run.result.shell_status(), count(run.report, "fd_leaks") > 0 ? 1 : 0)
        << describe(run.result);
    return {count(run.report, "fd_leaks"), count(run.report, "allowed_leaks")};
}

class AuditRules : public ::testing::Test {
protected:
    void SetUp() override { testsupport::write_file(dir / "data", "x\n"); }
    TempDir dir;
};

TEST_F(AuditRules, EachConditionNarrowsWhatIsAllowed) {
    const Counts none = counts_with({}, dir);
    ASSERT_EQ(none.leaks, 2);
    EXPECT_EQ(none.allowed, 0);
    struct Case {
        std::vector<std::string> options;
        long long leaks;  // of the two; the others are allowed
    };
    const std::vector<Case> cases = {
        {{"--allow", "7"}, 0},
        {{"--allow", "fd=7"}, 0},
        {{"--allow", "fd=8"}, 2},
        {{"--allow", "kind=file"}, 0},
        {{"--allow", "kind=pipe"}, 2},
        {{"--allow", "path=*/data"}, 0},
        {{"--allow", "path=/etc/*"}, 2},
        {{"--allow", "program=cat"}, 1},
        {{"--allow", "program=/usr/bin/c*"}, 1},
        {{"--allow", "program=/bin/cat"}, 2},  // a path glob matches the program's real path
        {{"--allow", "fd=7 program=true"}, 1},
        {{"--allow", "fd=8 program=true"}, 2},
        {{"--allow", "program=true", "--allow", "program=cat"}, 0},
        {{"--allow=kind=file  path=*/data"}, 0},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(testing::PrintToString(c.options));
        const Counts got = counts_with(c.options, dir);
        EXPECT_EQ(got.leaks, c.leaks);
        EXPECT_EQ(got.allowed, 2 - c.leaks);
    }
}

TEST_F(AuditRules, AnAllowedLeakIsShownWithItsRuleAndNotCounted) {
    AuditRun run = audit({.options = {"--allow", "program=cat"}, .command = leaking_shell(dir)});
    EXPECT_EQ(run.result.shell_status(), 1) << describe(run.result);
    ASSERT_EQ(count(run.report, "fd_leaks"), 1);
    EXPECT_EQ(run.report.at("fd_leaks")[0].at("program"), "/usr/bin/true");
    ASSERT_EQ(count(run.report, "allowed_leaks"), 1);
    const nlohmann::json& allowed = run.report.at("allowed_leaks")[0];
    EXPECT_EQ(allowed.at("program"), "/usr/bin/cat");
    EXPECT_EQ(allowed.at("allowed_by"), 0);
    const nlohmann::json& rule = run.report.at("allow_rules")[0];
    EXPECT_EQ(rule.at("rule"), "program=cat");
    EXPECT_EQ(rule.at("program"), "cat");
    EXPECT_TRUE(rule.at("fd").is_null());
    const std::string& err = run.result.err;
    EXPECT_NE(err.find("fds passed on purpose (allowed, not counted) (1):\n  pid " +
                       std::to_string(pid_of(allowed)) + " (cat, /usr/bin/cat)"),
              std::string::npos)
        << err;
    EXPECT_NE(err.find(" (file, read), allowed by 'program=cat' (--allow)\n"), std::string::npos)
        << err;
    EXPECT_NE(err.find(": 1 fd leak, 0 zombies, 0 orphans (1 fd allowed)\n"), std::string::npos)
        << err;
}

TEST_F(AuditRules, AnAllowFileHoldsOneRuleALine) {
    testsupport::write_file(dir / "rules",
                            "# the jobserver of our build\n"
                            "\n"
                            "   program=true fd=7\n"
                            "program=cat\r\n");
    AuditRun run =
        audit({.options = {"--allow-file", dir / "rules"}, .command = leaking_shell(dir)});
    EXPECT_EQ(run.result.shell_status(), 0) << describe(run.result);
    EXPECT_EQ(count(run.report, "allowed_leaks"), 2);
    const nlohmann::json& rules = run.report.at("allow_rules");
    ASSERT_EQ(rules.size(), 2u);
    EXPECT_EQ(rules[0].at("origin"), dir / "rules:3");
    EXPECT_EQ(rules[0].at("rule"), "program=true fd=7");
    EXPECT_EQ(rules[1].at("origin"), dir / "rules:4");
    EXPECT_EQ(rules[1].at("program"), "cat") << "the line's \\r is not part of the rule";
}

TEST_F(AuditRules, AWrongRuleStopsTheAuditNamingWhereItIs) {
    testsupport::write_file(dir / "rules", "fd=3\nkind=fifo\n");
    const std::string marker = dir / "ran";
    AuditRun run = audit({.options = {"--allow-file", dir / "rules"},
                          .command = {"touch", marker},
                          .with_json = false});
    EXPECT_EQ(run.result.shell_status(), 2);
    EXPECT_TRUE(run.result.err.starts_with(
        "pipex-audit: --allow-file: " + dir / "rules" +
        ":2: unknown kind 'fifo' (pipe, socket, anonymous-inode, memfd, device, file, other)\n"))
        << run.result.err;
    EXPECT_FALSE(testsupport::file_exists(marker));

    AuditRun missing = audit({.options = {"--allow-file", dir / "none"},
                              .command = {"touch", marker},
                              .with_json = false});
    EXPECT_EQ(missing.result.shell_status(), 2);
    EXPECT_TRUE(missing.result.err.starts_with("pipex-audit: --allow-file: " + dir / "none" +
                                               ": No such file or directory\n"))
        << missing.result.err;
    EXPECT_FALSE(testsupport::file_exists(marker));
}

TEST_F(AuditRules, TheReportCanGoToAFile) {
    AuditRun run =
        audit({.options = {"--report", dir / "report.txt"}, .command = leaking_shell(dir)});
    EXPECT_EQ(run.result.shell_status(), 1) << describe(run.result);
    EXPECT_EQ(run.result.err,
              "pipex-audit: 3 processes, 3 execs: 2 fd leaks, 0 zombies, 0 orphans\n")
        << "stderr keeps the verdict";
    const std::string report = testsupport::read_file(dir / "report.txt");
    EXPECT_TRUE(report.starts_with("pipex-audit: sh -c ")) << report;
    EXPECT_NE(report.find("fd leaks (2, 1 finding):\n  fd 7 -> " + dir / "data" +
                          " (file, read), received by 2 processes:\n"),
              std::string::npos)
        << report;
    EXPECT_TRUE(report.ends_with(run.result.err)) << report;
    AuditRun short_option = audit({.options = {"-o", dir / "short.txt"}, .command = {"true"}});
    EXPECT_EQ(short_option.result.shell_status(), 0);
    EXPECT_NE(testsupport::read_file(dir / "short.txt").find("fd leaks (0): none\n"),
              std::string::npos);
}

TEST_F(AuditRules, AnFdLeakedToManyProcessesIsOneFindingWithItsReceivers) {
    constexpr int kChildren = 14;
    AuditRun run = audit({.command = {"sh", "-c",
                                      "exec 7<\"$1\"; i=0; while [ $i -lt 14 ]; do "
                                      "/bin/true; i=$((i+1)); done",
                                      "sh", dir / "data"}});
    EXPECT_EQ(run.result.shell_status(), 1) << describe(run.result);
    ASSERT_EQ(count(run.report, "fd_leaks"), kChildren);
    EXPECT_EQ(count(run.report, "fd_leak_findings"), 1);
    for (const nlohmann::json& leak : run.report.at("fd_leaks")) EXPECT_EQ(leak.at("group"), 0);
    const std::string& err = run.result.err;
    EXPECT_NE(err.find("fd leaks (14, 1 finding):\n  fd 7 -> " + dir / "data" +
                       " (file, read), received by 14 processes:\n"),
              std::string::npos)
        << err;
    // The first ten receivers named, one line each, then the count of the others.
    const nlohmann::json& leaks = run.report.at("fd_leaks");
    EXPECT_NE(err.find("    pid " + std::to_string(pid_of(leaks[9])) + " (true, /usr/bin/true)"),
              std::string::npos);
    EXPECT_EQ(err.find("    pid " + std::to_string(pid_of(leaks[10]))), std::string::npos);
    EXPECT_NE(err.find("    and 4 others (the JSON report lists every one)\n"), std::string::npos)
        << err;
}

TEST_F(AuditRules, DifferentFdsAreDifferentFindings) {
    AuditRun run = audit({.command = {"sh", "-c", "exec 7<\"$1\" 8<\"$1\"; /bin/true; /bin/true",
                                      "sh", dir / "data"}});
    ASSERT_EQ(count(run.report, "fd_leaks"), 4) << describe(run.result);
    EXPECT_EQ(count(run.report, "fd_leak_findings"), 2);
    EXPECT_NE(run.result.err.find("fd leaks (4, 2 findings):\n"), std::string::npos)
        << run.result.err;
}

TEST_F(AuditRules, APipesEndsAreShownOnceWhateverTheFdsItLeaksOn) {
    // `true` gets the pipe's write end on fds 1, 3 and 4: two leaks of one pipe.
    AuditRun run = audit({.command = {"sh", "-c", "/bin/true 3>&1 4>&1 | cat; :"}});
    ASSERT_EQ(count(run.report, "fd_leaks"), 2) << describe(run.result);
    EXPECT_EQ(count(run.report, "fd_leak_findings"), 2);
    const std::string& err = run.result.err;
    const std::string ends = "      ends of pipe:[";
    ASSERT_NE(err.find(ends), std::string::npos) << err;
    EXPECT_EQ(err.find(ends, err.find(ends) + 1), std::string::npos) << err;
}

}  // namespace
}  // namespace audit_test
