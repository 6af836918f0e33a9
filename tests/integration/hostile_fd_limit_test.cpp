// Hostile environments: pipex started with very few fds allowed (RLIMIT_NOFILE), and pipelines of
// a thousand stages. pipex must either run the pipeline correctly or say `pipex: WHAT: Too many
// open files` and fail; never crash, hang or leave a process behind. However long the pipeline,
// it needs only a few fds at a time.
#include <set>

#include "hostile.hpp"

namespace hostile {
namespace {

enum class Form { File, HereDoc };

struct LimitCase {
    Form form;
    rlim_t limit;  // soft RLIMIT_NOFILE of pipex (and so of its stages)
    int stages;
};

std::string case_name(const LimitCase& c) {
    return std::string(c.form == Form::File ? "File" : "HereDoc") + "Limit" +
           std::to_string(c.limit) + "Stages" + std::to_string(c.stages);
}
void PrintTo(const LimitCase& c, std::ostream* os) { *os << case_name(c); }

std::vector<std::string> cat_pipeline(Form form, int stages, const std::string& limiter = "END") {
    std::vector<std::string> args = form == Form::File
                                        ? std::vector<std::string>{"in"}
                                        : std::vector<std::string>{"here_doc", limiter};
    for (int i = 0; i < stages; ++i) args.push_back(i % 2 ? "cat" : "/bin/cat");
    args.push_back("out");
    return args;
}

class HostileFdLimit : public hygiene::Fixture, public testing::WithParamInterface<LimitCase> {};

TEST_P(HostileFdLimit, RunsOrFailsWithOneClearErrorAndLeavesNothing) {
    const LimitCase& c = GetParam();
    TempDir dir;
    const std::string text = hygiene::sample_text(5000);  // more than a pipe holds
    testsupport::write_file(dir / "in", text);
    const rlim_t limit = c.limit;
    RunSpec spec{.stdin_data = c.form == Form::HereDoc ? text + "END\n" : "",
                 .cwd = dir.path(),
                 .in_child = [limit] {
                     only_std_fds_survive_exec();
                     hygiene::no_core_dumps();
                     limit_open_files(limit);
                 }};
    const RunResult r = hygiene::run_pipex(cat_pipeline(c.form, c.stages), spec);

    ASSERT_FALSE(r.timed_out) << "pipex hung: " << hygiene::describe(r);
    if (sanitizer_starved_of_fds(r)) {
        hygiene::kill_and_reap_children();
        GTEST_SKIP() << "the sanitizer runtime itself ran out of fds: " << r.err;
    }
    ASSERT_TRUE(r.exited()) << "pipex crashed: " << hygiene::describe(r);
    EXPECT_EQ(r.out, "");
    const std::vector<std::string> lines = parity::lines(r.err);
    if (r.exit_code() == 0) {
        EXPECT_EQ(r.err, "") << "a successful run printed errors";
        ASSERT_TRUE(testsupport::file_exists(dir / "out"));
        EXPECT_TRUE(testsupport::read_file(dir / "out") == text)
            << "pipex said it succeeded but OUTFILE does not hold the input";
    } else {
        EXPECT_FALSE(lines.empty())
            << "pipex failed (" << hygiene::describe(r) << ") without saying why";
        for (const std::string& line : lines)
            EXPECT_TRUE(is_emfile_line(line))
                << "not a `pipex: WHAT: Too many open files` line: \"" << printable(line) << "\"";
        // One line per thing that could not be opened, never one per stage.
        EXPECT_EQ(std::set<std::string>(lines.begin(), lines.end()).size(), lines.size())
            << "the same error repeated: " << r.err;
        EXPECT_LE(lines.size(), 2u) << r.err;
    }
    // With 4 fds, 3 are the std ones: no room for a pipe (2 fds), so only a one-stage here-doc
    // can run (from a memfd; its stage opens OUTFILE once it holds nothing but fds 0-2).
    if (c.limit <= 4 && !(c.form == Form::HereDoc && c.stages == 1)) {
        EXPECT_NE(r.exit_code(), 0) << "ran with only one fd to spare?";
    }
    // With 5 or more there is room for a pipe: whatever fails is one thing, said once.
    if (c.limit >= 5 && r.exit_code() != 0) {
        EXPECT_EQ(lines.size(), 1u) << r.err;
    }
    hygiene::expect_nothing_left("after pipex ran under RLIMIT_NOFILE " + std::to_string(c.limit));
}

std::vector<LimitCase> limit_cases() {
    std::vector<LimitCase> cases;
    for (rlim_t limit = 4; limit <= 8; ++limit) {
        for (int stages : {2, 3, 5, 40}) cases.push_back({Form::File, limit, stages});
        for (int stages : {1, 2, 3, 5, 40}) cases.push_back({Form::HereDoc, limit, stages});
    }
    return cases;
}

INSTANTIATE_TEST_SUITE_P(Hostile, HostileFdLimit, testing::ValuesIn(limit_cases()),
                         [](const testing::TestParamInfo<LimitCase>& p) {
                             return case_name(p.param);
                         });

// ---------------------------------------------------------------------------------------------
// A thousand stages

class HostileThousandStages : public hygiene::Fixture {
protected:
    // Runs 1000 cat stages (one of them fdreport) on more than a pipe holds, with RLIMIT_NOFILE
    // at `limit` (0: as inherited), and checks that everything arrived and the fdreport stage
    // held only fds 0, 1 and 2.
    void run_thousand(Form form, rlim_t limit) {
        TempDir dir;
        const std::string text = hygiene::sample_text(3000);
        testsupport::write_file(dir / "in", text);
        std::vector<std::string> args = cat_pipeline(form, 1000);
        const std::size_t first = form == Form::File ? 1 : 2;
        args[first + 500] = hygiene::fd_report_stage(dir / "report");
        RunSpec spec{.stdin_data = form == Form::HereDoc ? text + "END\n" : "",
                     .cwd = dir.path(),
                     .in_child = [limit] {
                         only_std_fds_survive_exec();
                         if (limit) limit_open_files(limit);
                     }};
        const RunResult r = hygiene::run_pipex(args, spec);
        ASSERT_FALSE(r.timed_out) << hygiene::describe(r);
        EXPECT_TRUE(r.exited() && r.exit_code() == 0) << hygiene::describe(r);
        EXPECT_EQ(r.err, "");
        ASSERT_TRUE(testsupport::file_exists(dir / "out"));
        const std::string got = testsupport::read_file(dir / "out");
        EXPECT_TRUE(got == text) << "OUTFILE after 1000 stages: " << got.size() << " bytes, "
                                 << text.size() << " expected";
        EXPECT_EQ(hygiene::read_fd_report(dir / "report"), (std::set<int>{0, 1, 2}))
            << "stage 501 of 1000 held "
            << hygiene::to_string(hygiene::read_fd_report(dir / "report"));
        hygiene::expect_nothing_left("after 1000 stages");
    }
};

TEST_F(HostileThousandStages, CarryTheInputIntact) { run_thousand(Form::File, 0); }

TEST_F(HostileThousandStages, HereDocCarriedIntact) { run_thousand(Form::HereDoc, 0); }

// 1000 stages need 999 pipes, yet pipex holds at most 0-2, one pipe and the read end of the
// previous one (plus the write end of the pipe streaming a here-doc): 6 fds, 7 in the here_doc
// form, whatever the length. INFILE and OUTFILE are opened by the stages' own processes, once
// they hold nothing but fds 0-2, as bash's children open them. This is the fd budget the README
// states.
TEST_F(HostileThousandStages, RunWithinSixFds) { run_thousand(Form::File, 6); }

TEST_F(HostileThousandStages, HereDocRunsWithinSevenFds) { run_thousand(Form::HereDoc, 7); }

// With one fd fewer than streaming needs, the here-doc is read whole into a memfd first, which
// needs no more fds than INFILE does.
TEST_F(HostileThousandStages, HereDocRunsWithinSixFdsFromAMemfd) { run_thousand(Form::HereDoc, 6); }

}  // namespace
}  // namespace hostile
