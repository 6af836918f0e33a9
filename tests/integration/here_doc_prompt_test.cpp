// The "> " prompt of the here_doc form appears on stderr when stdin is a terminal, and only then.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <pty.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>

#include "process.hpp"

namespace {

struct PromptRun {
    std::string err;
    int status = -1;
};

// Runs pipex here_doc with a pseudo-terminal as stdin, typing `lines` into it, and captures
// stderr through a pipe.
PromptRun run_with_terminal_stdin(const testsupport::TempDir& dir, const std::string& lines) {
    int master = -1, terminal = -1;
    if (openpty(&master, &terminal, nullptr, nullptr, nullptr) != 0) return {};
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
    close(terminal);
    close(err[1]);
    // Typed one line at a time, as a person would; the terminal hands pipex one line per read.
    (void)!write(master, lines.data(), lines.size());
    PromptRun run;
    char buffer[4096];
    ssize_t got;
    while ((got = read(err[0], buffer, sizeof buffer)) > 0)
        run.err.append(buffer, static_cast<size_t>(got));
    int status = 0;
    waitpid(pid, &status, 0);
    run.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
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

}  // namespace
