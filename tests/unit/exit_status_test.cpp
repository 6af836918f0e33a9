// Wait statuses as shell statuses.
#include "pipex/base/exit_status.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

namespace {

int wait_status_of_child_that(void (*body)()) {
    pid_t pid = fork();
    if (pid == 0) {
        body();
        _exit(99);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    return status;
}

TEST(ShellStatus, ExitCodeIsKept) {
    EXPECT_EQ(pipex::shell_status(wait_status_of_child_that([] { _exit(0); })), 0);
    EXPECT_EQ(pipex::shell_status(wait_status_of_child_that([] { _exit(3); })), 3);
    EXPECT_EQ(pipex::shell_status(wait_status_of_child_that([] { _exit(255); })), 255);
}

TEST(ShellStatus, SignalIs128PlusNumber) {
    EXPECT_EQ(pipex::shell_status(wait_status_of_child_that([] { raise(SIGTERM); })),
              128 + SIGTERM);
    EXPECT_EQ(pipex::shell_status(wait_status_of_child_that([] {
                  signal(SIGSEGV, SIG_DFL);
                  raise(SIGSEGV);
              })),
              139);
}

}  // namespace
