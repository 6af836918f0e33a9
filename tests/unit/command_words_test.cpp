// Splitting CMD strings into words: quoting, escapes, comments, errors.
#include "pipex/command_words.hpp"

#include <gtest/gtest.h>

namespace {

using pipex::split_command_words;
using Words = std::vector<std::string>;

struct SplitCase {
    const char* text;
    Words words;
};

void PrintTo(const SplitCase& c, std::ostream* os) {
    *os << ::testing::PrintToString(std::string(c.text));
}

class SplitWords : public ::testing::TestWithParam<SplitCase> {};

TEST_P(SplitWords, MatchesShellQuoting) {
    EXPECT_EQ(split_command_words(GetParam().text), GetParam().words)
        << "text: " << GetParam().text;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, SplitWords,
    ::testing::Values(
        SplitCase{"", {}}, SplitCase{"   \t ", {}}, SplitCase{"ls", {"ls"}},
        SplitCase{"  ls   -l\t-a  ", {"ls", "-l", "-a"}}, SplitCase{"a\nb", {"a", "b"}},
        SplitCase{"grep 'a  b'", {"grep", "a  b"}},
        SplitCase{R"(echo 'x\y"z')", {"echo", R"(x\y"z)"}},
        SplitCase{R"(echo "a\"b\\c\$d\`e\f")", {"echo", R"(a"b\c$d`e\f)"}},
        SplitCase{"echo \"a\\\nb\"", {"echo", "ab"}},
        SplitCase{R"(echo a\ b\'c)", {"echo", "a b'c"}}, SplitCase{"echo a\\\nb", {"echo", "ab"}},
        SplitCase{R"(echo a\)", {"echo", R"(a\)"}},
        SplitCase{"printf %s '' \"\" x", {"printf", "%s", "", "", "x"}}, SplitCase{"''", {""}},
        SplitCase{R"(a'b'"c"d)", {"abcd"}}, SplitCase{"echo a #b c\nd", {"echo", "a", "d"}},
        SplitCase{"echo a#b '#c' \\#d", {"echo", "a#b", "#c", "#d"}},
        SplitCase{"echo $HOME ~ * ; | > <", {"echo", "$HOME", "~", "*", ";", "|", ">", "<"}},
        SplitCase{"\xff\xfe 'caf\xc3\xa9'", {"\xff\xfe", "caf\xc3\xa9"}}));

TEST(SplitWordsErrors, UnterminatedSingleQuoteNamesTheQuote) {
    try {
        split_command_words("cat 'abc");
        FAIL() << "no error for an unterminated quote";
    } catch (const pipex::CommandSyntaxError& error) {
        EXPECT_EQ(error.quote(), '\'');
        EXPECT_STREQ(error.what(), "unexpected EOF while looking for matching `''");
    }
}

TEST(SplitWordsErrors, UnterminatedDoubleQuote) {
    EXPECT_THROW(split_command_words(R"(echo "abc)"), pipex::CommandSyntaxError);
    EXPECT_THROW(split_command_words(R"(echo "abc\")"), pipex::CommandSyntaxError);
    EXPECT_THROW(split_command_words(R"(echo ')"), pipex::CommandSyntaxError);
}

TEST(SplitWordsErrors, LongArgumentIsKeptWhole) {
    std::string long_word(10000, 'x');
    EXPECT_EQ(split_command_words("echo '" + long_word + "'"), (Words{"echo", long_word}));
}

}  // namespace
