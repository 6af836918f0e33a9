// bash's $'...' form for names with unprintable bytes.
#include "pipex/base/printable_name.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>

namespace {

class PrintableName : public ::testing::Test {
protected:
    void SetUp() override {
        for (const char* variable : {"LC_ALL", "LC_CTYPE"}) unsetenv(variable);
    }
    void TearDown() override { unsetenv("LANG"); }
};

TEST_F(PrintableName, PrintableNamesStayAsTheyAre) {
    setenv("LANG", "C", 1);
    EXPECT_EQ(pipex::printable_name("nosuch"), "nosuch");
    EXPECT_EQ(pipex::printable_name("it's a\\b"), "it's a\\b");
    EXPECT_EQ(pipex::printable_name(""), "");
}

TEST_F(PrintableName, UnprintableBytesUseBashAnsiCQuoting) {
    setenv("LANG", "C", 1);
    EXPECT_EQ(pipex::printable_name("\xff\xfe"), "$'\\377\\376'");
    EXPECT_EQ(pipex::printable_name("a\x01"
                                    "b"),
              "$'a\\001b'");
    EXPECT_EQ(pipex::printable_name("tab\there"), "$'tab\\there'");
    EXPECT_EQ(pipex::printable_name("esc\x1b"), "$'esc\\E'");
    EXPECT_EQ(pipex::printable_name("nl\nx"), "$'nl\\nx'");
    EXPECT_EQ(pipex::printable_name("del\x7f"), "$'del\\177'");
    EXPECT_EQ(pipex::printable_name("it's\\x\x01"), "$'it\\'s\\\\x\\001'");
    EXPECT_EQ(pipex::printable_name("caf\xc3\xa9"), "$'caf\\303\\251'");
}

TEST_F(PrintableName, Utf8LocaleKeepsValidCharacters) {
    setenv("LANG", "C.UTF-8", 1);
    EXPECT_EQ(pipex::printable_name("caf\xc3\xa9"), "caf\xc3\xa9");
    EXPECT_EQ(pipex::printable_name("caf\xc3\xa9\x01"), "$'caf\xc3\xa9\\001'");
    EXPECT_EQ(pipex::printable_name("caf\xc3"), "$'caf\\303'");     // truncated sequence
    EXPECT_EQ(pipex::printable_name("\xc2\x85"), "$'\\302\\205'");  // a C1 control character
    EXPECT_EQ(pipex::printable_name("\xed\xa0\x80"), "$'\\355\\240\\200'");  // a surrogate
    EXPECT_EQ(pipex::printable_name("\xe2\x82\xac"), "\xe2\x82\xac");
}

TEST_F(PrintableName, LcAllWinsOverLang) {
    setenv("LANG", "C.UTF-8", 1);
    setenv("LC_ALL", "C", 1);
    EXPECT_EQ(pipex::printable_name("caf\xc3\xa9"), "$'caf\\303\\251'");
    unsetenv("LC_ALL");
}

}  // namespace
