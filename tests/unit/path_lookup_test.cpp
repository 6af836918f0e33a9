// Finding a command's file in PATH as bash does.
#include "pipex/path_lookup.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "process.hpp"

namespace {

using pipex::find_command;
using testsupport::TempDir;
using testsupport::write_file;

class PathLookup : public ::testing::Test {
protected:
    void SetUp() override {
        for (const char* folder : {"a", "b", "c", "tool"}) ::mkdir((dir / folder).c_str(), 0755);
        ::mkdir((dir / "c/tool").c_str(), 0755);   // a folder named like the command
        write_file(dir / "a/tool", "data", 0644);  // found but not executable
        write_file(dir / "b/tool", "#!/bin/sh\n", 0755);
        write_file(dir / "b/other", "#!/bin/sh\n", 0755);
    }
    std::string path(std::initializer_list<const char*> folders) {
        std::string joined;
        for (const char* f : folders) joined += (joined.empty() ? "" : ":") + (dir / f);
        return joined;
    }
    TempDir dir;
};

TEST_F(PathLookup, FirstExecutableWinsOverEarlierNonExecutable) {
    EXPECT_EQ(find_command("tool", path({"a", "b"})), dir / "b/tool");
}

TEST_F(PathLookup, NonExecutableIsUsedWhenNothingElseMatches) {
    EXPECT_EQ(find_command("tool", path({"c", "a"})), dir / "a/tool");
}

TEST_F(PathLookup, FoldersAreSkipped) {
    EXPECT_EQ(find_command("tool", path({"c"})), std::nullopt);
    EXPECT_EQ(find_command("tool", path({"c", "b"})), dir / "b/tool");
}

TEST_F(PathLookup, NotFound) {
    EXPECT_EQ(find_command("nosuch", path({"a", "b", "c"})), std::nullopt);
}

TEST_F(PathLookup, NameWithSlashIsNeverSearched) {
    EXPECT_EQ(find_command("./tool", path({"b"})), "./tool");
    EXPECT_EQ(find_command("/no/such/thing", path({"b"})), "/no/such/thing");
}

TEST_F(PathLookup, EmptyEntryMeansCurrentFolder) {
    ASSERT_EQ(::chdir((dir / "b").c_str()), 0);
    EXPECT_EQ(find_command("other", std::string("/nonexistent::") + (dir / "a")), "./other");
    EXPECT_EQ(find_command("other", std::string(":/nonexistent")), "./other");
    EXPECT_EQ(find_command("other", std::string("/nonexistent")), std::nullopt);
    ASSERT_EQ(::chdir("/"), 0);
}

TEST_F(PathLookup, EmptyPathLeavesTheNameAsGiven) {
    EXPECT_EQ(find_command("cat", std::string("")), "cat");
}

TEST_F(PathLookup, UnsetPathUsesBashDefaultWithCurrentFolder) {
    EXPECT_EQ(find_command("sh", std::nullopt), "/usr/bin/sh");
    ASSERT_EQ(::chdir((dir / "b").c_str()), 0);
    EXPECT_EQ(find_command("other", std::nullopt), "./other");
    ASSERT_EQ(::chdir("/"), 0);
}

}  // namespace
