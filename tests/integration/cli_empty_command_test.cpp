// A CMD with no words at all has no bash equivalent (`< in | cat` is a syntax error there):
// pipex fails that stage with 127 and names the CMD as given.
#include <gtest/gtest.h>

#include "process.hpp"

namespace {

struct EmptyCase {
    const char* cmd;
    const char* message;
};

TEST(CliEmptyCommand, FailsTheStageWith127AndNamesIt) {
    for (const EmptyCase& c : {EmptyCase{"", "pipex: '': command not found\n"},
                               EmptyCase{" ", "pipex: ' ': command not found\n"},
                               EmptyCase{" \t ", "pipex: ' \t ': command not found\n"}}) {
        testsupport::TempDir dir;
        testsupport::write_file(dir / "in", "data\n");
        auto last =
            testsupport::run({.argv = {PIPEX_BIN, "in", "cat", c.cmd, "out"}, .cwd = dir.path()});
        EXPECT_EQ(last.shell_status(), 127);
        EXPECT_EQ(last.err, c.message);
        auto first =
            testsupport::run({.argv = {PIPEX_BIN, "in", c.cmd, "cat", "out"}, .cwd = dir.path()});
        EXPECT_EQ(first.shell_status(), 0) << "the other stages still run";
        EXPECT_EQ(first.err, c.message);
    }
}

}  // namespace
