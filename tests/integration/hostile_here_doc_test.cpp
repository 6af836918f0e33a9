// Hostile environments: here-documents far larger than any pipe or buffer, fed by a producer
// process, read whole or not at all by the first stage, or followed by endless input.
// Each runs `sh -c 'PRODUCER | pipex here_doc ...'`: the status is pipex's, and pipex's stdin is a
// real pipe from a process that writes as fast as pipex reads.
#include "hostile.hpp"

namespace hostile {
namespace {

using parity::shell_quote;

// Only bounds a hang (a GiB is copied twice here; slow machines and sanitizers are slow).
constexpr auto kBigLimit = std::chrono::seconds(300);

class HostileHereDoc : public hygiene::Fixture {
protected:
    // Runs `PRODUCER | pipex here_doc LIMITER CMDS... out` in dir under sh; returns sh's result.
    RunResult run_fed(const TempDir& dir, const std::string& producer, const std::string& limiter,
                      const std::vector<std::string>& commands) {
        std::string line =
            producer + " | " + shell_quote(PIPEX_BIN) + " here_doc " + shell_quote(limiter);
        for (const std::string& cmd : commands) line += " " + shell_quote(cmd);
        line += " " + shell_quote(dir / "out");
        return testsupport::run(
            {.argv = {"sh", "-c", line}, .cwd = dir.path(), .timeout = kBigLimit, .in_child = [] {
                 only_std_fds_survive_exec();
             }});
    }
};

TEST_F(HostileHereDoc, OneGiBFromAProducerArrivesWhole) {
    TempDir dir;
    // 2^30 bytes of "y\n" lines (the last one complete), then the limiter line.
    const RunResult r =
        run_fed(dir, "{ yes | head -c 1073741824; echo END; }", "END", {"cat", "wc -c"});
    ASSERT_FALSE(r.timed_out) << hygiene::describe(r);
    EXPECT_EQ(r.shell_status(), 0) << hygiene::describe(r);
    EXPECT_EQ(r.err, "");
    ASSERT_TRUE(testsupport::file_exists(dir / "out"));
    EXPECT_EQ(testsupport::read_file(dir / "out"), "1073741824\n");
}

TEST_F(HostileHereDoc, ReaderTakingOneByteOf200MiB) {
    TempDir dir;
    // The last stage's status is pipex's: neither pipex nor the producer dies of SIGPIPE first.
    const RunResult r = run_fed(dir, "{ yes | head -c 209715200; echo END; }", "END",
                                {"head -c 1", "sh -c 'cat; exit 3'"});
    ASSERT_FALSE(r.timed_out) << hygiene::describe(r);
    EXPECT_EQ(r.shell_status(), 3) << hygiene::describe(r);
    EXPECT_EQ(r.err, "");
    EXPECT_EQ(testsupport::read_file(dir / "out"), "y");
}

TEST_F(HostileHereDoc, ReaderExitingAtOnceOn200MiB) {
    TempDir dir;
    const RunResult r =
        run_fed(dir, "{ yes | head -c 209715200; echo END; }", "END", {"true", "wc -c"});
    ASSERT_FALSE(r.timed_out) << hygiene::describe(r);
    EXPECT_EQ(r.shell_status(), 0) << hygiene::describe(r);
    EXPECT_EQ(r.err, "");
    EXPECT_EQ(testsupport::read_file(dir / "out"), "0\n");
}

TEST_F(HostileHereDoc, WhatTheEarlyReaderReadIsPassedOnWhole) {
    TempDir dir;
    // Distinct lines (about 200 MiB); the first stage takes the first 100,000 lines and exits.
    const RunResult r =
        run_fed(dir, "{ seq 1 25000000; echo END; }", "END", {"head -n 100000", "cat"});
    ASSERT_FALSE(r.timed_out) << hygiene::describe(r);
    EXPECT_EQ(r.shell_status(), 0) << hygiene::describe(r);
    EXPECT_EQ(r.err, "");
    std::string expected;
    for (int i = 1; i <= 100000; ++i) expected += std::to_string(i) + "\n";
    EXPECT_TRUE(testsupport::read_file(dir / "out") == expected)
        << "the first 100,000 lines did not arrive intact";
}

TEST_F(HostileHereDoc, EndlessInputAfterTheLimiterIsNotWaitedFor) {
    TempDir dir;
    // After the limiter the producer never stops: pipex must stop reading at the limiter line,
    // run the pipeline and exit; the producer then dies of SIGPIPE.
    const RunResult r =
        run_fed(dir, "{ seq 1 1000000; echo END; exec yes; }", "END", {"cat", "wc -l"});
    ASSERT_FALSE(r.timed_out) << "pipex kept reading past the limiter: " << hygiene::describe(r);
    EXPECT_EQ(r.shell_status(), 0) << hygiene::describe(r);
    EXPECT_EQ(r.err, "");
    EXPECT_EQ(testsupport::read_file(dir / "out"), "1000000\n");
}

TEST_F(HostileHereDoc, LimiterNeverComesAndInputIsHuge) {
    TempDir dir;
    const RunResult r = run_fed(dir, "{ yes | head -c 104857600; }", "END", {"cat", "wc -c"});
    ASSERT_FALSE(r.timed_out) << hygiene::describe(r);
    EXPECT_EQ(r.shell_status(), 0) << hygiene::describe(r);
    EXPECT_EQ(r.err, "pipex: warning: here-document delimited by end-of-file (wanted `END')\n");
    EXPECT_EQ(testsupport::read_file(dir / "out"), "104857600\n");
}

}  // namespace
}  // namespace hostile
