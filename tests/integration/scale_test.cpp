// Sizes that would deadlock or truncate a careless implementation, and the library example.
#include <gtest/gtest.h>

#include <string>

#include "process.hpp"

namespace {

using testsupport::RunSpec;
using testsupport::TempDir;

constexpr std::size_t kHereDocBytes = 100u << 20;  // 100 MiB

// Lines of varied length, no line equal to the limiter.
std::string big_text(std::size_t size) {
    std::string text;
    text.reserve(size + 64);
    for (std::size_t i = 0; text.size() < size; ++i)
        text += "line " + std::to_string(i) + std::string(i % 97, '.') + "\n";
    text.resize(size - 1);
    text += '\n';
    return text;
}

testsupport::RunResult run_here_doc(const TempDir& dir, const std::string& first,
                                    const std::string& second, std::string input) {
    return testsupport::run(
        RunSpec{.argv = {PIPEX_BIN, "here_doc", "EOF", first, second, dir / "out"},
                .stdin_data = std::move(input),
                .cwd = dir.path()});
}

TEST(Scale, HundredMiBHereDocReachesTheFirstStageWhole) {
    TempDir dir;
    auto result =
        run_here_doc(dir, "cat", "wc -c", big_text(kHereDocBytes) + "EOF\nnot part of it\n");
    ASSERT_FALSE(result.timed_out);
    EXPECT_EQ(result.shell_status(), 0);
    EXPECT_EQ(result.err, "");
    EXPECT_EQ(testsupport::read_file(dir / "out"), std::to_string(kHereDocBytes) + "\n");
}

TEST(Scale, HundredMiBHereDocThatNobodyReadsDoesNotBlock) {
    TempDir dir;
    auto result = run_here_doc(dir, "true", "cat", big_text(kHereDocBytes) + "EOF\n");
    ASSERT_FALSE(result.timed_out);
    EXPECT_EQ(result.shell_status(), 0);
    EXPECT_EQ(testsupport::read_file(dir / "out"), "");
}

TEST(Scale, HereDocBytesAreExactIncludingNul) {
    TempDir dir;
    std::string text = big_text(3u << 20);
    text[100] = '\0';
    text[text.size() / 2] = '\0';
    auto result = run_here_doc(dir, "cat", "cat", text + "EOF\n");
    EXPECT_EQ(result.shell_status(), 0);
    EXPECT_TRUE(testsupport::read_file(dir / "out") == text)
        << "output differs from the here-doc text";
}

TEST(Scale, ManyStagesPassDataThrough) {
    TempDir dir;
    testsupport::write_file(dir / "in", "through 300 stages\n");
    std::vector<std::string> argv = {PIPEX_BIN, "in"};
    for (int i = 0; i < 300; ++i) argv.push_back(i % 2 ? "cat" : "/bin/cat");
    argv.push_back("out");
    auto result = testsupport::run(RunSpec{.argv = argv, .cwd = dir.path()});
    EXPECT_EQ(result.shell_status(), 0);
    EXPECT_EQ(testsupport::read_file(dir / "out"), "through 300 stages\n");
}

TEST(LibraryExample, CountsDistinctWords) {
    auto result = testsupport::run(RunSpec{.argv = {EXAMPLE_BIN}});
    EXPECT_EQ(result.shell_status(), 0);
    EXPECT_EQ(result.out, "9\n");
    EXPECT_NE(result.err.find("status 0"), std::string::npos) << result.err;
}

// 820 kB in, through five stages, the three most common words back in a string.
TEST(LibraryExample, CaptureKeepsTheOutputInAString) {
    auto result = testsupport::run(RunSpec{.argv = {CAPTURE_EXAMPLE_BIN}});
    EXPECT_EQ(result.shell_status(), 0) << result.err;
    const std::size_t header_end = result.out.find('\n') + 1;
    const std::size_t captured_end = result.out.find("ls said");
    EXPECT_EQ(result.out.substr(0, header_end),
              "captured " + std::to_string(captured_end - header_end) + " bytes:\n")
        << result.out;
    EXPECT_NE(result.out.find("\n  40000 to\n  40000 be\n  20000 the\n"), std::string::npos)
        << result.out;
    EXPECT_NE(result.out.find("\nls said (status 2): ls: "), std::string::npos) << result.out;
    EXPECT_NE(result.out.find("\nlines ls wrote, its errors merged: 1\n"), std::string::npos)
        << result.out;
    EXPECT_NE(result.out.find("\nwords in the capture: 6\n"), std::string::npos) << result.out;
    EXPECT_EQ(result.err, "");
}

TEST(LibraryExample, StreamCountsTheOutputAsItComes) {
    auto result = testsupport::run(RunSpec{.argv = {STREAM_EXAMPLE_BIN}});
    EXPECT_EQ(result.shell_status(), 0) << result.err;
    const std::string head = "status 0: 100000 lines in ";
    ASSERT_EQ(result.out.substr(0, head.size()), head) << result.out;
    const std::size_t chunks = std::stoul(result.out.substr(head.size()));
    EXPECT_GT(chunks, 1u) << "handed over as it came, not all at the end";
    EXPECT_NE(result.out.find(" chunks, the last n=100000\n"
                              "stage 1 ended with 2 and said, in errors.log:\n/tmp/pipex-stream-"),
              std::string::npos)
        << result.out;
    EXPECT_NE(result.out.find("\nls: cannot access 'no-such-file': No such file or directory\n"),
              std::string::npos)
        << result.out;
    EXPECT_EQ(result.err, "");
}

TEST(LibraryExample, ContainmentNamesAndEndsThePipesHolder) {
    auto result = testsupport::run(RunSpec{.argv = {CONTAINMENT_EXAMPLE_BIN}});
    EXPECT_EQ(result.shell_status(), 0) << result.err;
    EXPECT_EQ(result.out, "started\n");
    EXPECT_NE(result.err.find("held the pipe from stage 1 to stage 2 open (fd 1) 500ms after "
                              "stage 1 ended: terminated"),
              std::string::npos)
        << result.err;
    EXPECT_NE(result.err.find("holder: "), std::string::npos) << result.err;
}

}  // namespace
