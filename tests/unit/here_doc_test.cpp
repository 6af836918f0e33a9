// Here-documents read up to their limiter: every byte kept, the limiter rules, what is left unread.
#include "pipex/here_doc.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/mman.h>
#include <unistd.h>

#include <string>

#include "process.hpp"

namespace {

using testsupport::read_all;

// Input comes from a memfd: seekable, any size, and no writer to run beside the reader.
pipex::UniqueFd input_holding(const std::string& text) { return pipex::make_text_fd(text); }

struct HereDocCase {
    std::string input;
    std::string limiter;
    std::string text;
    bool delimited_by_eof;
};

void PrintTo(const HereDocCase& c, std::ostream* os) {
    *os << ::testing::PrintToString(c.input) << " until " << ::testing::PrintToString(c.limiter);
}

class ReadHereDoc : public ::testing::TestWithParam<HereDocCase> {};

TEST_P(ReadHereDoc, KeepsExactlyTheTextBeforeTheLimiterLine) {
    const HereDocCase& c = GetParam();
    pipex::UniqueFd input = input_holding(c.input);
    pipex::HereDoc doc = pipex::read_here_doc(input.get(), c.limiter, false);
    EXPECT_EQ(read_all(doc.text.get()), c.text);
    EXPECT_EQ(doc.delimited_by_eof, c.delimited_by_eof);
}

TEST_P(ReadHereDoc, CopyToAnyFdPassesTheSameBytes) {
    const HereDocCase& c = GetParam();
    pipex::UniqueFd input = input_holding(c.input);
    pipex::UniqueFd sink = pipex::make_text_fd("");
    pipex::HereDocEnd end = pipex::copy_here_doc(input.get(), c.limiter, sink.get());
    ASSERT_EQ(lseek(sink.get(), 0, SEEK_SET), 0);
    EXPECT_EQ(read_all(sink.get()), c.text);
    EXPECT_EQ(end.delimited_by_eof, c.delimited_by_eof);
    EXPECT_FALSE(end.sink_closed);
    EXPECT_FALSE(end.stopped);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, ReadHereDoc,
    ::testing::Values(
        HereDocCase{"a\nb\nEOF\nafter\n", "EOF", "a\nb\n", false},
        HereDocCase{"EOF\n", "EOF", "", false}, HereDocCase{"a\nEOF", "EOF", "a\n", false},
        HereDocCase{"a\n EOF\nEOF \nEOFx\nxEOF\nEOF\n", "EOF", "a\n EOF\nEOF \nEOFx\nxEOF\n",
                    false},
        HereDocCase{"a\nb", "EOF", "a\nb\n", true}, HereDocCase{"", "EOF", "", true},
        HereDocCase{"a\n", "EOF", "a\n", true}, HereDocCase{"a\n\nb\n", "", "a\n", false},
        HereDocCase{"x\nE F\ny\n", "E F", "x\n", false},
        HereDocCase{std::string("a\0b\n\0\nEND\n", 11), "END", std::string("a\0b\n\0\n", 6), false},
        HereDocCase{"$HOME `x` \\n\nL\n", "L", "$HOME `x` \\n\n", false}));

TEST(ReadHereDocLarge, LinesLongerThanTheBufferAndLimiterAcrossReads) {
    std::string line(3 << 20, 'x');  // longer than the read buffer
    std::string text = line + "\nEO\n" + line + "EOF\n" + std::string(1 << 20, 'y') + "\n";
    pipex::UniqueFd input = input_holding(text + "EOF\ntrailing\n");
    pipex::HereDoc doc = pipex::read_here_doc(input.get(), "EOF", false);
    EXPECT_EQ(read_all(doc.text.get()), text);
    EXPECT_FALSE(doc.delimited_by_eof);
}

TEST(ReadHereDocLarge, LimiterLongerThanTheBufferIsFound) {
    std::string limiter(2 << 20, 'L');
    pipex::UniqueFd input = input_holding("a\n" + limiter + "x\n" + limiter + "\n");
    pipex::HereDoc doc = pipex::read_here_doc(input.get(), limiter, false);
    EXPECT_EQ(read_all(doc.text.get()), "a\n" + limiter + "x\n");
    EXPECT_FALSE(doc.delimited_by_eof);
}

TEST(ReadHereDocInput, WhatFollowsTheLimiterIsLeftForTheNextReader) {
    pipex::UniqueFd input = input_holding("a\nEOF\nrest\n");
    pipex::HereDoc doc = pipex::read_here_doc(input.get(), "EOF", false);
    EXPECT_EQ(read_all(input.get()), "rest\n");
}

TEST(ReadHereDocInput, ResultIsAnAnonymousCloseOnExecMemfd) {
    pipex::UniqueFd input = input_holding("a\nEOF\n");
    pipex::HereDoc doc = pipex::read_here_doc(input.get(), "EOF", false);
    EXPECT_TRUE(fcntl(doc.text.get(), F_GETFD) & FD_CLOEXEC);
    char link[256] = {};
    std::string proc = "/proc/self/fd/" + std::to_string(doc.text.get());
    ASSERT_GT(readlink(proc.c_str(), link, sizeof link - 1), 0);
    EXPECT_EQ(std::string(link).rfind("/memfd:", 0), 0u) << link;
}

TEST(ReadHereDocInput, ReadsFromAPipeWithWriterAlive) {
    int fds[2];
    ASSERT_EQ(pipe2(fds, O_CLOEXEC), 0);
    pipex::UniqueFd read_end(fds[0]), write_end(fds[1]);
    ASSERT_EQ(write(write_end.get(), "one\ntwo\nSTOP\n", 13), 13);
    // The writer stays open: reading must stop at the limiter, not wait for end-of-file.
    pipex::HereDoc doc = pipex::read_here_doc(read_end.get(), "STOP", false);
    EXPECT_EQ(read_all(doc.text.get()), "one\ntwo\n");
}

}  // namespace
