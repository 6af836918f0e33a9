// pipex under an independent judge: every child pipex starts must hold exactly fds 0, 1 and 2,
// and every child must be reaped, on the success paths and the error paths alike. pipex-audit
// checks it from outside on every CI run, with an fd planted in pipex's own inheritance that
// pipex must not pass on.
#include <fcntl.h>

#include "audit_support.hpp"

namespace audit_test {
namespace {

constexpr std::string_view kDir = "@DIR@";

struct PipexCase {
    const char* name;
    std::vector<std::string> args;
    std::string input = {};
    bool as_nobody = false;
    int status = 0;            // pipex's own status: the scenario really happened
    std::string outfile = {};  // expected content of @DIR@/out, when it is checked
};

void PrintTo(const PipexCase& c, std::ostream* os) { *os << c.name; }

class AuditPipex : public ::testing::TestWithParam<PipexCase> {};

std::vector<std::string> in_dir(std::vector<std::string> args, const TempDir& dir) {
    for (std::string& arg : args)
        if (arg.starts_with(kDir)) arg.replace(0, kDir.size(), dir.path());
    return args;
}

void prepare(const TempDir& dir) {
    testsupport::write_file(dir / "in", "one\ntwo\nthree\n");
    testsupport::write_file(dir / "readonly", "keep\n", 0444);
}

TEST_P(AuditPipex, EveryRunIsClean) {
    const PipexCase& c = GetParam();
    if (c.as_nobody) {
        SKIP_UNLESS_ABLE_TO_RUN_AS_NOBODY();
    }
    TempDir dir;
    prepare(dir);
    std::vector<std::string> command = in_dir(c.args, dir);
    command.insert(command.begin(), PIPEX_BIN);
    AuditRun run = audit({.options = {"--status"},
                          .command = command,
                          .stdin_data = c.input,
                          // An fd pipex inherits without close-on-exec: it must not reach a stage.
                          .plant = [&] { plant_fd(dir / "inherited", O_WRONLY | O_CREAT, 7); },
                          .as_nobody = c.as_nobody});
    ASSERT_FALSE(run.result.timed_out) << describe(run.result);
    EXPECT_EQ(run.result.shell_status(), c.status) << describe(run.result);
    EXPECT_TRUE(run.report.at("clean").get<bool>()) << run.result.err;
    EXPECT_EQ(count(run.report, "fd_leaks"), 0) << run.result.err;
    EXPECT_EQ(count(run.report, "zombies"), 0) << run.result.err;
    EXPECT_EQ(count(run.report, "orphans"), 0) << run.result.err;
    EXPECT_EQ(count(run.report, "left_running"), 0) << run.result.err;
    EXPECT_EQ(run.report.at("caller_fds").size(), 1u) << "the planted fd reached pipex itself";
    if (!c.outfile.empty()) {
        EXPECT_EQ(testsupport::read_file(dir / "out"), c.outfile);
    }
}

// Same pipeline without the audit: same status, same output file, same error lines.
TEST_P(AuditPipex, OutputAndStatusAreUnchanged) {
    const PipexCase& c = GetParam();
    if (c.as_nobody) {
        SKIP_UNLESS_ABLE_TO_RUN_AS_NOBODY();
    }
    TempDir plain_dir, audited_dir;
    prepare(plain_dir);
    prepare(audited_dir);
    std::vector<std::string> plain = in_dir(c.args, plain_dir),
                             audited = in_dir(c.args, audited_dir);
    plain.insert(plain.begin(), PIPEX_BIN);
    audited.insert(audited.begin(), PIPEX_BIN);
    RunResult expected = run_plain(plain, c.input, {}, c.as_nobody);
    AuditRun run = audit({.options = {"--status", "--quiet"},
                          .command = audited,
                          .stdin_data = c.input,
                          .as_nobody = c.as_nobody});
    EXPECT_EQ(run.result.shell_status(), expected.shell_status());
    EXPECT_EQ(run.result.out, expected.out);
    std::string err = run.result.err.substr(0, run.result.err.rfind("pipex-audit: "));
    std::string expected_err = expected.err;
    for (std::string* text : {&err, &expected_err})  // the folders differ, nothing else may
        for (const std::string& folder : {plain_dir.path(), audited_dir.path()})
            for (std::size_t at; (at = text->find(folder)) != std::string::npos;)
                text->replace(at, folder.size(), "DIR");
    EXPECT_EQ(err, expected_err);
    if (testsupport::file_exists(plain_dir / "out")) {
        EXPECT_EQ(testsupport::read_file(audited_dir / "out"),
                  testsupport::read_file(plain_dir / "out"));
    }
}

std::vector<std::string> many_cats(std::size_t stages) {
    std::vector<std::string> args = {"@DIR@/in"};
    for (std::size_t i = 0; i < stages; ++i) args.push_back("cat");
    args.push_back("@DIR@/out");
    return args;
}

const PipexCase kCases[] = {
    {.name = "FileForm", .args = {"@DIR@/in", "cat", "wc -l", "@DIR@/out"}, .outfile = "3\n"},
    {.name = "FileFormSixStages",
     .args = {"@DIR@/in", "cat", "sort", "uniq", "tr a-z A-Z", "sort -r", "head -n 2", "@DIR@/out"},
     .outfile = "TWO\nTHREE\n"},
    {.name = "TwentyStages", .args = many_cats(20), .outfile = "one\ntwo\nthree\n"},
    {.name = "HereDoc",
     .args = {"here_doc", "EOF", "cat", "tr a-z A-Z", "@DIR@/out"},
     .input = "a\nb\nEOF\nafter\n",
     .outfile = "A\nB\n"},
    {.name = "HereDocEndedByEndOfFile",
     .args = {"here_doc", "EOF", "cat", "cat", "@DIR@/out"},
     .input = "a\n",
     .outfile = "a\n"},
    {.name = "MissingInfile",
     .args = {"@DIR@/missing", "cat", "wc -l", "@DIR@/out"},
     .outfile = "0\n"},
    {.name = "FirstCommandNotFound",
     .args = {"@DIR@/in", "no-such-command-pipex-audit", "wc -l", "@DIR@/out"},
     .outfile = "0\n"},
    {.name = "LastCommandNotFound",
     .args = {"@DIR@/in", "cat", "no-such-command-pipex-audit", "@DIR@/out"},
     .status = 127},
    {.name = "CommandIsAFolder", .args = {"@DIR@/in", "cat", "@DIR@", "@DIR@/out"}, .status = 126},
    {.name = "OutfileUnwritable",
     .args = {"@DIR@/in", "cat", "cat", "@DIR@/readonly"},
     .as_nobody = true,
     .status = 1},
    {.name = "OutfileInMissingFolder",
     .args = {"@DIR@/in", "cat", "cat", "@DIR@/nowhere/out"},
     .status = 1},
    {.name = "LastStageExitsEarly",
     .args = {"@DIR@/in", "yes", "head -n 1", "@DIR@/out"},
     .outfile = "y\n"},
    {.name = "StageKilledBySignal",
     .args = {"@DIR@/in", "cat", "sh -c 'kill -SEGV $$'", "@DIR@/out"},
     .status = 139},
};

INSTANTIATE_TEST_SUITE_P(Runs, AuditPipex, ::testing::ValuesIn(kCases),
                         [](const auto& param_info) { return std::string(param_info.param.name); });

}  // namespace
}  // namespace audit_test
