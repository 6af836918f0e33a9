// Finding and starting each command as bash does: errors of commands that cannot run, scripts
// without #!, and the PATH search (folders, non-executable files, empty or missing PATH).
#include <gtest/gtest.h>

#include <filesystem>
#include <ostream>
#include <string>

#include "bash_parity.hpp"

namespace {

using parity::expect_same_as_bash;
using parity::make_dir;
using parity::make_exec;

const std::string kText = "some input\nmore input\n";

// Every kind of command file, in the folder of the run.
void programs(const std::string& d) {
    testsupport::write_file(d + "/in", kText);
    testsupport::write_file(d + "/noexec", "echo should not run\n", 0644);
    make_exec(d + "/script", "echo from script\nprintf '[%s]\\n' \"$@\"\n");
    make_exec(d + "/shebang", "#!/bin/sh\nprintf '[%s]\\n' \"$0\" \"$@\"\ncat\n");
    make_exec(d + "/badint", "#!/bin/nosuchinterp\necho hi\n");
    make_exec(d + "/bin", std::string("\x7f"
                                      "ELF\0\0garbage",
                                      12));
    make_exec(d + "/empty", "");
    make_dir(d + "/sub");
    make_exec(d + "/sub/tool", "#!/bin/sh\necho sub tool\n");
    // Interpreters that cannot run: a folder, a file without execute permission, a script whose
    // own interpreter is a folder, a line ending in CR (so a missing file).
    make_exec(d + "/intdir", "#!/tmp\necho hi\n");
    make_exec(d + "/intnoexec", "#!" + d + "/noexec\necho hi\n");
    make_exec(d + "/intnested", "#!" + d + "/intdir\necho hi\n");
    make_exec(d + "/intcrlf", "#!/bin/sh\r\necho hi\n");
    // Interpreters that are a text script without #! or a script with an option.
    make_exec(d + "/inttext", "#!" + d + "/script\necho body\n");
    make_exec(d + "/intopt", "#!/bin/sh -e\necho with option\ncat\n");
    std::filesystem::create_symlink("/tmp", d + "/dirlink");
    std::filesystem::create_symlink("sub/tool", d + "/toollink");
    std::filesystem::create_symlink("nowhere", d + "/dangling");
}

struct Command {
    const char* name;  // test name
    const char* cmd;
    int status;  // bash's status when it is the last stage
};

void PrintTo(const Command& c, std::ostream* os) { *os << c.cmd; }

class CommandKinds : public testing::TestWithParam<Command> {};

TEST_P(CommandKinds, AsLastStage) {
    expect_same_as_bash({.args = {"in", "cat", GetParam().cmd, "out"},
                         .setup = programs,
                         .bash_status = GetParam().status});
}

TEST_P(CommandKinds, AsFirstStage) {
    expect_same_as_bash(
        {.args = {"in", GetParam().cmd, "cat", "out"}, .setup = programs, .bash_status = 0});
}

TEST_P(CommandKinds, AsMiddleStage) {
    expect_same_as_bash({.args = {"in", "cat", GetParam().cmd, "wc -l", "out"},
                         .setup = programs,
                         .bash_status = 0});
}

INSTANTIATE_TEST_SUITE_P(
    BashParity, CommandKinds,
    testing::Values(
        Command{"NotFound", "nosuch", 127}, Command{"NotFoundWithArgs", "nosuch -x 'y z'", 127},
        Command{"SystemFolder", "/tmp", 126}, Command{"LocalFolder", "./sub", 126},
        Command{"LocalFolderTrailingSlash", "sub/", 126},
        Command{"MissingRelative", "./nosuch", 127},
        Command{"MissingAbsolute", "/nonexistent/cmd", 127},
        Command{"MissingInSubfolder", "sub/nosuch", 127}, Command{"NotExecutable", "./noexec", 126},
        Command{"ScriptWithoutShebang", "./script a 'b c'", 0},
        Command{"EmptyExecutable", "./empty", 0}, Command{"ScriptWithShebang", "./shebang x", 0},
        Command{"RelativeWithSlash", "sub/tool", 0}, Command{"MissingInterpreter", "./badint", 127},
        Command{"BinaryGarbage", "./bin", 126}, Command{"InterpreterIsAFolder", "./intdir", 126},
        Command{"InterpreterNotExecutable", "./intnoexec", 126},
        Command{"InterpreterWithBadInterpreter", "./intnested", 126},
        Command{"InterpreterWithCarriageReturn", "./intcrlf", 127},
        Command{"InterpreterWithoutShebang", "./inttext", 0},
        Command{"InterpreterWithOption", "./intopt", 0}, Command{"ThroughAFile", "in/cat", 126},
        Command{"SymlinkToFolder", "./dirlink", 126}, Command{"SymlinkToProgram", "./toollink", 0},
        Command{"DanglingSymlink", "./dangling", 127}, Command{"AbsoluteProgram", "/bin/cat", 0},
        Command{"EmptyWord", "''", 127}),
    [](const testing::TestParamInfo<Command>& param) { return std::string(param.param.name); });

TEST(BashParity, MessagesForEveryKindOfFailureAtOnce) {
    auto cmp = expect_same_as_bash(
        {.args = {"missing", "nosuch", "./noexec", "/tmp", "./badint", "./bin", "./nosuch", "out"},
         .setup = programs,
         .bash_status = 127});
    // The first stage never runs: one line for the infile, one for each later stage.
    EXPECT_EQ(cmp.bash.err_lines.size(), 6u);
}

TEST(BashParity, NotExecutableForUnprivilegedUser) {
    SKIP_UNLESS_ABLE_TO_RUN_AS_NOBODY();
    // Executable by its owner (root) only.
    expect_same_as_bash({.args = {"in", "cat", "./rootonly", "out"},
                         .setup =
                             [](const std::string& d) {
                                 programs(d);
                                 make_exec(d + "/rootonly", "#!/bin/sh\necho ran\n", 0744);
                             },
                         .as_nobody = true,
                         .bash_status = 126,
                         .bash_err_has = {"./rootonly: Permission denied"}});
}

TEST(BashParity, OverlongNames) {
    const std::string name(300, 'n');  // longer than NAME_MAX
    expect_same_as_bash(
        {.args = {"in", "cat", name, "out"}, .setup = programs, .bash_status = 127});
    expect_same_as_bash({.args = {"in", "cat", "./" + name, "out"},
                         .setup = programs,
                         .bash_status = 126,
                         .bash_err_has = {"File name too long"}});
}

// --- PATH search ---------------------------------------------------------------------------

std::vector<std::string> env_with_path(const std::string& path) {
    return {"PATH=" + path, "HOME=/nonexistent", "LC_ALL=C"};
}

const std::string kDir = parity::kDir;

TEST(BashParity, PathSkipsFolderNamedLikeTheCommand) {
    expect_same_as_bash({.args = {"in", "cat", "cat", "out"},
                         .setup =
                             [](const std::string& d) {
                                 programs(d);
                                 make_dir(d + "/d1/cat");
                             },
                         .env = env_with_path(kDir + "/d1:/usr/bin:/bin"),
                         .bash_status = 0});
}

TEST(BashParity, PathNonExecutableFileUsedOnlyWhenNothingElse) {
    auto setup = [](const std::string& d) {
        programs(d);
        make_dir(d + "/p1");
        make_dir(d + "/p2");
        make_dir(d + "/p3");
        testsupport::write_file(d + "/p1/tool", "echo p1\n", 0644);
        testsupport::write_file(d + "/p2/tool", "echo p2\n", 0644);
        make_exec(d + "/p3/tool", "#!/bin/sh\necho p3\n");
    };
    // Only non-executable ones: the first is reported with its full path.
    expect_same_as_bash({.args = {"in", "/bin/cat", "tool", "out"},
                         .setup = setup,
                         .env = env_with_path(kDir + "/p1:" + kDir + "/p2"),
                         .bash_status = 126,
                         .bash_err_has = {"/p1/tool: Permission denied"}});
    // An executable one later in PATH wins.
    expect_same_as_bash({.args = {"in", "/bin/cat", "tool", "out"},
                         .setup = setup,
                         .env = env_with_path(kDir + "/p1:" + kDir + "/p2:" + kDir + "/p3"),
                         .bash_status = 0});
    // Relative PATH entries give relative messages.
    expect_same_as_bash({.args = {"in", "/bin/cat", "tool", "out"},
                         .setup = setup,
                         .env = env_with_path("p1:p2:nonexistent"),
                         .bash_status = 126,
                         .bash_err_has = {"p1/tool: Permission denied"}});
}

TEST(BashParity, PathFirstExecutableWins) {
    expect_same_as_bash({.args = {"in", "/bin/cat", "tool", "out"},
                         .setup =
                             [](const std::string& d) {
                                 programs(d);
                                 make_dir(d + "/p1");
                                 make_dir(d + "/p2");
                                 make_exec(d + "/p1/tool", "#!/bin/sh\necho p1\n");
                                 make_exec(d + "/p2/tool", "#!/bin/sh\necho p2\n");
                             },
                         .env = env_with_path("/nonexistent:" + kDir + "/p2:" + kDir + "/p1"),
                         .bash_status = 0});
}

void with_mycat(const std::string& d) {
    programs(d);
    parity::copy_exec("/bin/cat", d + "/mycat");
}

TEST(BashParity, EmptyPathSearchesOnlyTheCurrentFolder) {
    expect_same_as_bash({.args = {"in", "/bin/cat", "cat", "out"},
                         .setup = with_mycat,
                         .env = env_with_path(""),
                         .bash_status = 127,
                         .bash_err_has = {"cat: No such file or directory"}});
    expect_same_as_bash({.args = {"in", "/bin/cat", "mycat", "out"},
                         .setup = with_mycat,
                         .env = env_with_path(""),
                         .bash_status = 0});
}

TEST(BashParity, PathOfEmptyEntriesSearchesTheCurrentFolder) {
    expect_same_as_bash({.args = {"in", "/bin/cat", "nosuch", "out"},
                         .setup = with_mycat,
                         .env = env_with_path(":"),
                         .bash_status = 127,
                         .bash_err_has = {"nosuch: command not found"}});
    expect_same_as_bash({.args = {"in", "/bin/cat", "mycat", "out"},
                         .setup = with_mycat,
                         .env = env_with_path(":"),
                         .bash_status = 0});
    expect_same_as_bash({.args = {"in", "mycat", "mycat", "out"},
                         .setup = with_mycat,
                         .env = env_with_path("/nonexistent::/usr/bin"),
                         .bash_status = 0});
    expect_same_as_bash({.args = {"in", "cat", "mycat", "out"},
                         .setup = with_mycat,
                         .env = env_with_path("/usr/bin:/bin:"),
                         .bash_status = 0});
}

TEST(BashParity, UnsetPathUsesBashDefault) {
    const std::vector<std::string> no_path = {"HOME=/nonexistent", "LC_ALL=C"};
    // The default ends with `.`: a program in the current folder is found...
    expect_same_as_bash({.args = {"in", "cat", "mycat", "out"},
                         .setup = with_mycat,
                         .env = no_path,
                         .bash_status = 0});
    // ...as are the system folders.
    expect_same_as_bash({.args = {"in", "head -n 1", "tr a-z A-Z", "out"},
                         .setup = with_mycat,
                         .env = no_path,
                         .bash_status = 0});
    expect_same_as_bash({.args = {"in", "cat", "nosuch", "out"},
                         .setup = with_mycat,
                         .env = std::vector<std::string>{},
                         .bash_status = 127,
                         .bash_err_has = {"nosuch: command not found"}});
}

TEST(BashParity, CurrentFolderNotSearchedUnlessInPath) {
    expect_same_as_bash({.args = {"in", "cat", "mycat", "out"},
                         .setup = with_mycat,
                         .env = env_with_path("/usr/bin:/bin"),
                         .bash_status = 127,
                         .bash_err_has = {"mycat: command not found"}});
}

TEST(BashParity, WordWithSlashIsNeverSearched) {
    auto setup = [](const std::string& d) {
        programs(d);
        make_dir(d + "/p1/deep");
        make_exec(d + "/p1/deep/tool", "#!/bin/sh\necho found in path\n");
    };
    expect_same_as_bash({.args = {"in", "cat", "deep/tool", "out"},
                         .setup = setup,
                         .env = env_with_path(kDir + "/p1:/usr/bin:/bin"),
                         .bash_status = 127,
                         .bash_err_has = {"deep/tool: No such file or directory"}});
    // sub/tool exists relative to the current folder, whatever PATH says.
    expect_same_as_bash({.args = {"in", "cat", "sub/tool", "out"},
                         .setup = setup,
                         .env = env_with_path("/nonexistent"),
                         .bash_status = 0});
}

TEST(BashParity, PathEntryThatIsAFileIsSkipped) {
    expect_same_as_bash({.args = {"in", "cat", "cat", "out"},
                         .setup = programs,
                         .env = env_with_path(kDir + "/in:/usr/bin:/bin"),
                         .bash_status = 0});
}

TEST(BashParity, PathFolderNotSearchableIsSkipped) {
    SKIP_UNLESS_ABLE_TO_RUN_AS_NOBODY();
    auto setup = [](const std::string& d) {
        programs(d);
        make_dir(d + "/locked", 0700);
        make_exec(d + "/locked/cat", "#!/bin/sh\necho locked\n");
    };
    expect_same_as_bash({.args = {"in", "cat", "cat", "out"},
                         .setup = setup,
                         .env = env_with_path(kDir + "/locked:/usr/bin:/bin"),
                         .as_nobody = true,
                         .bash_status = 0});
    expect_same_as_bash({.args = {"in", "/bin/cat", "cat", "out"},
                         .setup = setup,
                         .env = env_with_path(kDir + "/locked"),
                         .as_nobody = true,
                         .bash_status = 127});
}

TEST(BashParity, PathWithRelativeEntryFindsProgram) {
    expect_same_as_bash({.args = {"in", "cat", "tool", "out"},
                         .setup = programs,
                         .env = env_with_path("/nonexistent:sub:/usr/bin:/bin"),
                         .bash_status = 0});
}

}  // namespace
