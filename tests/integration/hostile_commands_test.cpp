// Hostile environments: commands that are symlink loops or dangling symlinks, run by path or
// found through PATH, and PATH entries (empty ones included) that lead to folders. Compared with
// bash; bash_parity_lookup_test.cpp already covers `./dangling` and folder entries with names.
#include <filesystem>

#include "hostile.hpp"

namespace hostile {
namespace {

using parity::expect_same_as_bash;
namespace fs = std::filesystem;

const std::string kDir = parity::kDir;

std::vector<std::string> env_with_path(const std::string& path) {
    return {"PATH=" + path, "HOME=/nonexistent", "LC_ALL=C"};
}

// In the folder: `in`; `loop` -> loop; `ping` -> pong -> ping; `dangling` -> nowhere;
// bin/ holding the same kinds under command names (loop, cat as a loop, tool dangling, ls
// dangling); sub/ a folder with a dangling link into a missing folder.
void links(const std::string& d) {
    testsupport::write_file(d + "/in", "one\ntwo\n");
    fs::create_symlink("loop", d + "/loop");
    fs::create_symlink("pong", d + "/ping");
    fs::create_symlink("ping", d + "/pong");
    fs::create_symlink("nowhere", d + "/dangling");
    parity::make_dir(d + "/bin");
    fs::create_symlink("loop", d + "/bin/loop");
    fs::create_symlink("cat", d + "/bin/cat");
    fs::create_symlink("missing-tool", d + "/bin/tool");
    fs::create_symlink("/nonexistent/ls", d + "/bin/ls");
    parity::make_dir(d + "/sub");
    fs::create_symlink("../nodir/x", d + "/sub/dangling");
}

// --- symlink loops ------------------------------------------------------------------------------

TEST(HostileCommands, SymlinkLoopByPath) {
    expect_same_as_bash({.args = {"in", "cat", "./loop", "out"},
                         .setup = links,
                         .bash_status = 126,
                         .bash_err_has = {"./loop: Too many levels of symbolic links"}});
    expect_same_as_bash(
        {.args = {"in", "./loop", "wc -l", "out"}, .setup = links, .bash_status = 0});
    expect_same_as_bash(
        {.args = {"in", "cat", kDir + "/ping", "out"}, .setup = links, .bash_status = 126});
    expect_same_as_bash(
        {.args = {"in", "cat", "bin/loop", "out"}, .setup = links, .bash_status = 126});
}

TEST(HostileCommands, SymlinkLoopThroughPath) {
    // A loop is no command: not found, or the next PATH entry's program.
    expect_same_as_bash({.args = {"in", "cat", "loop", "out"},
                         .setup = links,
                         .env = env_with_path(kDir + "/bin:/usr/bin:/bin"),
                         .bash_status = 127,
                         .bash_err_has = {"loop: command not found"}});
    expect_same_as_bash({.args = {"in", "/bin/cat", "cat", "out"},
                         .setup = links,
                         .env = env_with_path(kDir + "/bin:/usr/bin:/bin"),
                         .bash_status = 0});
    expect_same_as_bash({.args = {"in", "/bin/cat", "cat", "out"},
                         .setup = links,
                         .env = env_with_path(kDir + "/bin"),
                         .bash_status = 127});
    // Through an empty entry: the current folder holds the loop.
    expect_same_as_bash({.args = {"in", "/bin/cat", "loop", "out"},
                         .setup = links,
                         .env = env_with_path(":/usr/bin"),
                         .bash_status = 127});
    // PATH empty: the word is tried as it is, in the current folder.
    expect_same_as_bash({.args = {"in", "/bin/cat", "loop", "out"},
                         .setup = links,
                         .env = env_with_path(""),
                         .bash_status = 126});
}

TEST(HostileCommands, SymlinkLoopAsInfileAndOutfile) {
    expect_same_as_bash({.args = {"loop", "cat", "wc -l", "out"},
                         .setup = links,
                         .bash_status = 0,
                         .bash_err_has = {"loop: Too many levels of symbolic links"}});
    expect_same_as_bash({.args = {"in", "cat", "touch ran", "ping"},
                         .setup = links,
                         .bash_status = 1,
                         .bash_err_has = {"ping: Too many levels of symbolic links"}});
    expect_same_as_bash({.args = {"here_doc", "END", "cat", "cat", "loop"},
                         .input = "x\nEND\n",
                         .setup = links,
                         .bash_status = 1});
}

// --- dangling symlinks --------------------------------------------------------------------------

TEST(HostileCommands, DanglingSymlinkByPath) {
    expect_same_as_bash({.args = {"in", "cat", "sub/dangling", "out"},
                         .setup = links,
                         .bash_status = 127,
                         .bash_err_has = {"sub/dangling: No such file or directory"}});
    expect_same_as_bash(
        {.args = {"in", kDir + "/dangling", "cat", "out"}, .setup = links, .bash_status = 0});
}

TEST(HostileCommands, DanglingSymlinkThroughPath) {
    expect_same_as_bash({.args = {"in", "cat", "tool", "out"},
                         .setup = links,
                         .env = env_with_path(kDir + "/bin"),
                         .bash_status = 127,
                         .bash_err_has = {"tool: command not found"}});
    // A dangling `ls` first in PATH: the real one further on is used.
    expect_same_as_bash({.args = {"in", "cat", "ls", "out"},
                         .setup = links,
                         .env = env_with_path(kDir + "/bin:/usr/bin:/bin"),
                         .bash_status = 0});
    expect_same_as_bash({.args = {"in", "/bin/cat", "dangling", "out"},
                         .setup = links,
                         .env = env_with_path("/nonexistent::"),
                         .bash_status = 127});
    expect_same_as_bash({.args = {"in", "/bin/cat", "dangling", "out"},
                         .setup = links,
                         .env = env_with_path(""),
                         .bash_status = 127});
}

// --- empty PATH entries leading to folders ----------------------------------------------------

void folders(const std::string& d) {
    testsupport::write_file(d + "/in", "one\ntwo\n");
    parity::make_dir(d + "/cat");   // named like a real program
    parity::make_dir(d + "/tool");  // named like nothing else
    parity::make_dir(d + "/sub");
    parity::make_exec(d + "/sub/tool", "#!/bin/sh\necho sub tool\n");
}

TEST(HostileCommands, EmptyPathEntryFindsAFolder) {
    // The current folder's `cat` is a folder: skipped, the next entry's cat runs.
    expect_same_as_bash({.args = {"in", "cat", "cat", "out"},
                         .setup = folders,
                         .env = env_with_path(":/usr/bin:/bin"),
                         .bash_status = 0});
    expect_same_as_bash({.args = {"in", "cat", "cat", "out"},
                         .setup = folders,
                         .env = env_with_path("/nonexistent::/usr/bin"),
                         .bash_status = 0});
    // Only folders match: not found.
    expect_same_as_bash({.args = {"in", "/bin/cat", "tool", "out"},
                         .setup = folders,
                         .env = env_with_path("/usr/bin:/bin:"),
                         .bash_status = 127,
                         .bash_err_has = {"tool: command not found"}});
    expect_same_as_bash({.args = {"in", "/bin/cat", "tool", "out"},
                         .setup = folders,
                         .env = env_with_path(":"),
                         .bash_status = 127});
    // A folder first, a program later.
    expect_same_as_bash({.args = {"in", "/bin/cat", "tool", "out"},
                         .setup = folders,
                         .env = env_with_path("::sub"),
                         .bash_status = 0});
    // PATH empty: the word itself, a folder.
    expect_same_as_bash({.args = {"in", "/bin/cat", "tool", "out"},
                         .setup = folders,
                         .env = env_with_path(""),
                         .bash_status = 126,
                         .bash_err_has = {"tool: Is a directory"}});
}

}  // namespace
}  // namespace hostile
