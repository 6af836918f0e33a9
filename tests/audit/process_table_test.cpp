// The process table on its own: a new task's reports and its creator's, in either order.
#include "audit/trace/process_table.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

namespace pipex::audit {
namespace {

// A child of the test that has exited and is still a zombie, as a traced child is once the
// tracer has read its end while its parent is held at the fork event's stop.
pid_t zombie_child() {
    pid_t pid = ::fork();
    if (pid == 0) ::_exit(0);
    siginfo_t info{};
    EXPECT_EQ(::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOWAIT), 0);
    return pid;
}

void reap(pid_t pid) {
    int status = 0;
    EXPECT_EQ(::waitpid(pid, &status, 0), pid);
}

TEST(ProcessTable, ChildWhoseWholeLifeCameBeforeItsForkEventIsOneProcess) {
    ProcessTable table;
    const std::size_t top = table.add_top(::getpid());
    const pid_t child = zombie_child();
    const std::size_t seen = table.task(child);  // its first stop
    table.task_exiting(child);
    ASSERT_EQ(table.task_ended(child), seen);
    table[seen].phase = Phase::Dead;

    table.task_created(child, ::getpid());  // the parent's fork event, read last
    EXPECT_EQ(table.size(), 2u);
    EXPECT_EQ(table[top].children, std::vector<std::size_t>{seen});
    EXPECT_EQ(table.not_ended(), std::vector<std::size_t>{top});
    reap(child);
}

TEST(ProcessTable, ChildAnnouncedBeforeItsFirstStopIsOneProcess) {
    ProcessTable table;
    const std::size_t top = table.add_top(::getpid());
    const pid_t child = ::fork();
    if (child == 0) {
        ::pause();
        ::_exit(0);
    }
    table.task_created(child, ::getpid());
    EXPECT_EQ(table.size(), 2u);
    EXPECT_EQ(table.task(child), 1u);
    EXPECT_EQ(table.size(), 2u);
    EXPECT_EQ(table[1].parent, top);
    ::kill(child, SIGKILL);
    reap(child);
}

}  // namespace
}  // namespace pipex::audit
