// --provenance: where each leaked fd was born. Fixtures and shells with one planted defect each;
// the report must name the process and the system call that made the fd, whether O_CLOEXEC was
// missing at birth or cleared later, and the processes that passed it down.
#include <fcntl.h>

#include "audit_support.hpp"

namespace audit_test {
namespace {

const nlohmann::json& only(const nlohmann::json& list) {
    EXPECT_EQ(list.size(), 1u) << list.dump(2);
    return list.at(0);
}

AuditRun audit_with_provenance(std::vector<std::string> command) {
    AuditRun run = audit({.options = {"--provenance"}, .command = std::move(command)});
    EXPECT_TRUE(run.report.at("provenance").get<bool>()) << describe(run.result);
    EXPECT_TRUE(run.report.at("provenance_off").is_null());
    return run;
}

TEST(AuditProvenance, AFileOpenedWithoutCloexecIsTracedToItsOpen) {
    TempDir dir;
    testsupport::write_file(dir / "data", "x\n");
    AuditRun run = audit_with_provenance({FIXTURE_LEAK_FILE, dir / "data"});
    ASSERT_EQ(run.result.shell_status(), 1) << describe(run.result);
    auto pids = said(run.result.out);
    const nlohmann::json& leak = only(run.report.at("fd_leaks"));
    const nlohmann::json& origin = leak.at("origin");
    ASSERT_TRUE(origin.is_object()) << leak.dump(2);
    EXPECT_EQ(origin.at("pid"), pids.at("parent"));
    EXPECT_EQ(origin.at("program"), FIXTURE_LEAK_FILE);
    EXPECT_EQ(origin.at("call"), "openat");
    EXPECT_FALSE(origin.at("cloexec_at_creation").get<bool>());
    EXPECT_TRUE(origin.at("made_inheritable_by").is_null());
    EXPECT_TRUE(origin.at("passed_through").empty());
    EXPECT_NE(run.result.err.find("      created without O_CLOEXEC by openat in pid " +
                                  std::to_string(pids.at("parent")) + " (leak_file)\n"),
              std::string::npos)
        << run.result.err;
    EXPECT_TRUE(run.report.at("late_cloexec").empty());
}

TEST(AuditProvenance, CloexecClearedLaterIsTheOtherBug) {
    TempDir dir;
    testsupport::write_file(dir / "data", "x\n");
    AuditRun run = audit_with_provenance({FIXTURE_LEAK_FILE, dir / "data", "later"});
    ASSERT_EQ(run.result.shell_status(), 1) << describe(run.result);
    auto pids = said(run.result.out);
    const nlohmann::json& leak = only(run.report.at("fd_leaks"));
    EXPECT_EQ(pid_of(leak), pids.at("child"));
    const nlohmann::json& origin = leak.at("origin");
    ASSERT_TRUE(origin.is_object()) << leak.dump(2);
    EXPECT_EQ(origin.at("pid"), pids.at("parent"));
    EXPECT_TRUE(origin.at("cloexec_at_creation").get<bool>());
    // An open with O_CLOEXEC runs unstopped (it cannot leak by itself): the bug is the fcntl.
    EXPECT_TRUE(origin.at("call").is_null()) << origin.dump(2);
    EXPECT_EQ(origin.at("made_inheritable_by"), "fcntl(F_SETFD)");
    EXPECT_NE(run.result.err.find("      created with O_CLOEXEC, then made inheritable by "
                                  "fcntl(F_SETFD) in pid " +
                                  std::to_string(pids.at("parent")) + " (leak_file)\n"),
              std::string::npos)
        << run.result.err;
}

TEST(AuditProvenance, CloexecSetAfterThePipeIsARaceNotALeak) {
    AuditRun run = audit_with_provenance({FIXTURE_CLOEXEC_LATE});
    EXPECT_EQ(run.result.shell_status(), 0)
        << "a race is reported, not counted: " << describe(run.result);
    EXPECT_EQ(count(run.report, "fd_leaks"), 0);
    auto pids = said(run.result.out);
    const nlohmann::json& races = run.report.at("late_cloexec");
    ASSERT_EQ(races.size(), 2u) << races.dump(2);
    for (const nlohmann::json& race : races) {
        EXPECT_EQ(pid_of(race), pids.at("parent"));
        // glibc's pipe() is the kernel's pipe2 with no flags, on most architectures.
        EXPECT_TRUE(race.at("created_by") == "pipe" || race.at("created_by") == "pipe2")
            << race.dump();
        EXPECT_EQ(race.at("set_by"), "fcntl(F_SETFD)");
    }
    EXPECT_EQ(races[0].at("fd"), pids.at("read"));
    EXPECT_EQ(races[1].at("fd"), pids.at("write"));
    EXPECT_NE(run.result.err.find("close-on-exec set late (a race, not counted) (2):\n"),
              std::string::npos)
        << run.result.err;
}

TEST(AuditProvenance, AnFdPassedDownThreeGenerationsNamesEveryOne) {
    TempDir dir;
    testsupport::write_file(dir / "data", "x\n");
    AuditRun run = audit_with_provenance(
        {"sh", "-c", "exec 7<\"$1\"; sh -c 'sh -c /bin/true; :'; :", "sh", dir / "data"});
    ASSERT_EQ(run.result.shell_status(), 1) << describe(run.result);
    const nlohmann::json& leaks = run.report.at("fd_leaks");
    ASSERT_EQ(leaks.size(), 3u) << leaks.dump(2);  // the two shells and true
    const long long top = pid_of(run.report.at("processes")[0]);
    const nlohmann::json& last = leaks[2];
    EXPECT_EQ(last.at("program"), "/usr/bin/true");
    const nlohmann::json& origin = last.at("origin");
    ASSERT_TRUE(origin.is_object()) << last.dump(2);
    EXPECT_EQ(origin.at("pid"), top) << "born in the first shell";
    EXPECT_FALSE(origin.at("cloexec_at_creation").get<bool>());
    if (origin.at("call") == "dup2" || origin.at("call") == "fcntl(F_DUPFD)") {
        // The shell opened the file on a free fd, then moved it to 7.
        EXPECT_TRUE(origin.at("copy_of_fd").is_number()) << origin.dump(2);
        EXPECT_EQ(origin.at("copy_of_call"), "openat") << origin.dump(2);
    }
    ASSERT_EQ(origin.at("passed_through").size(), 2u) << origin.dump(2);
    EXPECT_EQ(origin.at("passed_through")[0], pid_of(leaks[0]));
    EXPECT_EQ(origin.at("passed_through")[1], pid_of(leaks[1]));
    EXPECT_NE(run.result.err.find("passed down through pid " + std::to_string(pid_of(leaks[0])) +
                                  " (sh), pid " + std::to_string(pid_of(leaks[1])) + " (sh)\n"),
              std::string::npos)
        << run.result.err;
}

TEST(AuditProvenance, AnFdTheCallerGaveHasNoBirthInTheTree) {
    AuditRun run =
        audit({.options = {"--provenance"}, .command = {"sh", "-c", "/bin/true; :"}, .plant = [] {
                   plant_fd("/dev/null", O_RDONLY, 6);
               }});
    ASSERT_EQ(run.result.shell_status(), 1) << describe(run.result);
    const nlohmann::json& leak = only(run.report.at("fd_leaks"));
    EXPECT_TRUE(leak.at("origin").is_null());
    EXPECT_EQ(leak.at("origin_unknown"),
              "it was open when COMMAND started: pipex-audit's caller gave it");
}

TEST(AuditProvenance, WithoutTheOptionNothingIsStopped) {
    TempDir dir;
    testsupport::write_file(dir / "data", "x\n");
    AuditRun run = audit({.command = {FIXTURE_LEAK_FILE, dir / "data"}});
    EXPECT_FALSE(run.report.at("provenance").get<bool>());
    EXPECT_TRUE(only(run.report.at("fd_leaks")).at("origin").is_null());
    EXPECT_TRUE(only(run.report.at("fd_leaks")).at("origin_unknown").is_null());
    EXPECT_EQ(run.result.err.find("created "), std::string::npos) << run.result.err;
}

TEST(AuditProvenance, TheTracedProgramsRunUnchanged) {
    // The filter stops only fd system calls; a pipeline's output and statuses are unchanged.
    TempDir dir;
    testsupport::write_file(dir / "in", "b\na\nb\n");
    AuditRun run =
        audit_with_provenance({"sh", "-c", "sort \"$1\" | uniq -c | sort -rn > \"$2\"; exit 3",
                               "sh", dir / "in", dir / "out"});
    EXPECT_EQ(run.result.shell_status(), 0) << describe(run.result);
    EXPECT_EQ(run.report.at("status"), 3);
    EXPECT_EQ(testsupport::read_file(dir / "out"), "      2 b\n      1 a\n");
}

}  // namespace
}  // namespace audit_test
