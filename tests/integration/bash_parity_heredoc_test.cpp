// pipex here_doc LIMITER CMD1 ... CMDN OUTFILE behaves as bash's
// CMD1 << 'LIMITER' | ... | CMDN >> OUTFILE, with the here-document read from pipex's stdin.
#include <gtest/gtest.h>

#include <string>

#include "bash_parity.hpp"

namespace {

using namespace std::string_literals;
using parity::expect_same_as_bash;
using parity::text_files;

const auto kOldOut = text_files({{"out", "old line\n"}});

TEST(BashParityHereDoc, Basic) {
    auto cmp = expect_same_as_bash({.args = {"here_doc", "LIM", "cat", "cat", "out"},
                                    .input = "hello\nworld\nLIM\n",
                                    .bash_status = 0});
    EXPECT_EQ(cmp.bash.files["out"].content, "hello\nworld\n");
}

TEST(BashParityHereDoc, SingleCommand) {
    expect_same_as_bash(
        {.args = {"here_doc", "LIM", "cat", "out"}, .input = "one\nLIM\n", .bash_status = 0});
}

TEST(BashParityHereDoc, ManyStages) {
    expect_same_as_bash({.args = {"here_doc", "EOF", "tr a-z A-Z", "sort", "uniq -c", "out"},
                         .input = "b\na\nb\nc\nb\nEOF\n",
                         .bash_status = 0});
}

TEST(BashParityHereDoc, OutfileIsAppended) {
    auto cmp = expect_same_as_bash({.args = {"here_doc", "LIM", "cat", "cat", "out"},
                                    .input = "new line\nLIM\n",
                                    .setup = kOldOut,
                                    .bash_status = 0});
    EXPECT_EQ(cmp.bash.files["out"].content, "old line\nnew line\n");
}

TEST(BashParityHereDoc, OutfileModeFollowsUmask) {
    for (unsigned mask : {0000u, 0022u, 0077u}) {
        SCOPED_TRACE("umask " + std::to_string(mask));
        expect_same_as_bash({.args = {"here_doc", "LIM", "cat", "cat", "out"},
                             .input = "x\nLIM\n",
                             .umask = mask,
                             .bash_status = 0});
    }
}

TEST(BashParityHereDoc, OnlyAnExactLineEndsIt) {
    auto cmp = expect_same_as_bash(
        {.args = {"here_doc", "LIM", "cat", "cat", "out"},
         .input = "a\n LIM\nLIM \nLIMx\nxLIM\nLI\nlim\n\tLIM\nLIM\r\nLIM\nafter\n",
         .bash_status = 0});
    EXPECT_EQ(cmp.bash.files["out"].content, "a\n LIM\nLIM \nLIMx\nxLIM\nLI\nlim\n\tLIM\nLIM\r\n");
}

TEST(BashParityHereDoc, LimiterAsLastLineWithoutNewline) {
    expect_same_as_bash(
        {.args = {"here_doc", "LIM", "cat", "cat", "out"}, .input = "a\nb\nLIM", .bash_status = 0});
}

TEST(BashParityHereDoc, FinalPartialLineGetsNewline) {
    auto cmp = expect_same_as_bash({.args = {"here_doc", "LIM", "cat", "cat", "out"},
                                    .input = "a\nb",
                                    .bash_status = 0,
                                    .bash_err_has = {"warning: here-document"}});
    EXPECT_EQ(cmp.bash.files["out"].content, "a\nb\n");
}

TEST(BashParityHereDoc, EndOfInputWithoutLimiter) {
    expect_same_as_bash({.args = {"here_doc", "LIM", "cat", "wc -l", "out"},
                         .input = "a\nb\nLI\n",
                         .bash_status = 0,
                         .bash_err_has = {"wanted `LIM'"}});
}

TEST(BashParityHereDoc, EmptyInput) {
    expect_same_as_bash({.args = {"here_doc", "LIM", "cat", "wc -c", "out"},
                         .input = "",
                         .setup = kOldOut,
                         .bash_status = 0,
                         .bash_err_has = {"warning: here-document"}});
}

TEST(BashParityHereDoc, LimiterOnFirstLineGivesEmptyBody) {
    expect_same_as_bash(
        {.args = {"here_doc", "LIM", "cat", "cat", "out"}, .input = "LIM\nx\n", .bash_status = 0});
}

TEST(BashParityHereDoc, BlankLinesAndSpaces) {
    expect_same_as_bash({.args = {"here_doc", "LIM", "cat", "cat", "out"},
                         .input = "\n\n  \n\t\nx  \n\nLIM\n",
                         .bash_status = 0});
}

TEST(BashParityHereDoc, EmptyLimiterEndsAtFirstEmptyLine) {
    expect_same_as_bash({.args = {"here_doc", "", "cat", "cat", "out"},
                         .input = "a\n \nb\n\nc\n",
                         .bash_status = 0});
}

TEST(BashParityHereDoc, LimiterWithSpaces) {
    expect_same_as_bash({.args = {"here_doc", "END OF TEXT", "cat", "cat", "out"},
                         .input = "x\nEND OF\nEND  OF TEXT\nEND OF TEXT\ny\n",
                         .bash_status = 0});
}

TEST(BashParityHereDoc, LimiterWithQuotesAndSymbols) {
    expect_same_as_bash({.args = {"here_doc", "it's \"$HOME\"", "cat", "cat", "out"},
                         .input = "x\nit's $HOME\nit's \"$HOME\"\ny\n",
                         .bash_status = 0});
    expect_same_as_bash({.args = {"here_doc", "here_doc", "cat", "cat", "out"},
                         .input = "x\nhere_doc\n",
                         .bash_status = 0});
}

TEST(BashParityHereDoc, TextIsNotExpanded) {
    expect_same_as_bash({.args = {"here_doc", "LIM", "cat", "cat", "out"},
                         .input =
                             "$HOME ${HOME} $(echo sub) `echo tick` $((1+2)) ~ * \\n \\\\ \\$HOME\n"
                             "\tleading tab\n  spaces  \n'single' \"double\"\nLIM\n",
                         .bash_status = 0});
}

TEST(BashParityHereDoc, TextAfterLimiterIsIgnored) {
    auto cmp = expect_same_as_bash({.args = {"here_doc", "LIM", "cat", "cat", "out"},
                                    .input = "kept\nLIM\ndropped\nLIM\n",
                                    .bash_status = 0});
    EXPECT_EQ(cmp.bash.files["out"].content, "kept\n");
}

TEST(BashParityHereDoc, LargeBody) {
    std::string body;
    for (int i = 0; body.size() < 400'000; ++i) body += "line " + std::to_string(i) + "\n";
    expect_same_as_bash({.args = {"here_doc", "LIM", "cat", "wc -lc", "out"},
                         .input = body + "LIM\n",
                         .bash_status = 0});
}

TEST(BashParityHereDoc, LongLine) {
    std::string line(200'000, 'z');
    expect_same_as_bash({.args = {"here_doc", "LIM", "cat", "cat", "out"},
                         .input = line + "\nLIM\n",
                         .bash_status = 0});
}

TEST(BashParityHereDoc, BodyNotReadByTheCommand) {
    // The first command never reads its here-document: nothing may wait for it to.
    std::string body;
    for (int i = 0; body.size() < 400'000; ++i) body += "unread " + std::to_string(i) + "\n";
    expect_same_as_bash({.args = {"here_doc", "LIM", "true", "echo done", "out"},
                         .input = body + "LIM\n",
                         .bash_status = 0});
}

TEST(BashParityHereDoc, CommandErrors) {
    expect_same_as_bash({.args = {"here_doc", "LIM", "nosuch", "wc -l", "out"},
                         .input = "a\nLIM\n",
                         .bash_status = 0,
                         .bash_err_has = {"nosuch: command not found"}});
    expect_same_as_bash({.args = {"here_doc", "LIM", "cat", "nosuch", "out"},
                         .input = "a\nLIM\n",
                         .bash_status = 127});
    // Not found, the one stage still opens OUTFILE for appending: created, or left as it was.
    expect_same_as_bash(
        {.args = {"here_doc", "LIM", "nosuch", "out"}, .input = "a\nLIM\n", .bash_status = 127});
    expect_same_as_bash({.args = {"here_doc", "LIM", "nosuch", "out"},
                         .input = "a\nLIM\n",
                         .setup = text_files({{"out", "kept\n"}}),
                         .bash_status = 127});
    expect_same_as_bash({.args = {"here_doc", "LIM", "cat", "sh -c 'exit 7'", "out"},
                         .input = "a\nLIM\n",
                         .bash_status = 7});
}

TEST(BashParityHereDoc, OutfileErrors) {
    SKIP_UNLESS_ABLE_TO_RUN_AS_NOBODY();
    expect_same_as_bash({.args = {"here_doc", "LIM", "cat", "touch ran", "/nonexist/out"},
                         .input = "a\nLIM\n",
                         .bash_status = 1,
                         .bash_err_has = {"/nonexist/out: No such file or directory"}});
    expect_same_as_bash({.args = {"here_doc", "LIM", "cat", "touch ran", "/tmp"},
                         .input = "a\nLIM\n",
                         .bash_status = 1});
    auto cmp = expect_same_as_bash(
        {.args = {"here_doc", "LIM", "cat", "touch ran", "out"},
         .input = "a\nLIM\n",
         .setup =
             [](const std::string& d) { testsupport::write_file(d + "/out", "original\n", 0444); },
         .as_nobody = true,
         .bash_status = 1,
         .bash_err_has = {"out: Permission denied"}});
    EXPECT_EQ(cmp.pipex.files["out"].content, "original\n");
}

TEST(BashParityHereDoc, NulBytesAreKept) {
    // bash drops NUL bytes from here-documents; pipex passes them on unchanged.
    const std::string body = "a\0b\n\0\nend\0"s;
    testsupport::TempDir dir;
    auto r = parity::run_pipex(dir, {"here_doc", "LIM", "cat", "cat", "out"},
                               body + "\nLIM\nafter\0\n"s);
    EXPECT_TRUE(r.exited());
    EXPECT_EQ(r.exit_code(), 0);
    EXPECT_EQ(r.err, "");
    EXPECT_EQ(testsupport::read_file(dir / "out"), body + "\n");
}

}  // namespace
