// pipex INFILE CMD1 ... CMDN OUTFILE behaves as bash's  < INFILE CMD1 | ... | CMDN > OUTFILE:
// data flow, infile and outfile errors, exit status, signals, usage and options.
#include "bash_parity.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <regex>
#include <string>

namespace {

using parity::expect_same_as_bash;
using parity::text_files;

const std::string kText = "banana\napple\ncherry\napple\nbanana\napple\n";
const auto kInfile = text_files({{"in", kText}});

// --- data flow -----------------------------------------------------------------------------

TEST(BashParity, TwoStagesCopyInfileToOutfile) {
    auto cmp = expect_same_as_bash(
        {.args = {"in", "cat", "cat", "out"}, .setup = kInfile, .bash_status = 0});
    EXPECT_EQ(cmp.pipex.files["out"].content, kText);
}

TEST(BashParity, ManyStages) {
    expect_same_as_bash({.args = {"in", "cat", "sort", "uniq -c", "sort -rn", "head -n 2", "out"},
                         .setup = kInfile,
                         .bash_status = 0});
}

TEST(BashParity, SixtyStages) {
    std::vector<std::string> args = {"in"};
    for (int i = 0; i < 60; ++i) args.push_back(i % 2 ? "cat" : "tr a-y b-z");
    args.push_back("out");
    expect_same_as_bash({.args = args, .setup = kInfile, .bash_status = 0});
}

TEST(BashParity, StagesWithOptionsAndArguments) {
    expect_same_as_bash(
        {.args = {"in", "grep -n an", "tr a-z A-Z", "out"}, .setup = kInfile, .bash_status = 0});
}

TEST(BashParity, LargeDataThroughSeveralPipes) {
    std::string big;
    for (int i = 0; big.size() < 3'000'000; ++i) big += "line " + std::to_string(i) + "\n";
    expect_same_as_bash({.args = {"in", "cat", "cat", "cat", "wc -lc", "out"},
                         .setup = text_files({{"in", big}}),
                         .bash_status = 0});
    expect_same_as_bash({.args = {"in", "cat", "cat", "out"},
                         .setup = text_files({{"in", big}}),
                         .bash_status = 0});
}

TEST(BashParity, EmptyInfile) {
    expect_same_as_bash({.args = {"in", "cat", "wc -l", "out"},
                         .setup = text_files({{"in", ""}}),
                         .bash_status = 0});
}

TEST(BashParity, StageIgnoringItsInput) {
    expect_same_as_bash(
        {.args = {"in", "echo first", "echo second", "out"}, .setup = kInfile, .bash_status = 0});
}

TEST(BashParity, YesIntoHeadEndsAtOnce) {
    auto cmp = expect_same_as_bash(
        {.args = {"in", "yes", "head -n 1", "out"}, .setup = kInfile, .bash_status = 0});
    EXPECT_EQ(cmp.bash.files["out"].content, "y\n");
}

TEST(BashParity, FirstStageStopsEarlyWhileLaterOnesContinue) {
    expect_same_as_bash({.args = {"in", "yes", "head -n 1000", "tail -n 2", "out"},
                         .setup = kInfile,
                         .bash_status = 0});
}

// --- infile --------------------------------------------------------------------------------

TEST(BashParity, MissingInfileSkipsOnlyTheFirstStage) {
    auto cmp = expect_same_as_bash({.args = {"missing", "cat", "wc -l", "out"},
                                    .bash_status = 0,
                                    .bash_err_has = {"missing: No such file or directory"}});
    EXPECT_EQ(cmp.bash.files["out"].content, "0\n");
}

TEST(BashParity, MissingInfileFirstStageNeverRuns) {
    // `touch ran` would leave a file if the first stage ran.
    expect_same_as_bash(
        {.args = {"missing", "touch ran", "echo later stages run", "out"}, .bash_status = 0});
}

TEST(BashParity, MissingInfileInMissingFolder) {
    expect_same_as_bash({.args = {"nodir/missing", "cat", "cat", "out"}, .bash_status = 0});
}

TEST(BashParity, InfileIsAFolder) {
    expect_same_as_bash({.args = {"sub", "cat", "wc -c", "out"},
                         .setup = [](const std::string& d) { parity::make_dir(d + "/sub"); },
                         .bash_status = 0});
}

TEST(BashParity, InfileUnreadable) {
    SKIP_UNLESS_ABLE_TO_RUN_AS_NOBODY();
    expect_same_as_bash(
        {.args = {"in", "cat", "wc -l", "out"},
         .setup = [](const std::string& d) { testsupport::write_file(d + "/in", kText, 0000); },
         .as_nobody = true,
         .bash_status = 0,
         .bash_err_has = {"in: Permission denied"}});
}

TEST(BashParity, InfileOddNames) {
    expect_same_as_bash({.args = {"-", "cat", "cat", "out"}, .bash_status = 0});
    expect_same_as_bash({.args = {"-", "cat", "cat", "out"},
                         .setup = text_files({{"-", kText}}),
                         .bash_status = 0});
    expect_same_as_bash({.args = {"", "cat", "cat", "out"}, .bash_status = 0});
    expect_same_as_bash({.args = {"in/x", "cat", "cat", "out"},
                         .setup = kInfile,
                         .bash_status = 0,
                         .bash_err_has = {"in/x: Not a directory"}});
    expect_same_as_bash({.args = {"in file", "cat", "cat", "out"},
                         .setup = text_files({{"in file", kText}}),
                         .bash_status = 0});
}

TEST(BashParity, InfileSymlinks) {
    auto links = [](const std::string& d) {
        testsupport::write_file(d + "/in", kText);
        std::filesystem::create_symlink("in", d + "/link");
        std::filesystem::create_symlink("nowhere", d + "/dangling");
    };
    expect_same_as_bash({.args = {"link", "cat", "cat", "out"}, .setup = links, .bash_status = 0});
    expect_same_as_bash(
        {.args = {"dangling", "cat", "cat", "out"}, .setup = links, .bash_status = 0});
}

TEST(BashParity, MissingInfileWithFailingLastStage) {
    expect_same_as_bash({.args = {"missing", "cat", "false", "out"}, .bash_status = 1});
}

// --- outfile -------------------------------------------------------------------------------

TEST(BashParity, OutfileIsTruncated) {
    expect_same_as_bash(
        {.args = {"in", "head -n 1", "cat", "out"},
         .setup = parity::both(kInfile, text_files({{"out", std::string(5000, 'x') + "\n"}})),
         .bash_status = 0});
}

TEST(BashParity, OutfileModeFollowsUmask) {
    for (unsigned mask : {0000u, 0022u, 0077u, 0137u}) {
        SCOPED_TRACE("umask " + std::to_string(mask));
        expect_same_as_bash({.args = {"in", "cat", "cat", "out"},
                             .setup = kInfile,
                             .umask = mask,
                             .bash_status = 0});
    }
}

TEST(BashParity, OutfileKeepsTheModeOfAnExistingFile) {
    expect_same_as_bash({.args = {"in", "cat", "cat", "out"},
                         .setup =
                             [](const std::string& d) {
                                 testsupport::write_file(d + "/in", kText);
                                 testsupport::write_file(d + "/out", "old\n", 0600);
                             },
                         .bash_status = 0});
}

TEST(BashParity, OutfileInMissingFolderSkipsLastStage) {
    expect_same_as_bash({.args = {"in", "cat", "touch ran", "/nonexist/out"},
                         .setup = kInfile,
                         .bash_status = 1,
                         .bash_err_has = {"/nonexist/out: No such file or directory"}});
}

TEST(BashParity, OutfileIsAFolder) {
    expect_same_as_bash({.args = {"in", "cat", "touch ran", "/tmp"},
                         .setup = kInfile,
                         .bash_status = 1,
                         .bash_err_has = {"/tmp: Is a directory"}});
    expect_same_as_bash(
        {.args = {"in", "cat", "cat", "sub"},
         .setup = parity::both(kInfile, [](const std::string& d) { parity::make_dir(d + "/sub"); }),
         .bash_status = 1});
}

TEST(BashParity, OutfileReadOnlyIsLeftUntouched) {
    SKIP_UNLESS_ABLE_TO_RUN_AS_NOBODY();
    auto cmp = expect_same_as_bash({.args = {"in", "cat", "touch ran", "out"},
                                    .setup =
                                        [](const std::string& d) {
                                            testsupport::write_file(d + "/in", kText);
                                            testsupport::write_file(d + "/out", "original\n", 0444);
                                        },
                                    .as_nobody = true,
                                    .bash_status = 1,
                                    .bash_err_has = {"out: Permission denied"}});
    EXPECT_EQ(cmp.pipex.files["out"].content, "original\n");
}

TEST(BashParity, OutfileInReadOnlyFolder) {
    SKIP_UNLESS_ABLE_TO_RUN_AS_NOBODY();
    expect_same_as_bash(
        {.args = {"in", "cat", "cat", "ro/out"},
         .setup =
             parity::both(kInfile, [](const std::string& d) { parity::make_dir(d + "/ro", 0555); }),
         .as_nobody = true,
         .bash_status = 1,
         .bash_err_has = {"ro/out: Permission denied"}});
}

TEST(BashParity, OutfileExistsBeforeLastStageStarts) {
    auto cmp = expect_same_as_bash(
        {.args = {"in", "cat", "ls", "out"}, .setup = kInfile, .bash_status = 0});
    EXPECT_EQ(cmp.bash.files["out"].content, "in\nout\n");
}

// A stage performs its redirection before it looks for its command: a command that is not found
// still creates OUTFILE, and a redirection that fails is the only error of its stage.
TEST(BashParity, RedirectionsComeBeforeTheCommand) {
    auto cmp = expect_same_as_bash({.args = {"in", "cat", "nosuch", "out"},
                                    .setup = text_files({{"in", kText}, {"out", "old\n"}}),
                                    .bash_status = 127,
                                    .bash_err_has = {"nosuch: command not found"}});
    EXPECT_EQ(cmp.pipex.files["out"].content, "") << "OUTFILE was not truncated";
    expect_same_as_bash({.args = {"missing", "nosuch", "cat", "out"},
                         .bash_status = 0,
                         .bash_err_has = {"missing: No such file or directory"}});
    expect_same_as_bash(
        {.args = {"missing", "cat", "nosuch", "out"},
         .bash_status = 127,
         .bash_err_has = {"missing: No such file or directory", "nosuch: command not found"}});
    expect_same_as_bash({.args = {"in", "cat", "nosuch", "/nonexist/out"},
                         .setup = kInfile,
                         .bash_status = 1,
                         .bash_err_has = {"/nonexist/out: No such file or directory"}});
    expect_same_as_bash({.args = {"in", "nosuch", "\"\"", "out"},
                         .setup = kInfile,
                         .bash_status = 127,
                         .bash_err_has = {"nosuch: command not found", ": command not found"}});
}

TEST(BashParity, OutfileOddNames) {
    expect_same_as_bash({.args = {"in", "cat", "cat", ""}, .setup = kInfile, .bash_status = 1});
    expect_same_as_bash({.args = {"in", "cat", "cat", "in/out"},
                         .setup = kInfile,
                         .bash_status = 1,
                         .bash_err_has = {"in/out: Not a directory"}});
    expect_same_as_bash(
        {.args = {"in", "cat", "cat", "out file"}, .setup = kInfile, .bash_status = 0});
    expect_same_as_bash({.args = {"in", "cat", "cat", "-"}, .setup = kInfile, .bash_status = 0});
}

TEST(BashParity, OutfileSymlinks) {
    auto links = [](const std::string& d) {
        testsupport::write_file(d + "/in", kText);
        testsupport::write_file(d + "/target", "old content that is longer\n");
        std::filesystem::create_symlink("target", d + "/link");
        std::filesystem::create_symlink("nowhere", d + "/dangling");
    };
    // Written through the link (the target is truncated), or created where a dangling one points.
    expect_same_as_bash({.args = {"in", "cat", "cat", "link"}, .setup = links, .bash_status = 0});
    expect_same_as_bash(
        {.args = {"in", "cat", "cat", "dangling"}, .setup = links, .bash_status = 0});
}

TEST(BashParity, BothInfileAndOutfileFail) {
    expect_same_as_bash({.args = {"missing", "cat", "cat", "/nonexist/out"}, .bash_status = 1});
}

TEST(BashParity, SameFileAsInfileAndOutfile) {
    // The outfile is the infile: it is truncated while the first stage may still be reading
    // it, so only an empty file gives a result that does not depend on timing.
    expect_same_as_bash(
        {.args = {"f", "cat", "wc -l", "f"}, .setup = text_files({{"f", ""}}), .bash_status = 0});
}

// --- exit status and signals ----------------------------------------------------------------

TEST(BashParity, StatusIsTheLastStages) {
    expect_same_as_bash(
        {.args = {"in", "cat", "false", "out"}, .setup = kInfile, .bash_status = 1});
    expect_same_as_bash(
        {.args = {"in", "false", "true", "out"}, .setup = kInfile, .bash_status = 0});
    expect_same_as_bash(
        {.args = {"in", "cat", "sh -c 'exit 42'", "out"}, .setup = kInfile, .bash_status = 42});
    expect_same_as_bash(
        {.args = {"in", "cat", "sh -c 'exit 255'", "out"}, .setup = kInfile, .bash_status = 255});
    expect_same_as_bash({.args = {"in", "sh -c 'exit 42'", "cat", "sh -c 'exit 3'", "out"},
                         .setup = kInfile,
                         .bash_status = 3});
}

TEST(BashParity, CommandErrorMessagesFromStages) {
    expect_same_as_bash({.args = {"in", "cat nofile", "cat - nofile2", "out"},
                         .setup = kInfile,
                         .bash_status = 1,
                         .bash_err_has = {"nofile2"}});
}

TEST(BashParity, LastStageKilledBySignal) {
    // bash also prints a job report with process ids here; only status and files are compared.
    expect_same_as_bash({.args = {"in", "cat", "sh -c 'kill -SEGV $$'", "out"},
                         .setup = kInfile,
                         .compare_stderr = false,
                         .bash_status = 139});
    expect_same_as_bash({.args = {"in", "cat", "sh -c 'kill -TERM $$'", "out"},
                         .setup = kInfile,
                         .compare_stderr = false,
                         .bash_status = 143});
    expect_same_as_bash({.args = {"in", "cat", "sh -c 'kill -KILL $$'", "out"},
                         .setup = kInfile,
                         .compare_stderr = false,
                         .bash_status = 137});
}

TEST(BashParity, FirstStageKilledBySignal) {
    expect_same_as_bash({.args = {"in", "sh -c 'kill -SEGV $$'", "wc -c", "out"},
                         .setup = kInfile,
                         .bash_status = 0});
}

// --- word errors and usage ------------------------------------------------------------------

TEST(BashParity, EmptyWordAsCommand) {
    expect_same_as_bash({.args = {"in", "cat", "\"\"", "out"},
                         .setup = kInfile,
                         .bash_status = 127,
                         .bash_err_has = {": command not found"}});
    expect_same_as_bash({.args = {"in", "''", "cat", "out"}, .setup = kInfile, .bash_status = 0});
}

TEST(BashParity, UnterminatedQuoteRunsNothing) {
    struct Bad {
        std::vector<std::string> args;
        char quote;
    };
    for (const Bad& bad : std::vector<Bad>{
             {{"in", "touch ran", "cat 'abc", "out"}, '\''},
             {{"in", "touch ran", "cat \"abc", "out"}, '"'},
             {{"in", "cat 'a'b'", "touch ran", "out"}, '\''},
             {{"in", "touch ran", "echo \"it's", "out"}, '"'},
         }) {
        auto cmp = expect_same_as_bash(
            {.args = bad.args, .setup = kInfile, .compare_stderr = false, .bash_status = 2});
        ASSERT_EQ(cmp.pipex.err_lines.size(), 1u) << cmp.pipex.result.err;
        const std::string& msg = cmp.pipex.err_lines[0];
        EXPECT_EQ(msg.rfind("pipex: ", 0), 0u) << msg;
        EXPECT_NE(msg.find(bad.quote), std::string::npos) << msg;
    }
}

std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

TEST(BashParity, TooFewArgumentsPrintUsage) {
    for (const std::vector<std::string>& args :
         std::vector<std::vector<std::string>>{{},
                                               {"in"},
                                               {"in", "out"},
                                               {"in", "cat", "out"},
                                               {"here_doc"},
                                               {"here_doc", "LIM"},
                                               {"here_doc", "LIM", "out"}}) {
        testsupport::TempDir dir;
        testsupport::write_file(dir / "in", kText);
        auto r = parity::run_pipex(dir, args, "LIM\n");
        SCOPED_TRACE(testing::PrintToString(args));
        EXPECT_TRUE(r.exited());
        EXPECT_EQ(r.exit_code(), 1);
        EXPECT_EQ(r.out, "");
        EXPECT_NE(lower(r.err).find("usage"), std::string::npos) << r.err;
        // The first line says what is missing; the last where to read more.
        const std::string reason = !args.empty() && args[0] == "here_doc"
                                       ? "pipex: here_doc: a LIMITER, one command or more and an "
                                         "OUTFILE are needed\n"
                                       : "pipex: too few arguments (" +
                                             std::to_string(args.size()) +
                                             "): INFILE, two commands or more and an OUTFILE "
                                             "are needed\n";
        EXPECT_TRUE(r.err.starts_with(reason)) << r.err;
        EXPECT_TRUE(r.err.ends_with("Try 'pipex --help' for more information.\n")) << r.err;
        EXPECT_FALSE(testsupport::file_exists(dir / "out"));
    }
}

TEST(BashParity, AnUnknownOptionSaysSoAndWhereToLook) {
    testsupport::TempDir dir;
    auto r = parity::run_pipex(dir, {"--bogus", "in", "cat", "cat", "out"}, "");
    EXPECT_EQ(r.exit_code(), 1);
    EXPECT_TRUE(r.err.starts_with("pipex: --bogus: invalid option\nusage: pipex")) << r.err;
    EXPECT_TRUE(r.err.ends_with("Try 'pipex --help' for more information.\n")) << r.err;
    EXPECT_FALSE(testsupport::file_exists(dir / "out"));
}

TEST(BashParity, HelpPrintsUsageOnStdout) {
    testsupport::TempDir dir;
    auto r = parity::run_pipex(dir, {"--help"});
    EXPECT_TRUE(r.exited());
    EXPECT_EQ(r.exit_code(), 0);
    EXPECT_NE(lower(r.out).find("usage"), std::string::npos) << r.out;
    EXPECT_EQ(r.err, "");
}

TEST(BashParity, VersionPrintsTheProjectVersion) {
    const std::string cmake = testsupport::read_file(std::string(SOURCE_DIR) + "/CMakeLists.txt");
    std::smatch m;
    ASSERT_TRUE(std::regex_search(cmake, m, std::regex(R"(project\(pipex\s+VERSION\s+([0-9.]+))")));
    testsupport::TempDir dir;
    auto r = parity::run_pipex(dir, {"--version"});
    EXPECT_TRUE(r.exited());
    EXPECT_EQ(r.exit_code(), 0);
    EXPECT_NE(r.out.find(m[1].str()), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("MIT License"), std::string::npos) << r.out;
    EXPECT_NE(testsupport::read_file(std::string(SOURCE_DIR) + "/LICENSE").find("MIT License"),
              std::string::npos);
    EXPECT_EQ(r.err, "");
}

TEST(BashParity, OptionsOnlyBeforeInfile) {
    // After INFILE, `--help` and `--version` are commands like any other word.
    expect_same_as_bash({.args = {"in", "--help", "cat", "out"},
                         .setup = kInfile,
                         .bash_status = 0,
                         .bash_err_has = {"--help: command not found"}});
    expect_same_as_bash(
        {.args = {"in", "cat", "--version", "out"}, .setup = kInfile, .bash_status = 127});
}

TEST(BashParity, DoubleDashEndsOptions) {
    expect_same_as_bash({.args = {"--help", "cat", "cat", "out"},
                         .options = {"--"},
                         .setup = text_files({{"--help", kText}}),
                         .bash_status = 0});
    expect_same_as_bash({.args = {"--version", "cat", "wc -l", "out"},
                         .options = {"--"},
                         .setup = text_files({{"--version", kText}}),
                         .bash_status = 0});
}

}  // namespace
