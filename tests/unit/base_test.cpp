// The base layer every pipex program stands on: UTF-8, pipes off the std fds, dying by a signal,
// wait statuses in words, and bash's wording of a failed exec.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>

#include "pipex/base/exec_failure.hpp"
#include "pipex/base/exit_status.hpp"
#include "pipex/base/pipe.hpp"
#include "pipex/base/signals.hpp"
#include "pipex/base/utf8.hpp"
#include "process.hpp"

namespace {

std::size_t utf8_length(std::string_view bytes) {
    std::optional<pipex::Utf8Char> character = pipex::decode_utf8(bytes, 0);
    return character ? character->length : 0;
}

TEST(Utf8, DecodesEveryLengthToItsCodePoint) {
    EXPECT_EQ(pipex::decode_utf8("A", 0)->code_point, U'A');
    EXPECT_EQ(pipex::decode_utf8("\x01", 0)->code_point, 1u);  // a control character is a character
    EXPECT_EQ(pipex::decode_utf8("\xc3\xa9", 0)->code_point, U'\u00e9');
    EXPECT_EQ(pipex::decode_utf8("\xe2\x82\xac", 0)->code_point, U'\u20ac');
    EXPECT_EQ(pipex::decode_utf8("\xf0\x9f\x98\x80", 0)->code_point, U'\U0001f600');
    EXPECT_EQ(utf8_length("\xf4\x8f\xbf\xbf"), 4u);  // U+10FFFF, the last one
    EXPECT_EQ(pipex::decode_utf8("x\xc3\xa9", 1)->length, 2u);
}

TEST(Utf8, RefusesWhatIsNotUtf8) {
    EXPECT_EQ(utf8_length("\x80"), 0u);      // a stray continuation byte
    EXPECT_EQ(utf8_length("\xc0\x80"), 0u);  // overlong forms
    EXPECT_EQ(utf8_length("\xe0\x80\x80"), 0u);
    EXPECT_EQ(utf8_length("\xf0\x80\x80\x80"), 0u);
    EXPECT_EQ(utf8_length("\xed\xa0\x80"), 0u);      // a surrogate
    EXPECT_EQ(utf8_length("\xf4\x90\x80\x80"), 0u);  // past U+10FFFF
    EXPECT_EQ(utf8_length("\xf5\x80\x80\x80"), 0u);
    EXPECT_EQ(utf8_length("\xe2\x82"), 0u);  // cut short
    EXPECT_EQ(utf8_length("\xc3("), 0u);     // not followed by a continuation
}

// A pipe made while stdin is closed must not become stdin.
TEST(MakePipe, EndsAreNeverStdFdsEvenWhenOneIsClosed) {
    const int saved = ::fcntl(0, F_DUPFD_CLOEXEC, 10);
    ASSERT_GE(saved, 0);
    ::close(0);
    pipex::Pipe pipe = pipex::make_pipe();
    ::dup2(saved, 0);
    ::close(saved);
    EXPECT_GT(pipe.read_end.get(), 2);
    EXPECT_GT(pipe.write_end.get(), 2);
    EXPECT_EQ(::fcntl(pipe.read_end.get(), F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
    EXPECT_EQ(::fcntl(pipe.write_end.get(), F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
}

int status_of_child_dying_by(int signal, bool blocked, bool handled) {
    pid_t pid = ::fork();
    if (pid == 0) {
        if (handled) ::signal(signal, [](int) { ::_exit(42); });
        if (blocked) {
            sigset_t set;
            sigemptyset(&set);
            sigaddset(&set, signal);
            ::sigprocmask(SIG_BLOCK, &set, nullptr);
        }
        pipex::die_by_signal(signal);
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    return status;
}

// pipex calls it with the signal handled, pipex-audit with it blocked: both must die of it.
TEST(DieBySignal, DiesOfTheSignalWhateverItsMaskAndHandler) {
    for (bool blocked : {false, true}) {
        for (bool handled : {false, true}) {
            int status = status_of_child_dying_by(SIGTERM, blocked, handled);
            EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM)
                << "blocked " << blocked << ", handled " << handled << ": " << status;
        }
    }
}

TEST(DescribeWaitStatus, ExitCodeOrSignalWithItsShellStatus) {
    EXPECT_EQ(pipex::describe_wait_status(3 << 8), "exit 3");
    EXPECT_EQ(pipex::describe_wait_status(SIGKILL), "SIGKILL (137)");
    EXPECT_EQ(pipex::signal_name(SIGQUIT), "SIGQUIT");
    EXPECT_TRUE(pipex::is_stop_signal(SIGHUP));
    EXPECT_FALSE(pipex::is_stop_signal(SIGKILL));
}

TEST(ExecFailure, WordedAsBashWordsIt) {
    testsupport::TempDir dir;
    testsupport::write_file(dir / "plain", "echo\n", 0644);
    testsupport::write_file(dir / "script", "#!/no/such/sh\necho\n", 0755);
    EXPECT_EQ(pipex::explain_exec_failure(dir.path(), EACCES).message,
              dir.path() + ": Is a directory");
    EXPECT_EQ(pipex::explain_exec_failure(dir.path(), EACCES).status, 126);
    const pipex::ExecFailure missing = pipex::explain_exec_failure(dir / "none", ENOENT);
    EXPECT_EQ(missing.message, dir / "none" + ": No such file or directory");
    EXPECT_EQ(missing.status, 127);
    EXPECT_EQ(pipex::explain_exec_failure(dir / "plain", EACCES).message,
              dir / "plain" + ": Permission denied");
    // bash 5.2: a missing interpreter is "required file not found"; other errors name it.
    EXPECT_EQ(pipex::explain_exec_failure(dir / "script", ENOENT).message,
              dir / "script" + ": cannot execute: required file not found");
    EXPECT_EQ(pipex::explain_exec_failure(dir / "script", EACCES).message,
              dir / "script" + ": /no/such/sh: bad interpreter: Permission denied");
    EXPECT_EQ(pipex::command_not_found("no\tthing").message, "$'no\\tthing': command not found");
    EXPECT_EQ(pipex::command_not_found("x").status, 127);
}

}  // namespace
