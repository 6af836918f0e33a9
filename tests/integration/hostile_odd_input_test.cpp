// Hostile environments: odd bytes and odd sizes in what pipex is given — non-UTF-8 file names,
// commands and limiters, arguments of 10,000 and 100,000 characters, limiters that look like
// shell syntax — each compared with bash.
#include "hostile.hpp"

namespace hostile {
namespace {

using parity::expect_same_as_bash;
using parity::text_files;

const std::string kText = "plain line\n\xff\xfe binary line \xc3\x28\nlast \x80\n";

// --- non-UTF-8 ------------------------------------------------------------------------------

TEST(HostileOddInput, NonUtf8FileNames) {
    auto cmp = expect_same_as_bash({.args = {"in\xff\xfe", "cat", "cat", "out\xff"},
                                    .setup = text_files({{"in\xff\xfe", kText}}),
                                    .bash_status = 0});
    EXPECT_EQ(cmp.pipex.files["out\xff"].content, kText);
    // Missing ones are named byte for byte in the message.
    expect_same_as_bash({.args = {"missing\xff", "cat", "cat", "nodir\xfe/out"},
                         .bash_status = 1,
                         .bash_err_has = {"missing\xff: No such file or directory",
                                          "nodir\xfe/out: No such file or directory"}});
}

TEST(HostileOddInput, NonUtf8BytesInArguments) {
    auto in = text_files({{"in", kText}});
    expect_same_as_bash({.args = {"in", "printf '%s\\n' '\xff\xfe' \"\x80\xc3\"", "cat", "out"},
                         .setup = in,
                         .bash_status = 0});
    expect_same_as_bash({.args = {"in", "tr '\xff\x80' 'YX'", "grep -c '\xfe'", "out"},
                         .setup = in,
                         .bash_status = 0});
    expect_same_as_bash({.args = {"in", "cat", "sed s/\xfe/\xe9/", "out"},
                         .setup = in,
                         .env = std::vector<std::string>{"PATH=/usr/bin:/bin", "LC_ALL=C"},
                         .bash_status = 0});
}

TEST(HostileOddInput, NonUtf8CommandNames) {
    SKIP_UNLESS_ABLE_TO_RUN_AS_NOBODY();
    auto setup = parity::both(text_files({{"in", kText}}), [](const std::string& d) {
        parity::make_exec(d + "/tool\xff", "#!/bin/sh\necho tool ran\ncat\n");
        parity::make_exec(d + "/noexec\xff", "echo no\n", 0644);
        parity::make_dir(d + "/dir\xff");
    });
    expect_same_as_bash(
        {.args = {"in", "./tool\xff", "cat", "out"}, .setup = setup, .bash_status = 0});
    expect_same_as_bash({.args = {"in", "cat", "./\xff", "out"},
                         .setup = setup,
                         .bash_status = 127,
                         .bash_err_has = {"./\xff: No such file or directory"}});
    expect_same_as_bash({.args = {"in", "cat", "./noexec\xff", "out"},
                         .setup = setup,
                         .as_nobody = true,
                         .bash_status = 126,
                         .bash_err_has = {"./noexec\xff: Permission denied"}});
    expect_same_as_bash({.args = {"in", "cat", "./dir\xff", "out"},
                         .setup = setup,
                         .bash_status = 126,
                         .bash_err_has = {"./dir\xff: Is a directory"}});
}

// bash writes a command name that is not printable in "command not found" in $'...' form
// (`bash: line 1: $'\377\376': command not found`, also $'a\001b', $'tab\there'), and so
// does pipex. Only this message is quoted by bash; "No such file or directory", "Permission
// denied", "Is a directory" and redirection errors name the raw bytes in both. The names here are
// not printable in any locale (invalid UTF-8 and control characters), so the comparison does not
// depend on the locale of the run.
TEST(HostileOddInput, NonPrintableCommandNotFoundQuotedAsBashDoes) {
    const auto in = text_files({{"in", kText}});
    const std::vector<std::string> env = {"PATH=/usr/bin:/bin", "LC_ALL=C"};
    expect_same_as_bash({.args = {"in", "cat", "\xff\xfe", "out"},
                         .setup = in,
                         .env = env,
                         .bash_status = 127,
                         .bash_err_has = {"$'\\377\\376': command not found"}});
    expect_same_as_bash({.args = {"in", "cat",
                                  "'a\x01"
                                  "b'",
                                  "out"},
                         .setup = in,
                         .env = env,
                         .bash_status = 127});
    expect_same_as_bash(
        {.args = {"in", "cat", "'tab\there'", "out"}, .setup = in, .env = env, .bash_status = 127});
}

TEST(HostileOddInput, NonUtf8Limiter) {
    expect_same_as_bash({.args = {"here_doc", "\xff\xfe", "cat", "cat", "out"},
                         .input = "a\n\xff\n\xfe\xff\n\xff\xfe \n\xff\xfe\nafter\n",
                         .bash_status = 0});
}

// --- long arguments ---------------------------------------------------------------------------

TEST(HostileOddInput, TenThousandCharacterArgument) {
    const std::string word(10'000, 'x');
    auto in = text_files({{"in", "unused\n"}});
    auto cmp = expect_same_as_bash({.args = {"in", "printf %s '" + word + "'", "wc -c", "out"},
                                    .setup = in,
                                    .bash_status = 0});
    EXPECT_EQ(cmp.pipex.files["out"].content, "10000\n");
    expect_same_as_bash({.args = {"in", "cat", "printf %s \"" + word + "\"", "out"},
                         .setup = in,
                         .bash_status = 0});
}

TEST(HostileOddInput, HundredThousandCharacterArgument) {
    std::string word;
    for (int i = 0; word.size() < 100'000; ++i) word += "w" + std::to_string(i % 10);
    word.resize(100'000);
    auto in = text_files({{"in", "unused\n"}});
    auto cmp = expect_same_as_bash(
        {.args = {"in", "printf %s " + word, "wc -c", "out"}, .setup = in, .bash_status = 0});
    EXPECT_EQ(cmp.pipex.files["out"].content, "100000\n");
    // Quoted, as a missing command's name, and (60,000 characters: the bash script holds it
    // twice) as the grep pattern of a later stage.
    expect_same_as_bash({.args = {"in", "printf '%s\\n' '" + word + "'", "cat", "out"},
                         .setup = in,
                         .bash_status = 0});
    expect_same_as_bash({.args = {"in", "cat", word, "out"}, .setup = in, .bash_status = 127});
    const std::string pattern = word.substr(0, 60'000);
    expect_same_as_bash(
        {.args = {"in", "printf '%s\\n' '" + pattern + "'", "grep -c '" + pattern + "'", "out"},
         .setup = in,
         .bash_status = 0});
}

// --- limiters -------------------------------------------------------------------------------

struct LimiterCase {
    const char* name;
    std::string limiter;
};
void PrintTo(const LimiterCase& c, std::ostream* os) { *os << c.name; }

class HostileOddLimiter : public testing::TestWithParam<LimiterCase> {};

// The limiter is taken literally: no quote removal, no backslash processing, no expansion.
// Lines that would match after such processing, or with a space more or less, do not end it.
TEST_P(HostileOddLimiter, TakenLiterallyAsBashQuotedLimiter) {
    const std::string& lim = GetParam().limiter;
    const std::string input = "first\n" + lim + " \n " + lim + "\n" + lim + "x\n'" + lim + "'\n\"" +
                              lim + "\"\n\\" + lim + "\nEND\n" + lim + "\nafter\n";
    auto cmp = expect_same_as_bash(
        {.args = {"here_doc", lim, "cat", "cat", "out"}, .input = input, .bash_status = 0});
    const std::string& out = cmp.pipex.files["out"].content;
    EXPECT_EQ(out.find("after"), std::string::npos) << "the limiter line did not end the text";
    EXPECT_NE(out.find("first"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(
    Hostile, HostileOddLimiter,
    testing::Values(LimiterCase{"Backslash", "a\\b"}, LimiterCase{"TrailingBackslash", "END\\"},
                    LimiterCase{"OnlyBackslashes", "\\\\"}, LimiterCase{"BackslashN", "E\\nD"},
                    LimiterCase{"SingleQuoted", "'END'"}, LimiterCase{"DoubleQuoted", "\"END\""},
                    LimiterCase{"TwoQuotes", "''"}, LimiterCase{"LoneQuote", "'"},
                    LimiterCase{"LoneDoubleQuote", "\""}, LimiterCase{"Dollar", "$END"},
                    LimiterCase{"CommandSubstitution", "$(echo END)"},
                    LimiterCase{"Backquotes", "`END`"}, LimiterCase{"Glob", "*"},
                    LimiterCase{"Tilde", "~"}, LimiterCase{"Hash", "#"},
                    LimiterCase{"Semicolon", "END;"}, LimiterCase{"OnlySpaces", "   "},
                    LimiterCase{"LeadingAndTrailingSpaces", " END "}, LimiterCase{"Tab", "E\tD"},
                    LimiterCase{"Dash", "-"}, LimiterCase{"Long", std::string(100'000, 'L')}),
    [](const testing::TestParamInfo<LimiterCase>& p) { return std::string(p.param.name); });

TEST(HostileOddInput, LimiterContainingANewlineNeverMatches) {
    // No line can equal it: the text runs to end of input, with bash's warning.
    expect_same_as_bash({.args = {"here_doc", "END\nX", "cat", "cat", "out"},
                         .input = "a\nEND\nX\nEND\\nX\nb\n",
                         .bash_status = 0,
                         .bash_err_has = {"warning: here-document"}});
}

TEST(HostileOddInput, LimiterEmptyWithOnlyEmptyLines) {
    expect_same_as_bash(
        {.args = {"here_doc", "", "cat", "wc -l", "out"}, .input = "\n\n\n", .bash_status = 0});
    expect_same_as_bash({.args = {"here_doc", "", "cat", "wc -c", "out"},
                         .input = "x\n \n\t\n",
                         .bash_status = 0,
                         .bash_err_has = {"warning: here-document"}});
}

// --- INFILE is OUTFILE ------------------------------------------------------------------------

TEST(HostileOddInput, InfileIsOutfileWithFirstStageNotReading) {
    expect_same_as_bash({.args = {"f", "echo replaced", "cat", "f"},
                         .setup = text_files({{"f", "old content\n"}}),
                         .bash_status = 0});
    expect_same_as_bash({.args = {"f", "cat", "echo replaced", "f"},
                         .setup = text_files({{"f", "old content\n"}}),
                         .bash_status = 0});
}

TEST(HostileOddInput, InfileIsOutfileRacesAsInBash) {
    // As in bash, the last stage's own process opens `> f`, racing the first stage's read of it:
    // the first stage reads some part of the file, from none of it to all of it, and no more,
    // since it reaches end-of-file before wc writes. Whatever the timing, one count, no error.
    const std::string text = hygiene::sample_text(2000);
    for (int round = 0; round < 5; ++round) {
        TempDir dir;
        testsupport::write_file(dir / "f", text);
        auto r = parity::run_pipex(dir, {"f", "cat", "wc -c", "f"});
        ASSERT_FALSE(r.timed_out);
        EXPECT_EQ(r.shell_status(), 0) << r.err;
        EXPECT_EQ(r.err, "");
        const std::string count = testsupport::read_file(dir / "f");
        ASSERT_FALSE(count.empty());
        EXPECT_EQ(count.back(), '\n');
        EXPECT_LE(std::stoul(count), text.size()) << count;
    }
}

TEST(HostileOddInput, InfileIsOutfileThroughASymlink) {
    auto setup = [](const std::string& d) {
        testsupport::write_file(d + "/f", "old content\n");
        std::filesystem::create_symlink("f", d + "/link");
    };
    expect_same_as_bash(
        {.args = {"link", "echo new", "cat", "f"}, .setup = setup, .bash_status = 0});
    expect_same_as_bash(
        {.args = {"f", "echo new", "cat", "link"}, .setup = setup, .bash_status = 0});
}

}  // namespace
}  // namespace hostile
