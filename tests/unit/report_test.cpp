// The engine's report: PipelineResult::status() under pipefail, and what report_table and
// report_json say of a result built by hand (stages that ran, one that did not, bytes missing).
#include "pipex/report.hpp"

#include <gtest/gtest.h>
#include <signal.h>

#include <string>
#include <vector>

namespace pipex {
namespace {

StageResult ran(pid_t pid, int status, int signal = 0) {
    StageResult stage;
    stage.pid = pid;
    stage.status = status;
    stage.signal = signal;
    stage.usage.wall = std::chrono::milliseconds(20);
    stage.usage.peak_memory_kib = 1500;
    return stage;
}

PipelineResult with_statuses(const std::vector<int>& statuses, bool pipefail) {
    PipelineResult result;
    pid_t pid = 100;
    for (int status : statuses) result.stages.push_back(ran(pid++, status));
    result.pipefail = pipefail;
    return result;
}

TEST(PipelineStatus, IsTheLastStagesWithoutPipefail) {
    EXPECT_EQ(with_statuses({3, 5, 0}, false).status(), 0);
    EXPECT_EQ(with_statuses({0, 0, 7}, false).status(), 7);
}

TEST(PipelineStatus, IsTheLastNonZeroWithPipefail) {
    EXPECT_EQ(with_statuses({3, 5, 0}, true).status(), 5);
    EXPECT_EQ(with_statuses({3, 0, 0}, true).status(), 3);
    EXPECT_EQ(with_statuses({0, 0, 0}, true).status(), 0);
    EXPECT_EQ(with_statuses({141, 0}, true).status(), 141);
}

TEST(PipelineStatus, TimeoutAndFailureWinOverPipefail) {
    PipelineResult result = with_statuses({3, 0}, true);
    result.timed_out = true;
    EXPECT_EQ(result.status(), 124);
    result.timed_out = false;
    result.failure = "pipe: Too many open files";
    EXPECT_EQ(result.status(), 1);
}

PipelineSpec three_commands() {
    return PipelineBuilder()
        .command({"yes"})
        .command_line("head -n 1")
        .command_line("nosuch")
        .build();
}

PipelineResult three_stages() {
    PipelineResult result;
    result.stages.push_back(ran(100, 141, SIGPIPE));
    result.stages[0].benign_sigpipe = true;
    result.stages[0].usage.bytes_read = 832;
    result.stages[0].usage.bytes_written = 65536;
    result.stages.push_back(ran(101, 0));
    result.stages[1].usage.wall = std::chrono::milliseconds(900);
    result.stages[1].usage.bytes_unavailable = "/proc/101/io: Permission denied";
    StageResult missing;
    missing.status = 127;
    missing.error = "nosuch: command not found";
    result.stages.push_back(missing);
    result.descendants.push_back(Descendant{200, "sleep", 0, Fate::Killed});
    return result;
}

TEST(ReportTable, SaysHowEachStageEndedAndMarksTheSlowest) {
    const std::string table = report_table(three_commands(), three_stages());
    EXPECT_EQ(table.rfind("pipex: report: 3 stages in 0.000 s, status 127\n", 0), 0u) << table;
    EXPECT_NE(table.find("SIGPIPE (benign)"), std::string::npos) << table;
    EXPECT_NE(table.find("64.0 KiB"), std::string::npos) << table;
    EXPECT_NE(table.find("0.900 s"), std::string::npos) << table;
    EXPECT_NE(table.find("not started (127)"), std::string::npos) << table;
    EXPECT_NE(table.find("slowest"), std::string::npos) << table;
    EXPECT_NE(table.find("read, written n/a (stage 2): /proc/101/io: Permission denied"),
              std::string::npos)
        << table;
    EXPECT_NE(table.find("sleep (pid 200, started by stage 1): killed"), std::string::npos)
        << table;
    // The slowest mark is on head's row.
    const std::size_t head_row = table.find("head -n 1");
    ASSERT_NE(head_row, std::string::npos);
    EXPECT_GT(table.find("slowest"), head_row) << table;
}

TEST(ReportJson, NullsWhatCouldNotBeHad) {
    const std::string text = report_json(three_commands(), three_stages());
    EXPECT_NE(text.find("\"schema_version\": 1"), std::string::npos) << text;
    EXPECT_NE(text.find("\"bytes_unavailable\": \"/proc/101/io: Permission denied\""),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("\"kind\": \"not_started\""), std::string::npos) << text;
    EXPECT_NE(text.find("\"pid\": null"), std::string::npos) << text;
    EXPECT_NE(text.find("\"fate\": \"killed\""), std::string::npos) << text;
    EXPECT_EQ(text.back(), '\n');
}

}  // namespace
}  // namespace pipex
