// The hang diagnosis: a tree that hangs because a pipe's end is held where it should not be is
// explained in one line per waiting process (who waits on which pipe, who holds the other end,
// whether it leaked there), after --hang-after or on a stop request, and then ended.
#include <dirent.h>
#include <signal.h>

#include <chrono>
#include <thread>

#include "audit_support.hpp"

namespace audit_test {
namespace {

// The classic hang: a background job started in a pipeline stage keeps the pipe's write end
// (on fd 3 here, a leak: its stdout goes to /dev/null), so `wc` never sees end-of-file.
const std::vector<std::string> kLeakedWriteEnd = {
    "sh", "-c", "{ /bin/sleep 30 3>&1 >/dev/null & echo hi; } | wc -c"};

// The same without the leak: the background job holds the write end as its own stdout.
const std::vector<std::string> kInheritedWriteEnd = {"sh", "-c",
                                                     "sh -c '/bin/sleep 30 & echo hi' | wc -c"};

bool process_exists(long long pid) { return ::kill(static_cast<pid_t>(pid), 0) == 0; }

const nlohmann::json& only_wait(const nlohmann::json& report, const char* moment) {
    const nlohmann::json& hangs = report.at("hangs");
    EXPECT_EQ(hangs.size(), 1u) << hangs.dump(2);
    EXPECT_EQ(hangs.at(0).at("moment"), moment);
    const nlohmann::json& waits = hangs.at(0).at("waits");
    EXPECT_EQ(waits.size(), 1u) << waits.dump(2);
    return waits.at(0);
}

TEST(AuditHang, HangAfterNamesWhoHoldsTheLeakedWriteEnd) {
    const auto start = std::chrono::steady_clock::now();
    AuditRun run = audit({.options = {"--hang-after", "2s"}, .command = kLeakedWriteEnd});
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(25))
        << "the hang was ended, not waited out";
    EXPECT_EQ(run.result.shell_status(), 1) << describe(run.result);
    EXPECT_EQ(run.report.at("hang_after_ms"), 2000);
    EXPECT_TRUE(run.report.at("hang_after_expired").get<bool>());
    EXPECT_FALSE(run.report.at("clean").get<bool>());

    const nlohmann::json& wait = only_wait(run.report, "hang_after");
    EXPECT_EQ(wait.at("program"), "/usr/bin/wc");
    EXPECT_EQ(wait.at("fd"), 0);
    EXPECT_EQ(wait.at("waits_for"), "end_of_file");
    ASSERT_EQ(wait.at("other_ends").size(), 1u) << wait.dump(2);
    const nlohmann::json& holder = wait.at("other_ends").at(0);
    EXPECT_EQ(holder.at("program"), "/usr/bin/sleep");
    EXPECT_EQ(holder.at("fd"), 3);
    EXPECT_TRUE(holder.at("leaked").get<bool>());
    EXPECT_FALSE(holder.at("own").get<bool>());
    EXPECT_FALSE(process_exists(pid_of(holder))) << "the hung tree is killed";

    const long long leaker = process_entry(run.report, pid_of(holder)).at("parent_pid");
    const std::string line =
        "  pid " + std::to_string(pid_of(wait)) + " (wc) waits for data or end-of-file on " +
        wait.at("pipe").get<std::string>() + " (its fd 0); its write end is held by pid " +
        std::to_string(pid_of(holder)) + " (sleep) fd 3, leaked to it by pid " +
        std::to_string(leaker) + " (sh)\n";
    EXPECT_NE(run.result.err.find("what the tree waited for, still running after --hang-after 2s "
                                  "(pipex-audit then killed the tree):\n" +
                                  line),
              std::string::npos)
        << run.result.err;
    EXPECT_NE(run.result.err.find(", still running after --hang-after 2s\n"), std::string::npos)
        << run.result.err;
}

TEST(AuditHang, AHolderThatDidNotLeakIsNamedWithoutBlame) {
    AuditRun run = audit({.options = {"--hang-after", "2s"}, .command = kInheritedWriteEnd});
    EXPECT_EQ(run.result.shell_status(), 1) << describe(run.result);
    const nlohmann::json& wait = only_wait(run.report, "hang_after");
    ASSERT_EQ(wait.at("other_ends").size(), 1u) << wait.dump(2);
    const nlohmann::json& holder = wait.at("other_ends").at(0);
    EXPECT_EQ(holder.at("program"), "/usr/bin/sleep");
    EXPECT_EQ(holder.at("fd"), 1);
    EXPECT_FALSE(holder.at("leaked").get<bool>());
    EXPECT_NE(run.result.err.find("its write end is held by pid " + std::to_string(pid_of(holder)) +
                                  " (sleep) fd 1\n"),
              std::string::npos)
        << run.result.err;
}

TEST(AuditHang, AWriterWaitsForAReaderThatDoesNotRead) {
    AuditRun run =
        audit({.options = {"--hang-after", "2s"}, .command = {"sh", "-c", "yes | /bin/sleep 30"}});
    EXPECT_EQ(run.result.shell_status(), 1) << describe(run.result);
    const nlohmann::json& wait = only_wait(run.report, "hang_after");
    EXPECT_EQ(wait.at("program"), "/usr/bin/yes");
    EXPECT_EQ(wait.at("fd"), 1);
    EXPECT_EQ(wait.at("waits_for"), "room");
    ASSERT_EQ(wait.at("other_ends").size(), 1u) << wait.dump(2);
    EXPECT_EQ(wait.at("other_ends").at(0).at("program"), "/usr/bin/sleep");
    EXPECT_EQ(wait.at("other_ends").at(0).at("fd"), 0);
    EXPECT_NE(run.result.err.find(" (yes) waits for room in pipe:["), std::string::npos)
        << run.result.err;
}

// Whether some process named `name` is blocked in read(2) on its fd 0.
bool blocked_reading_stdin(const std::string& name) {
    DIR* proc = ::opendir("/proc");
    if (proc == nullptr) return false;
    bool found = false;
    while (dirent* entry = ::readdir(proc)) {
        const std::string base = std::string("/proc/") + entry->d_name;
        if (!testsupport::file_exists(base + "/syscall")) continue;
        try {
            if (testsupport::read_file(base + "/comm") == name + "\n" &&
                testsupport::read_file(base + "/syscall").starts_with("0 0x0 "))
                found = true;
        } catch (...) {
            // gone meanwhile
        }
    }
    ::closedir(proc);
    return found;
}

TEST(AuditHang, AStopRequestGetsTheDiagnosisBeforeTheTreeEnds) {
    if (::geteuid() != 0) GTEST_SKIP() << "reading another process's /proc/PID/syscall needs root";
    AuditRun run =
        audit({.command = kLeakedWriteEnd, .on_started = [](int pid) {
                   const auto limit = std::chrono::steady_clock::now() + std::chrono::seconds(20);
                   while (!blocked_reading_stdin("wc") && std::chrono::steady_clock::now() < limit)
                       std::this_thread::sleep_for(std::chrono::milliseconds(20));
                   ::kill(pid, SIGTERM);
               }});
    EXPECT_EQ(run.report.at("received_signal"), "SIGTERM") << describe(run.result);
    EXPECT_TRUE(run.report.at("hang_after_ms").is_null());
    EXPECT_FALSE(run.report.at("hang_after_expired").get<bool>());
    // Taken when the signal came; the same waits seen again when COMMAND ended are not repeated.
    const nlohmann::json& wait = only_wait(run.report, "signal");
    EXPECT_EQ(run.report.at("hangs").at(0).at("signal"), "SIGTERM");
    EXPECT_EQ(wait.at("program"), "/usr/bin/wc");
    ASSERT_EQ(wait.at("other_ends").size(), 1u);
    EXPECT_TRUE(wait.at("other_ends").at(0).at("leaked").get<bool>());
    EXPECT_NE(run.result.err.find("what the tree waited for, when pipex-audit received SIGTERM:\n"),
              std::string::npos)
        << run.result.err;
}

TEST(AuditHang, ATreeThatEndsInTimeHasNothingToDiagnose) {
    AuditRun run =
        audit({.options = {"--hang-after=30s"}, .command = {"sh", "-c", "echo hi | wc -c"}});
    EXPECT_EQ(run.result.shell_status(), 0) << describe(run.result);
    EXPECT_EQ(run.report.at("hang_after_ms"), 30000);
    EXPECT_FALSE(run.report.at("hang_after_expired").get<bool>());
    EXPECT_TRUE(run.report.at("hangs").empty());
    EXPECT_EQ(run.result.err.find("what the tree waited for"), std::string::npos);
}

}  // namespace
}  // namespace audit_test
