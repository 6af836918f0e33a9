// Containment through the library: the descendants and holders a run reports, the policy that
// keeps them, the caller's own children left alone, and durations read and written.
#include "pipex/containment.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <vector>

#include "pipex/pipeline.hpp"

namespace {

using namespace std::chrono_literals;
using pipex::Fate;
using pipex::PipelineBuilder;

bool alive(pid_t pid) { return ::kill(pid, 0) == 0; }

struct Outcome {
    pipex::PipelineResult result;
    std::vector<std::string> lines;
};

Outcome run(PipelineBuilder& builder, pipex::ContainmentOptions containment) {
    Outcome run;
    pipex::RunOptions options;
    options.on_error = [&](std::string_view line) { run.lines.emplace_back(line); };
    options.containment = containment;
    run.result = pipex::run_pipeline(builder.build(), options);
    return run;
}

PipelineBuilder background_sleep() {
    PipelineBuilder builder;
    // Once the sleep runs: named before its exec, it would be named "sh".
    builder.input_text("").command(
        {"sh", "-c",
         "sleep 30 </dev/null >/dev/null 2>&1 &\n"
         "until read c < /proc/$!/comm && [ \"$c\" = sleep ]; do :; done"});
    return builder;
}

TEST(ContainmentLibrary, ADescendantLeftRunningIsEndedAndReported) {
    PipelineBuilder builder = background_sleep();
    Outcome ran = run(builder, {});
    EXPECT_EQ(ran.result.status(), 0);
    ASSERT_EQ(ran.result.descendants.size(), 1u);
    const pipex::Descendant& sleep = ran.result.descendants[0];
    EXPECT_EQ(sleep.program, "sleep");
    EXPECT_EQ(sleep.fate, Fate::Terminated);
    EXPECT_FALSE(alive(sleep.pid));
    ASSERT_EQ(ran.lines.size(), 1u);
    EXPECT_EQ(ran.lines[0], "sleep (pid " + std::to_string(sleep.pid) +
                                "): still running when the pipeline ended: terminated");
}

TEST(ContainmentLibrary, KeptDescendantsBecomeTheCallersChildren) {
    PipelineBuilder builder = background_sleep();
    pipex::ContainmentOptions keep;
    keep.left_running = pipex::LeftRunning::Keep;
    Outcome ran = run(builder, keep);
    ASSERT_EQ(ran.result.descendants.size(), 1u);
    const pid_t sleep = ran.result.descendants[0].pid;
    EXPECT_EQ(ran.result.descendants[0].fate, Fate::Kept);
    EXPECT_TRUE(ran.lines.empty());
    ASSERT_TRUE(alive(sleep));
    ::kill(sleep, SIGKILL);
    EXPECT_EQ(::waitpid(sleep, nullptr, 0), sleep) << "the kept sleep is not the caller's child";
}

TEST(ContainmentLibrary, WaitDelayReportsTheHolderOfAPipe) {
    PipelineBuilder builder;
    builder.input_text("")
        .command({"sh", "-c", "sleep 30 & echo hi"})
        .command({"cat"})
        .output_fd(::open("/dev/null", O_WRONLY | O_CLOEXEC));
    pipex::ContainmentOptions delay;
    delay.wait_delay = 100ms;
    Outcome ran = run(builder, delay);
    EXPECT_EQ(ran.result.status(), 0);
    ASSERT_GE(ran.result.holders.size(), 1u);
    const pipex::PipeHolder& holder = ran.result.holders[0];
    EXPECT_EQ(holder.fd, 1);
    EXPECT_EQ(holder.pipe, 0u);
    EXPECT_EQ(holder.stage, std::optional<int>(0));
    EXPECT_EQ(holder.fate, Fate::Terminated);
    EXPECT_FALSE(alive(holder.pid));
}

TEST(ContainmentLibrary, TheCallersOwnChildrenAreNeitherReapedNorSignalled) {
    const pid_t ended = ::fork();
    if (ended == 0) ::_exit(7);
    const pid_t running = ::fork();
    if (running == 0) {
        ::pause();
        ::_exit(0);
    }
    ASSERT_GT(ended, 0);
    ASSERT_GT(running, 0);
    // The first child is a zombie before the run starts.
    siginfo_t info{};
    ASSERT_EQ(::waitid(P_PID, static_cast<id_t>(ended), &info, WEXITED | WNOWAIT), 0);

    PipelineBuilder builder = background_sleep();
    Outcome ran = run(builder, {});
    EXPECT_EQ(ran.result.status(), 0);
    ASSERT_EQ(ran.result.descendants.size(), 1u);
    EXPECT_FALSE(alive(ran.result.descendants[0].pid));

    int status = 0;
    EXPECT_EQ(::waitpid(ended, &status, WNOHANG), ended) << "the caller's zombie was reaped";
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 7);
    EXPECT_EQ(::waitpid(running, &status, WNOHANG), 0) << "the caller's running child was ended";
    ::kill(running, SIGKILL);
    ::waitpid(running, nullptr, 0);
}

TEST(ContainmentLibrary, TimeoutEndsTheRunWith124) {
    PipelineBuilder builder;
    builder.input_text("").command({"sleep", "30"}).command({"sleep", "30"});
    builder.output_fd(::open("/dev/null", O_WRONLY | O_CLOEXEC));
    pipex::ContainmentOptions timeout;
    timeout.timeout = 100ms;
    Outcome ran = run(builder, timeout);
    EXPECT_TRUE(ran.result.timed_out);
    EXPECT_EQ(ran.result.status(), 124);
    for (const auto& stage : ran.result.stages) EXPECT_EQ(stage.signal, SIGTERM);
    ASSERT_FALSE(ran.lines.empty());
    EXPECT_EQ(ran.lines[0], "pipeline: timed out after 100ms");
}

TEST(Durations, ReadAsTimeoutReadsThem) {
    EXPECT_EQ(pipex::parse_duration("2"), pipex::Duration(2000));
    EXPECT_EQ(pipex::parse_duration("0.5s"), pipex::Duration(500));
    EXPECT_EQ(pipex::parse_duration("300ms"), pipex::Duration(300));
    EXPECT_EQ(pipex::parse_duration("1.5m"), pipex::Duration(90000));
    EXPECT_EQ(pipex::parse_duration("1h"), pipex::Duration(3600000));
    EXPECT_EQ(pipex::parse_duration("1d"), pipex::Duration(86400000));
    EXPECT_EQ(pipex::parse_duration("0.0001"), pipex::Duration(1));
    EXPECT_EQ(pipex::parse_duration("0"), pipex::Duration(0));
    for (const char* bad : {"", "s", ".", "-1", "1e3", "inf", "1.2.3", "1 s", "1x", "1sec"})
        EXPECT_EQ(pipex::parse_duration(bad), std::nullopt) << bad;
    EXPECT_EQ(pipex::parse_duration("99999999999999999999d"), std::nullopt);
}

TEST(Durations, WrittenTheShortestWay) {
    EXPECT_EQ(pipex::format_duration(pipex::Duration(2000)), "2s");
    EXPECT_EQ(pipex::format_duration(pipex::Duration(300)), "300ms");
    EXPECT_EQ(pipex::format_duration(pipex::Duration(1500)), "1.5s");
    EXPECT_EQ(pipex::format_duration(pipex::Duration(1250)), "1.25s");
    EXPECT_EQ(pipex::format_duration(pipex::Duration(0)), "0s");
}

}  // namespace
