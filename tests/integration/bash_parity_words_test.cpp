// pipex splits each CMD into words as the shell does (quotes and backslashes, no expansion):
// every command below prints its words one per line, with pipex and with bash.
#include <gtest/gtest.h>

#include <string>

#include "bash_parity.hpp"

namespace {

class WordSplitting : public testing::TestWithParam<std::string> {};

TEST_P(WordSplitting, SameWordsAsBash) {
    // As the last stage (its status counts) and as the first one.
    parity::expect_same_as_bash({.args = {"in", "cat", GetParam(), "out"},
                                 .setup = parity::text_files({{"in", "input\n"}}),
                                 .bash_status = 0});
    parity::expect_same_as_bash({.args = {"in", GetParam(), "cat", "out"},
                                 .setup = parity::text_files({{"in", "input\n"}}),
                                 .bash_status = 0});
}

INSTANTIATE_TEST_SUITE_P(
    BashParity, WordSplitting,
    testing::Values(
        // plain words and separators
        R"(printf %s, a b c)", R"(printf '[%s]\n'   a    b   )", R"(   printf '[%s]\n' lead)",
        "printf\t'[%s]\\n'\ta\t\tb\t", "printf '[%s]\\n' \t \t spaced",
        // single quotes: everything literal
        R"(printf '[%s]\n' 'a b' '  two  spaces  ')",
        R"(printf '[%s]\n' 'back\slash' 'a\nb' '\\' '\')",
        R"(printf '[%s]\n' '$HOME' '~' '*' '?' '[x]' '"' '`date`' '$(date)')",
        R"(printf '[%s]\n' 'semi;colon' 'pi|pe' 'amp&' '<in>' '(par)' '#hash')",
        "printf '[%s]\\n' 'new\nline' 'tab\there'",
        // double quotes: \" \\ \$ \` are escapes, other backslashes stay
        R"(printf '[%s]\n' "a b" "  c  ")", R"(printf '[%s]\n' "a\"b" "a\\b" "a\$b" "a\`b")",
        R"(printf '[%s]\n' "a\nb" "a\'b" "\x" "a\ b" "end\\")",
        R"(printf '[%s]\n' "a\\\"b" "\\\\" "\"\"")",
        R"(printf '[%s]\n' "it's" "'single' inside" "semi;colon|pipe")",
        "printf '[%s]\\n' \"new\nline\"",
        // backslash outside quotes escapes the next character
        R"(printf '[%s]\n' a\ b a\\b a\'b a\"b \x a\$b \~ \* \#x)",
        R"(printf '[%s]\n' \'quoted\' \"dq\" \\\\)", R"(printf '[%s]\n' a\;b a\|b a\&b a\<b a\>b)",
        // empty words
        R"(printf '%s|' a '' b)", R"(printf '%s|' a "" b)", R"(printf '%s|' '')",
        R"(printf '%s|' "" '' "")", R"(printf '[%s]\n' x'' ''y "")",
        // concatenation of quoted and unquoted parts
        R"(printf '[%s]\n' a'b'"c"d)", R"(printf '[%s]\n' 'it'\''s' "x"'y'"z")",
        R"(printf '[%s]\n' "'" '"' "\"'\"" '"'"'"'"')", R"(printf '[%s]\n' "a b"c 'd e'f g"h i")",
        // the command word itself may be quoted
        R"('printf' '[%s]\n' quoted-name)", R"("printf" '[%s]\n' dq-name)",
        R"(pr'in'tf '[%s]\n' split-name)", R"(pr\intf '[%s]\n' escaped-name)",
        // options and many words
        R"(echo -n no newline)", R"(echo 'a'  'b'   "c")",
        R"(printf '%s,' 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27)",
        R"(printf '[%s]\n' -- -n --flag=x a=b)"));

}  // namespace
