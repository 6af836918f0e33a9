// Containment, seen from outside: stages reaped as they end, nothing a stage starts outlives the
// pipeline (unless --keep-descendants), a pipe's stray holder named and ended (--wait-delay), the
// whole tree ended at --timeout or on a signal, a stopped stage no obstacle, a terminal's Ctrl-C
// seen once by each stage.
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/statvfs.h>
#include <termios.h>

#include <filesystem>

#include "hygiene.hpp"

namespace hygiene {
namespace {

class Containment : public Fixture {};

// Running, not a zombie waiting for its parent.
bool running(pid_t pid) {
    std::string stat;
    try {
        stat = testsupport::read_file("/proc/" + std::to_string(pid) + "/stat");
    } catch (...) {
        return false;
    }
    const auto close = stat.rfind(')');
    return close != std::string::npos && close + 2 < stat.size() && stat[close + 2] != 'Z';
}

bool has_line(const std::string& text, const std::string& line) {
    return ("\n" + text).find("\n" + line + "\n") != std::string::npos;
}

// Shell text that waits until the process $! runs PROGRAM, then writes its pid to the file $1:
// a process named before its exec would be named by the script's name.
std::string record_background(const std::string& program) {
    return "until read c < /proc/$!/comm && [ \"$c\" = " + program +
           " ]; do :; done\necho $! > \"$1\"\n";
}

// $1: where the background process's pid goes. The background process gets what `&` gives it
// in sh: stdin /dev/null, stdout and stderr those of the stage.
std::string background_stage(const TempDir& dir, const std::string& name,
                             const std::string& background, const std::string& then = "") {
    return write_script(dir, name, background + " &\n" + record_background("sleep") + then);
}

TEST_F(Containment, StagesAreReapedAsTheyEndNotInStageOrder) {
    TempDir dir;
    const std::string first = write_script(dir, "first.sh", std::string(kRecordPid) + "sleep 2\n");
    const std::string second = write_script(dir, "second.sh", std::string(kRecordPid) + "exit 0\n");
    const std::string pid1 = dir / "pid1", pid2 = dir / "pid2";
    RunSpec spec;
    bool second_reaped_while_first_ran = false;
    spec.on_started = [&](int) {
        std::vector<pid_t> pids = wait_for_pids({pid1, pid2});
        if (pids.size() != 2) return;
        // Gone for good, not a zombie, while stage 1 still sleeps.
        second_reaped_while_first_ran =
            wait_until([&] { return process_gone(pids[1]); }, std::chrono::seconds(10)) &&
            running(pids[0]);
    };
    const RunResult r =
        run_pipex({"/dev/null", first + " " + pid1, second + " " + pid2, dir / "out"}, spec);
    EXPECT_TRUE(r.exited() && r.exit_code() == 0) << describe(r);
    EXPECT_TRUE(second_reaped_while_first_ran)
        << "stage 2 ended at once but stayed a zombie while stage 1 ran";
}

TEST_F(Containment, ADescendantLeftRunningIsTerminatedAndNamedWithItsStage) {
    TempDir dir;
    // The last stage's stdout is OUTFILE: the background sleep holds it, which names its stage.
    const std::string stage = background_stage(dir, "bg.sh", "sleep 30");
    const std::string pid_file = dir / "bgpid";
    const RunResult r = run_pipex({"/dev/null", "cat", stage + " " + pid_file, dir / "out"});
    EXPECT_TRUE(r.exited() && r.exit_code() == 0) << describe(r);
    const std::optional<pid_t> sleeper = read_pid_file(pid_file);
    ASSERT_TRUE(sleeper);
    EXPECT_TRUE(process_gone(*sleeper)) << "the background sleep outlived pipex";
    EXPECT_TRUE(has_line(r.err, "pipex: sleep (pid " + std::to_string(*sleeper) +
                                    ", started by stage 2): still running when the pipeline "
                                    "ended: terminated"))
        << r.err;
}

// A descendant running a set-user-ID program: pipex, not root, may not read its fds, and still
// ends it and names it, instead of failing on /proc/PID/fd.
TEST_F(Containment, ASetuidDescendantPipexCannotInspectIsEndedToo) {
    SKIP_UNLESS_ABLE_TO_RUN_AS_NOBODY();
    TempDir dir;
    struct statvfs mounted {};
    ASSERT_EQ(statvfs(dir.path().c_str(), &mounted), 0);
    if (mounted.f_flag & ST_NOSUID) GTEST_SKIP() << dir.path() << " is mounted nosuid";
    const std::string setuid_sleep = dir / "sleep";
    std::filesystem::copy_file("/bin/sleep", setuid_sleep);
    ASSERT_EQ(chown(setuid_sleep.c_str(), 0, 0), 0);
    ASSERT_EQ(chmod(setuid_sleep.c_str(), 04755), 0);
    const std::string stage = background_stage(dir, "bg.sh", setuid_sleep + " 30");
    const std::string pid_file = dir / "bgpid";
    const RunResult r =
        run_pipex({"/dev/null", "cat", stage + " " + pid_file, dir / "out"}, {}, true);
    EXPECT_TRUE(r.exited() && r.exit_code() == 0) << describe(r);
    const std::optional<pid_t> sleeper = read_pid_file(pid_file);
    ASSERT_TRUE(sleeper);
    EXPECT_TRUE(process_gone(*sleeper)) << "the set-user-ID sleep outlived pipex";
    EXPECT_NE(r.err.find("sleep (pid " + std::to_string(*sleeper)), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("Permission denied"), std::string::npos) << r.err;
}

TEST_F(Containment, ADescendantIgnoringSigtermIsKilledAfterTheGrace) {
    TempDir dir;
    const std::string stage =
        background_stage(dir, "stubborn.sh", "sh -c \"trap '' TERM; exec sleep 30\"");
    const std::string pid_file = dir / "bgpid";
    const RunResult r =
        run_pipex({"--kill-after=200ms", "/dev/null", "cat", stage + " " + pid_file, dir / "out"});
    EXPECT_TRUE(r.exited() && r.exit_code() == 0) << describe(r);
    const std::optional<pid_t> sleeper = read_pid_file(pid_file);
    ASSERT_TRUE(sleeper);
    EXPECT_TRUE(process_gone(*sleeper));
    EXPECT_TRUE(has_line(r.err, "pipex: sleep (pid " + std::to_string(*sleeper) +
                                    ", started by stage 2): still running when the pipeline "
                                    "ended: killed"))
        << r.err;
}

TEST_F(Containment, ADoubleForkedDaemonInItsOwnSessionIsEndedToo) {
    TempDir dir;
    const std::string pid_file = dir / "daemonpid";
    // The daemon's parent exits at once: it is orphaned under a stage still running, re-parented
    // to pipex, holds none of the pipeline's fds, and leads a session of its own.
    const std::string stage =
        write_script(dir, "daemonize.sh",
                     "setsid sh -c 'sleep 30 &\n" + record_background("sleep") +
                         "' sh \"$1\" </dev/null >/dev/null 2>&1 &\nwait\n");
    const RunResult r = run_pipex({"/dev/null", stage + " " + pid_file, "cat", dir / "out"});
    EXPECT_TRUE(r.exited() && r.exit_code() == 0) << describe(r);
    const std::optional<pid_t> daemon = read_pid_file(pid_file);
    ASSERT_TRUE(daemon);
    EXPECT_TRUE(process_gone(*daemon)) << "the daemon outlived pipex";
    EXPECT_NE(r.err.find("sleep (pid " + std::to_string(*daemon)), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("still running when the pipeline ended: terminated"), std::string::npos)
        << r.err;
}

TEST_F(Containment, KeepDescendantsLeavesThemRunningAsBashDoes) {
    TempDir dir;
    // Its output elsewhere: kept, it would hold the test's pipes open.
    const std::string stage = background_stage(dir, "bg.sh", "sleep 30 >/dev/null 2>&1");
    const std::string pid_file = dir / "bgpid";
    const RunResult r =
        run_pipex({"--keep-descendants", "/dev/null", "cat", stage + " " + pid_file, dir / "out"});
    EXPECT_TRUE(r.exited() && r.exit_code() == 0) << describe(r);
    EXPECT_EQ(r.err, "");
    const std::optional<pid_t> sleeper = read_pid_file(pid_file);
    ASSERT_TRUE(sleeper);
    EXPECT_TRUE(running(*sleeper)) << "the kept sleep was ended";
    kill_and_reap_children();  // the kept sleep was re-parented to this test
}

TEST_F(Containment, WaitDelayEndsAndNamesTheProcessHoldingAPipeOpen) {
    TempDir dir;
    // The background sleep inherits stage 1's stdout, the pipe to cat: without a wait delay
    // cat would wait for it 30 s.
    const std::string stage = background_stage(dir, "holder.sh", "sleep 30", "echo hi\n");
    const std::string pid_file = dir / "bgpid";
    const RunResult r = run_pipex(
        {"--wait-delay", "200ms", "/dev/null", stage + " " + pid_file, "cat", dir / "out"});
    EXPECT_TRUE(r.exited() && r.exit_code() == 0) << describe(r);
    EXPECT_EQ(testsupport::read_file(dir / "out"), "hi\n");
    const std::optional<pid_t> holder = read_pid_file(pid_file);
    ASSERT_TRUE(holder);
    EXPECT_TRUE(has_line(r.err, "pipex: sleep (pid " + std::to_string(*holder) +
                                    ", started by stage 1): held the pipe from stage 1 to stage "
                                    "2 open (fd 1) 200ms after stage 1 ended: terminated"))
        << r.err;
}

TEST_F(Containment, InterruptedPipexSaysWhoHoldsThePipe) {
    TempDir dir;
    // $2: stage 1's own pid, to know when it has ended.
    const std::string stage =
        background_stage(dir, "holder.sh", "sleep 30", "echo $$ > \"$2\"\necho hi\n");
    const std::string holder_file = dir / "bgpid", stage_file = dir / "stagepid";
    RunSpec spec;
    spec.on_started = [&](int pipex) {
        std::vector<pid_t> pids = wait_for_pids({holder_file, stage_file});
        // Once stage 1 is gone, only the sleep keeps cat from its end-of-file.
        if (pids.size() == 2) wait_until([&] { return process_gone(pids[1]); });
        kill(pipex, SIGTERM);
    };
    const RunResult r = run_pipex(
        {"/dev/null", stage + " " + holder_file + " " + stage_file, "cat", dir / "out"}, spec);
    const std::optional<pid_t> holder = read_pid_file(holder_file);
    ASSERT_TRUE(holder);
    EXPECT_TRUE(r.signaled() && r.term_signal() == SIGTERM) << describe(r);
    EXPECT_TRUE(has_line(r.err, "pipex: sleep (pid " + std::to_string(*holder) +
                                    ", started by stage 1): holds the pipe from stage 1 to "
                                    "stage 2 open (fd 1) after stage 1 ended"))
        << r.err;
    EXPECT_TRUE(process_gone(*holder));
}

TEST_F(Containment, ASignalToPipexReachesTheDescendantsOfItsStagesOnce) {
    TempDir dir;
    // A stage's own child counts what it receives: the tree walk, not the stage, must pass it on,
    // and the end of the run must not send it a second one.
    const std::string pid_file = dir / "pid", count_file = dir / "count";
    const std::string stage = write_script(
        dir, "parent.sh", std::string(SIGNAL_COUNTER_BIN) + " \"$1\" \"$2\" &\nwait\n");
    RunSpec spec;
    bool counting = false;
    spec.on_started = [&](int pipex) {
        counting = wait_for_pids({pid_file}).size() == 1;
        kill(pipex, counting ? SIGTERM : SIGKILL);
    };
    const RunResult r = run_pipex(
        {"/dev/null", stage + " " + pid_file + " " + count_file, "cat", dir / "out"}, spec);
    ASSERT_TRUE(counting) << describe(r);
    EXPECT_TRUE(r.signaled() && r.term_signal() == SIGTERM) << describe(r);
    EXPECT_EQ(testsupport::file_exists(count_file) ? testsupport::read_file(count_file) : "nothing",
              "TERM 1\n");
}

TEST_F(Containment, TimeoutEndsTheWholeTreeWith124) {
    TempDir dir;
    const std::string stage = background_stage(dir, "bg.sh", "sleep 30", "exec sleep 30\n");
    const std::string pid_file = dir / "bgpid";
    const RunResult r = run_pipex(
        {"--timeout=300ms", "/dev/null", stage + " " + pid_file, "sleep 30", dir / "out"});
    EXPECT_TRUE(r.exited() && r.exit_code() == 124) << describe(r);
    EXPECT_TRUE(has_line(r.err, "pipex: pipeline: timed out after 300ms")) << r.err;
    const std::optional<pid_t> sleeper = read_pid_file(pid_file);
    ASSERT_TRUE(sleeper);
    EXPECT_TRUE(process_gone(*sleeper));
}

TEST_F(Containment, TimeoutEndsAHereDocWhoseFirstStageReadsNothing) {
    TempDir dir;
    // Far more than a pipe holds: pipex is blocked writing to `sleep` when the deadline comes.
    RunSpec spec;
    spec.stdin_data = std::string(8 << 20, 'a') + "\nEOF\n";
    const RunResult r =
        run_pipex({"--timeout=300ms", "here_doc", "EOF", "sleep 30", "cat", dir / "out"}, spec);
    EXPECT_FALSE(r.timed_out) << describe(r);
    EXPECT_TRUE(r.exited() && r.exit_code() == 124) << describe(r);
}

TEST_F(Containment, AStoppedStageDoesNotKeepPipexFromEndingOnASignal) {
    TempDir dir;
    const std::string sleeper =
        write_script(dir, "sleeper.sh", std::string(kRecordPid) + "exec sleep 30\n");
    const std::string pid1 = dir / "pid1", pid2 = dir / "pid2";
    RunSpec spec;
    spec.on_started = [&](int pipex) {
        std::vector<pid_t> pids = wait_for_pids({pid1, pid2});
        if (pids.size() == 2) kill(pids[1], SIGSTOP);
        wait_until([&] {
            const std::string stat =
                testsupport::read_file("/proc/" + std::to_string(pids[1]) + "/stat");
            return stat.find(") T ") != std::string::npos;
        });
        kill(pipex, SIGTERM);
    };
    const RunResult r = run_pipex(
        {"--kill-after=5s", "/dev/null", sleeper + " " + pid1, sleeper + " " + pid2, dir / "out"},
        spec);
    EXPECT_FALSE(r.timed_out) << "pipex waited for the stopped stage";
    EXPECT_TRUE(r.signaled() && r.term_signal() == SIGTERM) << describe(r);
}

TEST_F(Containment, DurationsAreCheckedBeforeAnythingRuns) {
    TempDir dir;
    for (const char* bad : {"--timeout=abc", "--wait-delay=-1", "--kill-after=1x", "--timeout="}) {
        const RunResult r = run_pipex({bad, "/dev/null", "cat", "cat", dir / "out"});
        EXPECT_TRUE(r.exited() && r.exit_code() == 1) << bad << ": " << describe(r);
        EXPECT_NE(r.err.find(": invalid duration '"), std::string::npos) << r.err;
        EXPECT_FALSE(testsupport::file_exists(dir / "out"));
    }
    const RunResult missing = run_pipex({"--timeout"});
    EXPECT_TRUE(missing.exited() && missing.exit_code() == 1) << describe(missing);
    EXPECT_TRUE(has_line(missing.err, "pipex: --timeout: a DURATION is needed")) << missing.err;
}

// ---------------------------------------------------------------------------------------------
// A terminal's Ctrl-C

// pipex as the session leader of a new pseudo-terminal, whose Ctrl-C the kernel sends to the
// foreground process group: pipex and its stages.
TEST_F(Containment, ATerminalsCtrlCReachesEachStageOnce) {
    const int master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (master < 0 || grantpt(master) != 0 || unlockpt(master) != 0)
        GTEST_SKIP() << "no pseudo-terminal: " << strerror(errno);
    const std::string slave = ptsname(master);
    TempDir dir;
    // Counted by its handler: two deliveries in a row would be counted twice, where a shell's
    // trap could run once for both.
    const std::string catcher = SIGNAL_COUNTER_BIN;
    const std::string pid1 = dir / "pid1", pid2 = dir / "pid2";
    const std::string caught1 = dir / "caught1", caught2 = dir / "caught2";
    const std::string err = dir / "err";
    const pid_t pipex = fork();
    ASSERT_GE(pipex, 0);
    if (pipex == 0) {
        setsid();
        const int terminal = open(slave.c_str(), O_RDWR);
        if (terminal < 0 || ioctl(terminal, TIOCSCTTY, 0) != 0) _exit(99);
        dup2(terminal, 0);
        const int log = open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        dup2(log, 2);
        execl(PIPEX_BIN, PIPEX_BIN, "/dev/null", (catcher + " " + pid1 + " " + caught1).c_str(),
              (catcher + " " + pid2 + " " + caught2).c_str(), (dir / "out").c_str(), nullptr);
        _exit(98);
    }
    const std::vector<pid_t> pids = wait_for_pids({pid1, pid2});
    EXPECT_EQ(pids.size(), 2u);
    const char ctrl_c = '\x03';
    EXPECT_EQ(write(master, &ctrl_c, 1), 1);
    int status = 0;
    bool ended = wait_until([&] { return waitpid(pipex, &status, WNOHANG) == pipex; });
    if (!ended) {
        kill(pipex, SIGKILL);
        waitpid(pipex, &status, 0);
    }
    close(master);
    ASSERT_TRUE(ended) << "pipex did not end after Ctrl-C";
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
        << "the last stage caught SIGINT and exited 0; pipex: " << status << "; "
        << testsupport::read_file(err);
    for (const std::string& caught : {caught1, caught2})
        EXPECT_EQ(testsupport::file_exists(caught) ? testsupport::read_file(caught) : "nothing",
                  "INT 1\n")
            << caught;
}

}  // namespace
}  // namespace hygiene
