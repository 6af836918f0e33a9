// Out of processes: pipex retries briefly, then fails the whole pipeline cleanly.
#include <sys/resource.h>

#include "hygiene.hpp"

namespace {

using hygiene::describe;
using testsupport::RunResult;
using testsupport::RunSpec;
using testsupport::TempDir;

class ResourceLimits : public hygiene::Fixture {};

// RLIMIT_NPROC counts every process of a user, so this runs as a uid of its own that no other
// test uses (tests run in parallel, several as nobody). With a limit of 3, pipex itself and two
// stages fit and the third cannot be created. The two `sleep 30` already running must be stopped
// and reaped, not left behind.
constexpr const char* kUidOfItsOwn = "54321";

TEST_F(ResourceLimits, OutOfProcessesStopsThePipelineAndReapsWhatStarted) {
    // A user of its own, so that the process limit counts pipex's processes only.
    if (!testsupport::can_run_as_nobody())
        GTEST_SKIP() << "the process limit is tried as a user of its own, and switching to it "
                        "needs root";
    TempDir dir;
    testsupport::write_file(dir / "in", "");
    RunSpec spec;
    spec.cwd = dir.path();
    spec.timeout = hygiene::kHangLimit;
    spec.in_child = [] {
        rlimit three{3, 3};
        setrlimit(RLIMIT_NPROC, &three);
    };
    spec.argv = {"setpriv",
                 std::string("--reuid=") + kUidOfItsOwn,
                 std::string("--regid=") + kUidOfItsOwn,
                 "--clear-groups",
                 "--",
                 PIPEX_BIN,
                 "in",
                 "sleep 30",
                 "sleep 30",
                 "sleep 30",
                 "sleep 30",
                 "out"};
    RunResult r = testsupport::run(spec);
    ASSERT_FALSE(r.timed_out) << describe(r);
    EXPECT_TRUE(r.exited() && r.exit_code() != 0) << describe(r);
    EXPECT_EQ(r.err, "pipex: fork: Resource temporarily unavailable\n");
}

}  // namespace

namespace {

std::size_t count_lines_containing(const std::string& text, const std::string& what) {
    std::size_t count = 0;
    for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1))
        ++count;
    return count;
}

// Hundreds of inherited fds, up to a high number, reach no stage, and must not make each spawn
// loop over every possible fd: a child closes them all with one close_range call. strace shows
// the calls the children make; fdreport stages show what they hold.
TEST_F(ResourceLimits, ChildrenDropInheritedFdsWithOneCallWhateverTheirNumbers) {
    TempDir dir;
    testsupport::write_file(dir / "in", "data\n");
    RunSpec spec;
    spec.cwd = dir.path();
    spec.timeout = hygiene::kHangLimit;
    spec.in_child = [] {
        setenv("ASAN_OPTIONS", "detect_leaks=0", 1);  // LeakSanitizer cannot run under ptrace
        hygiene::raise_fd_limit(20000);
        for (int fd = 3; fd < 400; ++fd) hygiene::plant_fd(2, fd, /*cloexec=*/fd % 2 == 0);
        for (int fd : {4000, 19999}) hygiene::plant_fd(2, fd, /*cloexec=*/false);
    };
    spec.argv = {"strace",
                 "-f",
                 "-qq",
                 "-e",
                 "trace=close,close_range",
                 "-o",
                 dir / "trace",
                 PIPEX_BIN,
                 "in",
                 hygiene::fd_report_stage(dir / "r1"),
                 hygiene::fd_report_stage(dir / "r2"),
                 hygiene::fd_report_stage(dir / "r3"),
                 "out"};
    RunResult r = testsupport::run(spec);
    ASSERT_TRUE(r.exited() && r.exit_code() == 0) << describe(r);
    EXPECT_EQ(testsupport::read_file(dir / "out"), "data\n");
    for (const char* report : {"r1", "r2", "r3"})
        EXPECT_EQ(hygiene::read_fd_report(dir / report), (std::set<int>{0, 1, 2})) << report;
    const std::string trace = testsupport::read_file(dir / "trace");
    EXPECT_EQ(count_lines_containing(trace, "close_range(3, "), 3u) << "one per stage:\n" << trace;
    EXPECT_LT(count_lines_containing(trace, " close("), 1000u) << "closes fd by fd";
}

}  // namespace
