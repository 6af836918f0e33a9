// Every child is reaped, on every path out of pipex: nothing is left behind, neither a zombie nor
// a running orphan. The fixture makes the test a child subreaper, so leftovers become its own
// children; Fixture::TearDown then requires waitpid(-1, WNOHANG) to fail with ECHILD.
#include <string_view>

#include "hygiene.hpp"

namespace hygiene {
namespace {

// Written in arguments, replaced by the test's folder.
constexpr std::string_view kDir = "@DIR@";

struct ReapCase {
    const char* name;
    std::vector<std::string> args;  // pipex arguments; files are made by `setup`
    std::function<void(const TempDir&)> setup = [](const TempDir&) {};
    std::string input = {};               // stdin (here_doc form)
    bool as_nobody = false;               // permission cases: root ignores permissions
    std::function<void()> in_child = {};  // dispositions inherited by pipex
    int status = 0;                       // the pipeline's status: checks the scenario happened
};

void PrintTo(const ReapCase& c, std::ostream* os) { *os << c.name; }

class Reaping : public Fixture, public ::testing::WithParamInterface<ReapCase> {};

TEST_P(Reaping, NothingIsLeftBehind) {
    const ReapCase& c = GetParam();
    if (c.as_nobody) {
        SKIP_UNLESS_ABLE_TO_RUN_AS_NOBODY();
    }
    TempDir dir;
    testsupport::write_file(dir / "in", "one\ntwo\nthree\n");
    c.setup(dir);
    std::vector<std::string> args = c.args;
    for (std::string& arg : args)
        if (arg.starts_with(kDir)) arg.replace(0, kDir.size(), dir.path());

    RunSpec spec;
    spec.stdin_data = c.input;
    spec.in_child = c.in_child;
    const RunResult r = run_pipex(args, spec, c.as_nobody);

    ASSERT_FALSE(r.timed_out) << describe(r);
    EXPECT_EQ(r.shell_status(), c.status) << "scenario check: " << describe(r);
    expect_nothing_left(std::string("after pipex ended (") + c.name + ")");
}

const ReapCase kReapCases[] = {
    {.name = "Success", .args = {"@DIR@/in", "cat", "wc -l", "@DIR@/out"}, .status = 0},
    {.name = "HereDocSuccess",
     .args = {"here_doc", "EOF", "cat", "cat", "@DIR@/out"},
     .input = "a\nb\nEOF\n",
     .status = 0},
    {.name = "FirstCommandNotFound",
     .args = {"@DIR@/in", "no-such-command-pipex-test", "cat", "@DIR@/out"},
     .status = 0},
    {.name = "LastCommandNotFound",
     .args = {"@DIR@/in", "cat", "cat", "no-such-command-pipex-test", "@DIR@/out"},
     .status = 127},
    {.name = "CommandIsAFolder", .args = {"@DIR@/in", "cat", "@DIR@", "@DIR@/out"}, .status = 126},
    {.name = "InfileMissing", .args = {"@DIR@/missing", "cat", "wc -l", "@DIR@/out"}, .status = 0},
    {.name = "OutfileIsAFolder",
     .args = {"@DIR@/in", "cat", "cat", "@DIR@/sub"},
     .setup = [](const TempDir& d) { std::filesystem::create_directory(d / "sub"); },
     .status = 1},
    {.name = "OutfileInMissingFolder",
     .args = {"@DIR@/in", "cat", "cat", "@DIR@/nowhere/out"},
     .status = 1},
    {.name = "OutfileUnwritable",
     .args = {"@DIR@/in", "cat", "cat", "@DIR@/readonly"},
     .setup = [](const TempDir& d) { testsupport::write_file(d / "readonly", "keep\n", 0444); },
     .as_nobody = true,
     .status = 1},
    {.name = "LastStageExitsEarly",
     .args = {"@DIR@/in", "yes", "head -n 1", "@DIR@/out"},
     .status = 0},
    {.name = "MiddleStageExitsEarly",
     .args = {"@DIR@/in", "yes", "false", "cat", "@DIR@/out"},
     .status = 0},
    {.name = "StageKilledBySignal",
     .args = {"@DIR@/in", "cat", "@DIR@/killself.sh", "@DIR@/out"},
     .setup = [](const TempDir& d) { write_script(d, "killself.sh", "kill -TERM $$\n"); },
     .status = 128 + SIGTERM},
    {.name = "ParentIgnoredSigchld",  // an inherited SIG_IGN for SIGCHLD would auto-reap
     .args = {"@DIR@/in", "cat", "false", "@DIR@/out"},
     .in_child = [] { ignore_signals({SIGCHLD}); },
     .status = 1},
};

INSTANTIATE_TEST_SUITE_P(Paths, Reaping, ::testing::ValuesIn(kReapCases),
                         [](const auto& p) { return std::string(p.param.name); });

}  // namespace
}  // namespace hygiene
