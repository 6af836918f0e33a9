// The "> " prompt of the here_doc form appears on stderr when stdin is a terminal, and only then;
// a terminal or pipe left in non-blocking mode is waited for, as bash waits.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <pty.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>

#include "process.hpp"

namespace {

struct PromptRun {
    std::string err;
    int status = -1;
    bool left_non_blocking = false;  // the terminal's flags after pipex, when it was non-blocking
};

bool non_blocking(int fd) { return (fcntl(fd, F_GETFL) & O_NONBLOCK) != 0; }

// Runs pipex here_doc with a pseudo-terminal as stdin, typing `lines` into it once pipex has
// prompted for the first one, and captures stderr through a pipe. With `nonblocking`, the
// terminal is in non-blocking mode from before pipex starts: pipex's first read finds nothing.
PromptRun run_with_terminal_stdin(const testsupport::TempDir& dir, const std::string& lines,
                                  bool nonblocking = false) {
    int master = -1, terminal = -1;
    if (openpty(&master, &terminal, nullptr, nullptr, nullptr) != 0) return {};
    if (nonblocking && fcntl(terminal, F_SETFL, fcntl(terminal, F_GETFL) | O_NONBLOCK) != 0)
        return {};
    int err[2];
    if (pipe2(err, O_CLOEXEC) != 0) return {};
    pid_t pid = fork();
    if (pid == 0) {
        setsid();
        dup2(terminal, 0);
        dup2(err[1], 2);
        int null = open("/dev/null", O_WRONLY);
        dup2(null, 1);
        std::string out = dir / "out";
        execl(PIPEX_BIN, PIPEX_BIN, "here_doc", "END", "cat", "cat", out.c_str(),
              static_cast<char*>(nullptr));
        _exit(125);
    }
    close(err[1]);
    PromptRun run;
    char buffer[4096];
    ssize_t got;
    // The first prompt is written just before the first read: typing waits for it.
    while (run.err.empty() && (got = read(err[0], buffer, sizeof buffer)) > 0)
        run.err.append(buffer, static_cast<size_t>(got));
    // Typed one line at a time, as a person would; the terminal hands pipex one line per read.
    (void)!write(master, lines.data(), lines.size());
    while ((got = read(err[0], buffer, sizeof buffer)) > 0)
        run.err.append(buffer, static_cast<size_t>(got));
    int status = 0;
    waitpid(pid, &status, 0);
    run.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    run.left_non_blocking = non_blocking(terminal);
    close(terminal);
    close(err[0]);
    close(master);
    return run;
}

TEST(HereDocPrompt, ShownOnStderrWhenStdinIsATerminal) {
    testsupport::TempDir dir;
    PromptRun run = run_with_terminal_stdin(dir, "first\nEND\n");
    EXPECT_EQ(run.status, 0);
    EXPECT_EQ(run.err, "> > ") << "one prompt before each line read";
    EXPECT_EQ(testsupport::read_file(dir / "out"), "first\n");
}

TEST(HereDocPrompt, NotShownWhenStdinIsNotATerminal) {
    testsupport::TempDir dir;
    auto result = testsupport::run(
        testsupport::RunSpec{.argv = {PIPEX_BIN, "here_doc", "END", "cat", "cat", dir / "out"},
                             .stdin_data = "first\nEND\n"});
    EXPECT_EQ(result.shell_status(), 0);
    EXPECT_EQ(result.err, "");
    EXPECT_EQ(testsupport::read_file(dir / "out"), "first\n");
}

// bash waits for the text; pipex once said "here-document: read: Resource temporarily
// unavailable". The terminal's flags are shared with its other users: they stay as they were.
TEST(HereDocNonBlocking, FromATerminalTheTextIsWaitedFor) {
    testsupport::TempDir dir;
    PromptRun run = run_with_terminal_stdin(dir, "first\nsecond\nEND\n", /*nonblocking=*/true);
    EXPECT_EQ(run.status, 0) << run.err;
    EXPECT_EQ(run.err, "> > > ");
    EXPECT_EQ(testsupport::read_file(dir / "out"), "first\nsecond\n");
    EXPECT_TRUE(run.left_non_blocking);
}

// Streamed from a pipe in non-blocking mode whose writer starts late.
TEST(HereDocNonBlocking, FromAPipeTheTextIsWaitedFor) {
    testsupport::TempDir dir;
    auto result = testsupport::run(testsupport::RunSpec{
        .argv = {PIPEX_BIN, "here_doc", "END", "cat", "cat", dir / "out"},
        .stdin_data = "first\nEND\n",
        .in_child = [] { fcntl(0, F_SETFL, fcntl(0, F_GETFL) | O_NONBLOCK); },
        // Not a measure: only makes pipex find nothing when it first reads.
        .on_started = [](int) { std::this_thread::sleep_for(std::chrono::milliseconds(200)); }});
    EXPECT_EQ(result.shell_status(), 0) << result.err;
    EXPECT_EQ(result.err, "");
    EXPECT_EQ(testsupport::read_file(dir / "out"), "first\n");
}

}  // namespace
