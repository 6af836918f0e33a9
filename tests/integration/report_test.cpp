// --report, --report-json and --pipefail, seen from outside: every figure of the report checked
// against a fact the test arranged (file sizes, CPU spun, memory touched, how each stage ended),
// the JSON read by a real parser and checked against docs/report.schema.json, and --pipefail
// against bash's `set -o pipefail`.
#include <nlohmann/json.hpp>

#include "bash_parity.hpp"
#include "hygiene.hpp"
#include "json_schema.hpp"

namespace hygiene {
namespace {

using nlohmann::json;

class Report : public Fixture {};

bool is_root() { return ::geteuid() == 0; }

// ---- Running pipex with a report ---------------------------------------------------------------

struct Reported {
    RunResult run;
    json report;  // null when pipex wrote none
};

// pipex --report-json DIR/report.json OPTIONS... ARGS..., in `dir`; the JSON checked against
// the schema.
Reported run_reported(const TempDir& dir, const std::vector<std::string>& options,
                      const std::vector<std::string>& args,
                      const std::function<void(int)>& on_started = {}) {
    RunSpec spec{.cwd = dir.path(), .timeout = kHangLimit, .on_started = on_started};
    spec.argv = {PIPEX_BIN, "--report-json", dir / "report.json"};
    spec.argv.insert(spec.argv.end(), options.begin(), options.end());
    spec.argv.insert(spec.argv.end(), args.begin(), args.end());
    Reported reported{testsupport::run(spec), nullptr};
    EXPECT_FALSE(reported.run.timed_out) << "pipex hung";
    if (!testsupport::file_exists(dir / "report.json")) return reported;
    reported.report = json::parse(testsupport::read_file(dir / "report.json"));
    SCOPED_TRACE(reported.report.dump(2));
    testsupport::expect_matches_schema(
        reported.report, testsupport::published_schema("report.schema.json"), "report");
    return reported;
}

// ---- Figures against facts ---------------------------------------------------------------------

// As root, the bytes come from each stage's /proc/PID/io: `cat` writes exactly what went through
// it, and reads it plus what its dynamic loader reads of its libraries (a few KiB). As anyone
// else the kernel keeps an ended process's counters from its user, and the report says so.
TEST_F(Report, BytesAreTheSizesThatWentThrough) {
    TempDir dir;
    const std::size_t size = 3 * 1024 * 1024 + 17;
    testsupport::write_file(dir / "in", std::string(size, 'x'));
    Reported reported = run_reported(dir, {}, {"in", "cat", "cat", "out"});
    ASSERT_EQ(reported.run.shell_status(), 0) << reported.run.err;
    ASSERT_EQ(reported.report["stages"].size(), 2u);
    for (const json& stage : reported.report["stages"]) {
        SCOPED_TRACE(stage.dump());
        if (!is_root()) {
            EXPECT_TRUE(stage["bytes_read"].is_null());
            EXPECT_NE(stage["bytes_unavailable"].get<std::string>().find("/io: "),
                      std::string::npos);
            continue;
        }
        EXPECT_EQ(stage["bytes_written"], size);
        EXPECT_GE(stage["bytes_read"].get<std::size_t>(), size);
        EXPECT_LT(stage["bytes_read"].get<std::size_t>(), size + 64 * 1024);
        EXPECT_TRUE(stage["bytes_unavailable"].is_null());
    }
}

// CPU and memory are the kernel's (wait4): a stage that spins 0.3 s of CPU and writes to 100 MiB
// shows both, and beats the stage beside it on each, which the report marks.
TEST_F(Report, CpuAndPeakMemoryAreTheStagesOwn) {
    TempDir dir;
    testsupport::write_file(dir / "in", "");
    const std::string spinner = std::string(SPIN_AND_TOUCH_BIN) + " 0.3 100";
    Reported reported = run_reported(dir, {}, {"in", "cat", spinner, "out"});
    ASSERT_EQ(reported.run.shell_status(), 0) << reported.run.err;
    const json& spin = reported.report["stages"][1];
    SCOPED_TRACE(spin.dump());
    EXPECT_GE(spin["user_cpu_us"].get<long>() + spin["system_cpu_us"].get<long>(), 250'000);
    EXPECT_GE(spin["peak_memory_kib"].get<long>(), 100 * 1024);
    EXPECT_GE(spin["wall_us"].get<long>(), 250'000);
    EXPECT_TRUE(spin["slowest"].get<bool>());
    EXPECT_TRUE(spin["most_memory"].get<bool>());
    EXPECT_FALSE(reported.report["stages"][0]["slowest"].get<bool>());
    EXPECT_LT(reported.report["stages"][0]["user_cpu_us"].get<long>(), 250'000);
}

TEST_F(Report, EachStageEndsAsItReallyEnded) {
    TempDir dir;
    testsupport::write_file(dir / "in", "");
    Reported reported = run_reported(
        dir, {},
        {"in", "sh -c 'kill -SEGV $$'", "sh -c 'exit 3'", "no-such-command", "true", "out"});
    EXPECT_EQ(reported.run.shell_status(), 0);
    const json& stages = reported.report["stages"];
    ASSERT_EQ(stages.size(), 4u);
    EXPECT_EQ(stages[0]["end"]["kind"], "signal");
    EXPECT_EQ(stages[0]["end"]["signal"], "SIGSEGV");
    EXPECT_EQ(stages[0]["status"], 139);
    EXPECT_EQ(stages[1]["end"]["kind"], "exit");
    EXPECT_EQ(stages[1]["end"]["exit_code"], 3);
    EXPECT_EQ(stages[2]["end"]["kind"], "not_started");
    EXPECT_EQ(stages[2]["status"], 127);
    EXPECT_EQ(stages[2]["error"], "no-such-command: command not found");
    EXPECT_TRUE(stages[2]["pid"].is_null());
    EXPECT_TRUE(stages[2]["wall_us"].is_null());
    EXPECT_EQ(stages[3]["end"]["exit_code"], 0);
    EXPECT_EQ(reported.report["status"], 0);
    for (const json& stage : stages) EXPECT_FALSE(stage["end"]["benign_sigpipe"].get<bool>());
}

// `yes | head -n 1`: yes dies of SIGPIPE because head has gone, the normal end of such a pipe.
// A stage that dies of SIGPIPE while its reader still runs is not benign, nor is the last
// stage's, whose reader pipex cannot know.
TEST_F(Report, SigpipeIsBenignOnlyWhenTheReaderHadEnded) {
    TempDir dir;
    testsupport::write_file(dir / "in", "");
    Reported benign = run_reported(dir, {}, {"in", "yes", "head -n 1", "out"});
    ASSERT_EQ(benign.report["stages"].size(), 2u);
    EXPECT_EQ(benign.report["stages"][0]["end"]["signal"], "SIGPIPE");
    EXPECT_TRUE(benign.report["stages"][0]["end"]["benign_sigpipe"].get<bool>());

    Reported real = run_reported(
        dir, {}, {"in", "sh -c 'kill -PIPE $$'", "sleep 1", "sh -c 'kill -PIPE $$'", "out"});
    const json& stages = real.report["stages"];
    ASSERT_EQ(stages.size(), 3u);
    EXPECT_EQ(stages[0]["end"]["signal"], "SIGPIPE");
    EXPECT_FALSE(stages[0]["end"]["benign_sigpipe"].get<bool>());
    EXPECT_EQ(stages[2]["end"]["signal"], "SIGPIPE");
    EXPECT_FALSE(stages[2]["end"]["benign_sigpipe"].get<bool>());
}

// The descendant containment ends appears in the report with the stage that started it (it
// holds that stage's OUTFILE as its stdout).
TEST_F(Report, DescendantsAppearWithTheirFate) {
    TempDir dir;
    testsupport::write_file(dir / "in", "");
    Reported reported =
        run_reported(dir, {"--kill-after=5s"}, {"in", "cat", "sh -c 'sleep 30 & cat'", "out"});
    const json& descendants = reported.report["descendants"];
    ASSERT_EQ(descendants.size(), 1u) << reported.run.err;
    EXPECT_EQ(descendants[0]["program"], "sleep");
    EXPECT_EQ(descendants[0]["stage"], 2);
    EXPECT_EQ(descendants[0]["fate"], "terminated");
}

// Interrupted, pipex still writes its report before it dies of the signal.
TEST_F(Report, AnInterruptedRunStillWritesIt) {
    TempDir dir;
    testsupport::write_file(dir / "in", "");
    Reported reported =
        run_reported(dir, {"--report"}, {"in", "sleep 30", "cat", "out"}, [](int pid) {
            std::this_thread::sleep_for(std::chrono::milliseconds(300));
            ::kill(pid, SIGTERM);
        });
    EXPECT_TRUE(reported.run.signaled());
    EXPECT_EQ(reported.run.term_signal(), SIGTERM);
    ASSERT_FALSE(reported.report.is_null()) << "no report written";
    EXPECT_EQ(reported.report["interrupted_by"], "SIGTERM");
    EXPECT_EQ(reported.report["stages"][0]["end"]["signal"], "SIGTERM");
    EXPECT_NE(reported.run.err.find("pipex: report: 2 stages in "), std::string::npos)
        << reported.run.err;
    EXPECT_NE(reported.run.err.find(", interrupted by SIGTERM"), std::string::npos)
        << reported.run.err;
}

// The table: a header, a row per stage with its command and end, the slowest marked (the last
// stage, which alone goes on after its input ended).
TEST_F(Report, TheTableHasARowPerStage) {
    TempDir dir;
    testsupport::write_file(dir / "in", "a\nb\n");
    RunSpec spec{
        .argv = {PIPEX_BIN, "--report", "in", "cat", "wc -l", "sh -c 'cat; sleep 0.3'", "out"},
        .cwd = dir.path(),
        .timeout = kHangLimit};
    RunResult run = testsupport::run(spec);
    ASSERT_EQ(run.shell_status(), 0) << run.err;
    std::vector<std::string> rows = parity::lines(run.err);
    ASSERT_GE(rows.size(), 5u) << run.err;
    EXPECT_EQ(rows[0].rfind("pipex: report: 3 stages in ", 0), 0u) << run.err;
    EXPECT_NE(rows[0].find(", status 0"), std::string::npos) << run.err;
    for (const char* heading :
         {"command", "pid", "end", "wall", "user", "system", "peak", "read", "written"})
        EXPECT_NE(rows[1].find(heading), std::string::npos) << rows[1];
    EXPECT_NE(rows[2].find("cat"), std::string::npos) << rows[2];
    EXPECT_NE(rows[3].find("wc -l"), std::string::npos) << rows[3];
    EXPECT_NE(rows[3].find("exit 0"), std::string::npos) << rows[3];
    EXPECT_NE(rows[4].find("sleep 0.3"), std::string::npos) << rows[4];
    EXPECT_NE(rows[4].find("slowest"), std::string::npos) << rows[4];
    EXPECT_EQ(testsupport::read_file(dir / "out"), "2\n");
}

// A report that cannot be written is said before anything runs.
TEST_F(Report, AnUnwritableJsonFileStopsTheRunBeforeItStarts) {
    TempDir dir;
    testsupport::write_file(dir / "in", "x\n");
    RunSpec spec{
        .argv = {PIPEX_BIN, "--report-json", "missing/report.json", "in", "cat", "cat", "out"},
        .cwd = dir.path(),
        .timeout = kHangLimit};
    RunResult run = testsupport::run(spec);
    EXPECT_EQ(run.shell_status(), 1);
    EXPECT_EQ(run.err, "pipex: missing/report.json: No such file or directory\n");
    EXPECT_FALSE(testsupport::file_exists(dir / "out"));
}

TEST_F(Report, ReportJsonNeedsAFile) {
    RunResult run = testsupport::run(RunSpec{.argv = {PIPEX_BIN, "--report-json"}});
    EXPECT_EQ(run.shell_status(), 1);
    EXPECT_EQ(parity::lines(run.err).at(0), "pipex: --report-json: a FILE is needed");
}

// The library's example prints the table and returns yes's SIGPIPE status under pipefail.
TEST(LibraryExample, ReportAccountsForEveryStage) {
    auto result = testsupport::run(RunSpec{.argv = {REPORT_EXAMPLE_BIN}});
    EXPECT_EQ(result.shell_status(), 141) << result.err;
    EXPECT_EQ(result.out, "3\n");
    EXPECT_NE(result.err.find("pipex: report: 3 stages in "), std::string::npos) << result.err;
    EXPECT_NE(result.err.find("SIGPIPE (benign)"), std::string::npos) << result.err;
}

// ---- --pipefail against bash -------------------------------------------------------------------

struct PipefailCase {
    const char* name;
    std::vector<std::string> commands;
    // bash adds a job report ("Terminated") for a pipeline whose status is a signal's; pipex
    // does not (bash_parity_test.cpp, LastStageKilledBySignal).
    bool bash_reports_job = false;
};

class Pipefail : public ::testing::TestWithParam<PipefailCase> {};

TEST_P(Pipefail, StatusIsBashs) {
    std::vector<std::string> args{"in"};
    args.insert(args.end(), GetParam().commands.begin(), GetParam().commands.end());
    args.push_back("out");
    parity::expect_same_as_bash({.args = args,
                                 .options = {"--pipefail"},
                                 .setup = parity::text_files({{"in", "one\ntwo\nthree\n"}}),
                                 .compare_stderr = !GetParam().bash_reports_job,
                                 .bash_prelude = "set -o pipefail; "});
}

INSTANTIATE_TEST_SUITE_P(
    AgainstBash, Pipefail,
    ::testing::Values(PipefailCase{"AllSucceed", {"cat", "sort", "wc -l"}},
                      PipefailCase{"FirstFails", {"sh -c 'cat; exit 3'", "cat", "wc -l"}},
                      PipefailCase{"MiddleFails", {"cat", "sh -c 'cat; exit 4'", "cat"}},
                      PipefailCase{"TwoFailTheLastCounts",
                                   {"sh -c 'exit 2'", "sh -c 'cat; exit 5'", "cat"}},
                      PipefailCase{"LastFails", {"cat", "sh -c 'cat >/dev/null; exit 6'"}},
                      PipefailCase{"KilledBySignal", {"sh -c 'kill -TERM $$'", "cat"}, true},
                      PipefailCase{"Sigpipe", {"yes", "head -n 1"}},
                      PipefailCase{"NotFound", {"no-such-command", "cat"}},
                      PipefailCase{"NotFoundLast", {"cat", "no-such-command"}},
                      PipefailCase{"FalseThenTrue", {"false", "true"}},
                      PipefailCase{"TrueThenFalse", {"true", "false"}},
                      PipefailCase{"GrepFindsNothing", {"grep nothing-like-this", "cat"}}),
    [](const ::testing::TestParamInfo<PipefailCase>& test) {
        return std::string(test.param.name);
    });

// INFILE missing: the first stage's redirection fails (status 1) and pipefail counts it.
TEST(PipefailFiles, AMissingInfileCounts) {
    parity::expect_same_as_bash({.args = {"missing", "cat", "cat", "out"},
                                 .options = {"--pipefail"},
                                 .bash_status = 1,
                                 .bash_prelude = "set -o pipefail; "});
}

}  // namespace
}  // namespace hygiene
