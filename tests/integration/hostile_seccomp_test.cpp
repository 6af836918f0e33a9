// A seccomp profile that refuses close_range with EPERM (some container runtimes' answer to the
// calls they do not know): pipex runs the pipeline as it would anywhere, and every stage still
// starts with only fds 0, 1 and 2, with /proc to list the fds to close and without it.
#include "hostile.hpp"

namespace hostile {
namespace {

using hygiene::describe;
using hygiene::read_fd_report;

const std::set<int> kStdFds = {0, 1, 2};
constexpr std::string_view kUnavailable = "seccomp_no_close_range: unavailable: ";

enum class Proc { Mounted, Unmounted };

// pipex's arguments run under the filter (and, with Proc::Unmounted, without /proc), holding
// extra inherited fds that are not close-on-exec, one of them high.
RunResult run_refused(const std::vector<std::string>& args, Proc proc) {
    RunSpec spec;
    spec.argv = {SECCOMP_NO_CLOSE_RANGE_BIN};
    if (proc == Proc::Unmounted) spec.argv.push_back("--without-proc");
    spec.argv.push_back(PIPEX_BIN);
    spec.argv.insert(spec.argv.end(), args.begin(), args.end());
    spec.timeout = hygiene::kHangLimit;
    spec.in_child = [] {
        hygiene::raise_fd_limit(1024);
        for (int fd : {5, 6, 900}) hygiene::plant_fd(2, fd, /*cloexec=*/false);
    };
    return testsupport::run(spec);
}

bool unavailable(const RunResult& r) { return r.exited() && r.err.starts_with(kUnavailable); }

class CloseRangeRefused : public hygiene::Fixture, public ::testing::WithParamInterface<Proc> {
protected:
    void SetUp() override {
        hygiene::Fixture::SetUp();
#if defined(__SANITIZE_ADDRESS__)
        if (GetParam() == Proc::Unmounted)
            GTEST_SKIP() << "the sanitizer runtime of pipex and its stages reads /proc (its name, "
                            "LeakSanitizer's threads at exit)";
#endif
    }
};

TEST_P(CloseRangeRefused, PipelineRunsAsWithoutTheFilter) {
    TempDir dir;
    testsupport::write_file(dir / "in", "one\ntwo\nthree\n");
    const RunResult free_run = hygiene::run_pipex({dir / "in", "cat", "wc -l", dir / "free"});
    ASSERT_TRUE(free_run.exited() && free_run.exit_code() == 0) << describe(free_run);

    const RunResult r = run_refused({dir / "in", "cat", "wc -l", dir / "out"}, GetParam());
    if (unavailable(r)) GTEST_SKIP() << r.err;
    ASSERT_FALSE(r.timed_out) << describe(r);
    EXPECT_TRUE(r.exited() && r.exit_code() == 0) << describe(r);
    EXPECT_EQ(r.err, "");
    ASSERT_TRUE(testsupport::file_exists(dir / "out"));
    EXPECT_EQ(testsupport::read_file(dir / "out"), testsupport::read_file(dir / "free"));
}

TEST_P(CloseRangeRefused, StagesHoldOnlyTheirThreeFds) {
    TempDir dir;
    testsupport::write_file(dir / "in", "data\n");
    const std::vector<std::string> reports = {dir / "r1", dir / "r2", dir / "r3"};
    const RunResult r = run_refused(
        {dir / "in", hygiene::fd_report_stage(reports[0]), hygiene::fd_report_stage(reports[1]),
         hygiene::fd_report_stage(reports[2]), dir / "out"},
        GetParam());
    if (unavailable(r)) GTEST_SKIP() << r.err;
    ASSERT_FALSE(r.timed_out) << describe(r);
    EXPECT_TRUE(r.exited() && r.exit_code() == 0) << describe(r);
    EXPECT_EQ(testsupport::read_file(dir / "out"), "data\n");
    for (std::size_t k = 0; k < reports.size(); ++k) {
        ASSERT_TRUE(testsupport::file_exists(reports[k])) << "stage " << k + 1 << " never ran";
        EXPECT_EQ(read_fd_report(reports[k]), kStdFds)
            << "stage " << k + 1 << " started holding fds "
            << hygiene::to_string(read_fd_report(reports[k]));
    }
}

INSTANTIATE_TEST_SUITE_P(Proc, CloseRangeRefused, ::testing::Values(Proc::Mounted, Proc::Unmounted),
                         [](const ::testing::TestParamInfo<Proc>& proc) {
                             return proc.param == Proc::Mounted ? std::string("ProcMounted")
                                                                : std::string("WithoutProc");
                         });

}  // namespace
}  // namespace hostile
