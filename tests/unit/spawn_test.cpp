// The spawn layer, both ways of creating children: clone(CLONE_VM), where the caller goes on while
// the child execs, and the posix_spawn fallback (used under valgrind). Same requests, same
// outcomes.
#include "pipex/spawn.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "pipex/base/pipe.hpp"
#include "process.hpp"
#include "seccomp_filter.hpp"
#include "spawn_mode.hpp"

extern char** environ;

namespace {

using testsupport::read_all;

using pipex::SpawnMode;
using pipex::SpawnOutcome;
using pipex::SpawnRequest;
using pipex::SpawnStep;
using pipex::StartedChild;
using testsupport::TempDir;

// The shell status of a reaped child: exit code, or 128+N when killed by signal N.
int reap(pid_t pid) {
    int status = 0;
    pid_t reaped;
    while ((reaped = ::waitpid(pid, &status, 0)) < 0 && errno == EINTR) {
    }
    if (reaped != pid) return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

bool no_child_left() { return ::waitpid(-1, nullptr, WNOHANG) < 0 && errno == ECHILD; }

int open_fd_count() {
    int count = 0;
    for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) {
        (void)entry;
        ++count;
    }
    return count;
}

// Whether `pid` is seen asleep (state S in /proc/PID/stat) within a bound that only stops a hang.
bool waits_asleep(pid_t pid) {
    for (int i = 0; i < 2000; ++i) {
        const std::string stat = testsupport::read_file("/proc/" + std::to_string(pid) + "/stat");
        const auto close = stat.rfind(')');
        if (close != std::string::npos && close + 2 < stat.size() && stat[close + 2] == 'S')
            return true;
        ::usleep(5000);
    }
    return false;
}

class Spawn : public ::testing::TestWithParam<SpawnMode> {
protected:
    void SetUp() override {
        saved_ = pipex::spawn_mode();
        pipex::set_spawn_mode(GetParam());
        if (pipex::spawn_mode() != GetParam())
            GTEST_SKIP() << "this way of spawning is not available here";
    }
    void TearDown() override { pipex::set_spawn_mode(saved_); }

    // Runs `argv` (with `script` as script_argv) with /dev/null as stdin and a pipe as stdout;
    // returns the outcome of the exec, what the child wrote and its status.
    struct Ran {
        SpawnOutcome outcome;
        std::string out;
        int status = -1;  // -1 when no process was left to reap
    };
    Ran run(const std::vector<const char*>& argv, const std::vector<const char*>& script = {}) {
        pipex::UniqueFd null(::open("/dev/null", O_RDONLY | O_CLOEXEC));
        pipex::Pipe pipe = pipex::make_pipe();
        std::vector<char*> args = to_argv(argv), script_args = to_argv(script);
        SpawnRequest request{args[0],
                             args.data(),
                             environ,
                             {null.get(), pipe.write_end.get()},
                             script.empty() ? nullptr : script_args.data()};
        Ran ran;
        {
            StartedChild child = pipex::start_process(request);
            pipe.write_end.reset();
            ran.outcome = child.wait();
            EXPECT_TRUE(child.settled());
        }
        ran.out = read_all(pipe.read_end.get());
        if (ran.outcome.pid > 0) ran.status = reap(ran.outcome.pid);
        return ran;
    }

    static std::vector<char*> to_argv(const std::vector<const char*>& words) {
        std::vector<char*> argv;
        for (const char* word : words) argv.push_back(const_cast<char*>(word));
        argv.push_back(nullptr);
        return argv;
    }

    // A failed exec leaves a process that exits with `status` by itself (clone), or none at all
    // (posix_spawn reaps it).
    void expect_failed_child(const Ran& ran, int status) {
        if (GetParam() == SpawnMode::CloneVm) {
            EXPECT_GT(ran.outcome.pid, 0);
            EXPECT_EQ(ran.status, status);
        } else {
            EXPECT_EQ(ran.outcome.pid, -1);
        }
    }

    // Starts `request`, whose step `step` must fail with `error`: the child exits 1, as a shell's
    // failed redirection (clone), or none is left (posix_spawn).
    void expect_setup_failure(const SpawnRequest& request, int error, SpawnStep step) {
        StartedChild child = pipex::start_process(request);
        const SpawnOutcome outcome = child.wait();
        EXPECT_EQ(outcome.error, error);
        EXPECT_EQ(outcome.failed_step, step);
        expect_failed_child({outcome, {}, outcome.pid > 0 ? reap(outcome.pid) : -1}, 1);
    }

    // A file in this test's own folder, by its path.
    std::string file(const std::string& name, const std::string& content, unsigned mode) {
        testsupport::write_file(dir_ / name, content, mode);
        return dir_ / name;
    }

    SpawnMode saved_ = SpawnMode::CloneVm;
    TempDir dir_;
};

TEST_P(Spawn, RunsTheProgramWithItsStdio) {
    Ran ran = run({"/bin/sh", "-c", "echo out; read line || echo eof"});
    EXPECT_EQ(ran.outcome.error, 0);
    EXPECT_GT(ran.outcome.pid, 0);
    EXPECT_EQ(ran.out, "out\neof\n");
    EXPECT_EQ(ran.status, 0);
    EXPECT_TRUE(no_child_left());
}

TEST_P(Spawn, MissingProgramIsEnoentAndExits127) {
    Ran ran = run({"/nonexistent/program"});
    EXPECT_EQ(ran.outcome.error, ENOENT);
    EXPECT_EQ(ran.outcome.failed_step, SpawnStep::Program);
    expect_failed_child(ran, 127);
    EXPECT_EQ(ran.out, "");
}

TEST_P(Spawn, FileWithoutExecutePermissionIsEaccesAndExits126) {
    const std::string path = file("plain", "echo never\n", 0644);
    Ran ran = run({path.c_str()});
    EXPECT_EQ(ran.outcome.error, EACCES);
    expect_failed_child(ran, 126);
}

TEST_P(Spawn, TextFileWithoutShebangRunsUnderTheScriptArgv) {
    const std::string path = file("script", "echo scripted \"$1\"\n", 0755);
    Ran ran = run({path.c_str(), "arg"}, {"/bin/sh", path.c_str(), "arg"});
    EXPECT_EQ(ran.outcome.error, 0);
    EXPECT_EQ(ran.out, "scripted arg\n");
    EXPECT_EQ(ran.status, 0);
}

TEST_P(Spawn, TextFileWithoutShebangAndNoScriptArgvIsEnoexec) {
    const std::string path = file("script", "echo scripted\n", 0755);
    Ran ran = run({path.c_str()});
    EXPECT_EQ(ran.outcome.error, ENOEXEC);
    EXPECT_EQ(ran.outcome.failed_step, SpawnStep::Program);
    expect_failed_child(ran, 126);
}

TEST_P(Spawn, BinaryFileIsNotRunAsAScript) {
    const std::string path = file("binary",
                                  std::string("\x7f"
                                              "ELX\0\0\0garbage\n",
                                              15),
                                  0755);
    Ran ran = run({path.c_str()}, {"/bin/sh", path.c_str()});
    EXPECT_EQ(ran.outcome.error, ENOEXEC);
    EXPECT_EQ(ran.outcome.failed_step, SpawnStep::Program);
    EXPECT_EQ(ran.out, "");
    expect_failed_child(ran, 126);
}

TEST_P(Spawn, MissingScriptInterpreterIsTheScriptStepAndExits126) {
    const std::string path = file("script", "echo scripted\n", 0755);
    Ran ran = run({path.c_str()}, {"/nonexistent/sh", path.c_str()});
    EXPECT_EQ(ran.outcome.error, ENOENT);
    EXPECT_EQ(ran.outcome.failed_step, SpawnStep::Script);
    expect_failed_child(ran, 126);
}

// A closed fd as stdin or stdout is the caller's: the outcome names the step that failed, so that
// the program is not blamed, and a child that was created exits with 1, a failed redirection.
TEST_P(Spawn, ClosedStdioFdIsTheSetupStepNotTheProgram) {
    const int closed = ::fcntl(2, F_DUPFD_CLOEXEC, 900);
    ::close(closed);
    pipex::UniqueFd null(::open("/dev/null", O_RDWR | O_CLOEXEC));
    char* argv[] = {const_cast<char*>("/bin/true"), nullptr};
    for (bool input : {true, false}) {
        const pipex::ChildStdio stdio =
            input ? pipex::ChildStdio{closed, null.get()} : pipex::ChildStdio{null.get(), closed};
        StartedChild child = pipex::start_process(SpawnRequest{argv[0], argv, environ, stdio});
        const SpawnOutcome outcome = child.wait();
        EXPECT_EQ(outcome.error, EBADF);
        EXPECT_EQ(outcome.failed_step, input ? SpawnStep::Stdin : SpawnStep::Stdout);
        if (GetParam() == SpawnMode::CloneVm)
            EXPECT_EQ(reap(outcome.pid), 1);
        else
            EXPECT_EQ(outcome.pid, -1);
    }
    EXPECT_TRUE(no_child_left());
}

TEST_P(Spawn, SpawnProcessReapsAChildWhoseExecFailed) {
    char* argv[] = {const_cast<char*>("/nonexistent/program"), nullptr};
    SpawnOutcome outcome = pipex::spawn_process(SpawnRequest{argv[0], argv, environ, {0, 1}});
    EXPECT_EQ(outcome.error, ENOENT);
    EXPECT_EQ(outcome.pid, -1);
    EXPECT_TRUE(no_child_left());
}

// The caller's handlers, ignored signals and mask (glibc's own signals 32 and 33 included) must
// not reach the program: every disposition default, nothing blocked.
TEST_P(Spawn, ProgramStartsWithDefaultSignalsAndAnEmptyMask) {
    struct sigaction handler {};
    handler.sa_handler = [](int) {};
    struct sigaction saved_usr1 {};
    ASSERT_EQ(::sigaction(SIGUSR1, &handler, &saved_usr1), 0);
    ASSERT_NE(::signal(SIGPIPE, SIG_IGN), SIG_ERR);
    const unsigned long blocked = (1UL << (SIGTERM - 1)) | (1UL << 31) | (1UL << 32);  // 32 and 33
    unsigned long saved_mask = 0;
    ASSERT_EQ(::syscall(SYS_rt_sigprocmask, SIG_BLOCK, &blocked, &saved_mask, sizeof blocked), 0);

    Ran ran = run({"/bin/cat", "/proc/self/status"});

    ::syscall(SYS_rt_sigprocmask, SIG_SETMASK, &saved_mask, nullptr, sizeof saved_mask);
    ::signal(SIGPIPE, SIG_DFL);
    ::sigaction(SIGUSR1, &saved_usr1, nullptr);
    EXPECT_EQ(ran.outcome.error, 0);
    EXPECT_NE(ran.out.find("SigBlk:\t0000000000000000\n"), std::string::npos) << ran.out;
    EXPECT_NE(ran.out.find("SigIgn:\t0000000000000000\n"), std::string::npos) << ran.out;
    EXPECT_NE(ran.out.find("SigCgt:\t0000000000000000\n"), std::string::npos) << ran.out;
}

// bash's rule for its children: what the parent ignores stays ignored (nohup), but SIGPIPE, which
// the program gets at default; a handler is the parent's code and goes back to default.
TEST_P(Spawn, IgnoredSignalsStayIgnoredButSigpipe) {
    struct sigaction handler {
    }, ignore{}, saved[4]{};
    handler.sa_handler = [](int) {};
    ignore.sa_handler = SIG_IGN;
    const int signals[] = {SIGHUP, SIGINT, SIGTERM, SIGPIPE};
    ASSERT_EQ(::sigaction(SIGHUP, &ignore, &saved[0]), 0);
    ASSERT_EQ(::sigaction(SIGINT, &ignore, &saved[1]), 0);
    ASSERT_EQ(::sigaction(SIGTERM, &handler, &saved[2]), 0);
    ASSERT_EQ(::sigaction(SIGPIPE, &ignore, &saved[3]), 0);

    // What the test's own caller had ignored stays ignored too.
    unsigned long expected = 0;
    for (int signal = 1; signal <= 64; ++signal) {
        struct sigaction now {};
        if (signal != SIGPIPE && ::sigaction(signal, nullptr, &now) == 0 &&
            now.sa_handler == SIG_IGN)
            expected |= 1UL << (signal - 1);
    }

    Ran ran = run({"/bin/cat", "/proc/self/status"});  // cat catches nothing itself

    for (int i = 0; i < 4; ++i) ::sigaction(signals[i], &saved[i], nullptr);
    EXPECT_EQ(ran.outcome.error, 0);
    EXPECT_NE(expected & (1UL << (SIGHUP - 1)), 0u);
    EXPECT_NE(expected & (1UL << (SIGINT - 1)), 0u);
    char ignored[64];
    std::snprintf(ignored, sizeof ignored, "SigIgn:\t%016lx\n", expected);
    EXPECT_NE(ran.out.find(ignored), std::string::npos)
        << "SIGHUP and SIGINT stay ignored, SIGPIPE does not: " << ran.out;
    EXPECT_NE(ran.out.find("SigCgt:\t0000000000000000\n"), std::string::npos)
        << "SIGTERM's handler is not the program's: " << ran.out;
}

// The files a request names are opened by the child as its fds 0 and 1: INFILE read, OUTFILE
// created with 0666 minus the umask, and nothing of them left in the caller.
TEST_P(Spawn, OpensItsInputAndOutputFiles) {
    const std::string in = file("in", "from the file\n", 0644), out = dir_ / "out";
    const int fds_before = open_fd_count();
    char* argv[] = {const_cast<char*>("/bin/cat"), nullptr};
    const pipex::ChildStdio stdio{
        -1, -1, {in.c_str(), O_RDONLY, 0}, {out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0666}};
    const mode_t saved_umask = ::umask(022);
    const SpawnOutcome outcome = pipex::spawn_process(SpawnRequest{argv[0], argv, environ, stdio});
    ::umask(saved_umask);
    EXPECT_EQ(outcome.error, 0);
    ASSERT_GT(outcome.pid, 0);
    EXPECT_EQ(reap(outcome.pid), 0);
    EXPECT_EQ(testsupport::read_file(out), "from the file\n");
    struct stat status {};
    ASSERT_EQ(::stat(out.c_str(), &status), 0);
    EXPECT_EQ(status.st_mode & 0777, 0644u);
    EXPECT_EQ(open_fd_count(), fds_before);
}

// stderr: an fd of the caller's as fd 2, even one numbered 1 that the stdout step replaces; or,
// with error_to_output, a copy of fd 1 once the output file is open (2>&1).
TEST_P(Spawn, StderrIsTheGivenFdOrACopyOfStdout) {
    const std::string errors = dir_ / "errors", out = dir_ / "out";
    pipex::UniqueFd sink(::open(errors.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
    pipex::UniqueFd null(::open("/dev/null", O_RDWR | O_CLOEXEC));
    char* argv[] = {const_cast<char*>("/bin/sh"), const_cast<char*>("-c"),
                    const_cast<char*>("echo out; echo err >&2"), nullptr};
    pipex::ChildStdio to_fd{null.get(), null.get()};
    to_fd.error = sink.get();
    SpawnOutcome outcome = pipex::spawn_process(SpawnRequest{argv[0], argv, environ, to_fd});
    ASSERT_EQ(outcome.error, 0);
    EXPECT_EQ(reap(outcome.pid), 0);
    EXPECT_EQ(testsupport::read_file(errors), "err\n");

    pipex::ChildStdio merged{null.get(), -1, {}, {out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644}};
    merged.error_to_output = true;
    outcome = pipex::spawn_process(SpawnRequest{argv[0], argv, environ, merged});
    ASSERT_EQ(outcome.error, 0);
    EXPECT_EQ(reap(outcome.pid), 0);
    EXPECT_EQ(testsupport::read_file(out), "out\nerr\n");

    // The caller's fd 1 as stderr, while stdout is another file: fd 1 must not be read after the
    // stdout step has replaced it.
    const pid_t tester = ::fork();
    ASSERT_GE(tester, 0);
    if (tester == 0) {
        if (::dup2(sink.get(), 1) != 1) ::_exit(90);
        pipex::UniqueFd other(::open(out.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC));
        pipex::ChildStdio swapped{null.get(), other.get()};
        swapped.error = 1;
        const SpawnOutcome spawned =
            pipex::spawn_process(SpawnRequest{argv[0], argv, environ, swapped});
        ::_exit(spawned.error != 0 ? 91 : reap(spawned.pid));
    }
    EXPECT_EQ(reap(tester), 0);
    EXPECT_EQ(testsupport::read_file(out), "out\n");
    EXPECT_EQ(testsupport::read_file(errors), "err\nerr\n");  // after the first one's
}

TEST_P(Spawn, ClosedStderrFdIsItsStep) {
    const int closed = ::fcntl(2, F_DUPFD_CLOEXEC, 900);
    ::close(closed);
    pipex::UniqueFd null(::open("/dev/null", O_RDWR | O_CLOEXEC));
    char* argv[] = {const_cast<char*>("/bin/true"), nullptr};
    pipex::ChildStdio stdio{null.get(), null.get()};
    stdio.error = closed;
    StartedChild child = pipex::start_process(SpawnRequest{argv[0], argv, environ, stdio});
    const SpawnOutcome outcome = child.wait();
    EXPECT_EQ(outcome.error, EBADF);
    EXPECT_EQ(outcome.failed_step, SpawnStep::Stderr);
    if (GetParam() == SpawnMode::CloneVm)
        EXPECT_EQ(reap(outcome.pid), 1);
    else
        EXPECT_EQ(outcome.pid, -1);
}

// A file that cannot be opened is its step's failure, with open's errno, and the child exits 1 as
// a shell's failed redirection; the input failing, the output is never opened (bash's order).
TEST_P(Spawn, FileThatCannotBeOpenedIsItsStepAndTheNextIsNotTaken) {
    const std::string missing = dir_ / "missing", out = dir_ / "out";
    char* argv[] = {const_cast<char*>("/bin/true"), nullptr};
    const pipex::StdioFile output{out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0666};
    expect_setup_failure(
        SpawnRequest{argv[0], argv, environ, {-1, -1, {missing.c_str(), O_RDONLY, 0}, output}},
        ENOENT, SpawnStep::OpenInput);
    EXPECT_FALSE(testsupport::file_exists(out)) << "OUTFILE opened after INFILE failed";

    const std::string folder = dir_.path();
    pipex::UniqueFd null(::open("/dev/null", O_RDONLY | O_CLOEXEC));
    expect_setup_failure(
        SpawnRequest{argv[0],
                     argv,
                     environ,
                     {null.get(), -1, {}, {folder.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0666}}},
        EISDIR, SpawnStep::OpenOutput);
    EXPECT_TRUE(no_child_left());
}

// `2> PATH`: opened once the output is in place; one that cannot be opened is its own step.
TEST_P(Spawn, OpensItsErrorFileAfterItsOutput) {
    const std::string errors = dir_ / "errors", out = dir_ / "out";
    pipex::UniqueFd null(::open("/dev/null", O_RDONLY | O_CLOEXEC));
    char* argv[] = {const_cast<char*>("/bin/sh"), const_cast<char*>("-c"),
                    const_cast<char*>("echo out; echo err >&2"), nullptr};
    pipex::ChildStdio stdio{null.get(), -1, {}, {out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0666}};
    stdio.error_file = {errors.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0666};
    SpawnOutcome outcome = pipex::spawn_process(SpawnRequest{argv[0], argv, environ, stdio});
    ASSERT_EQ(outcome.error, 0);
    EXPECT_EQ(reap(outcome.pid), 0);
    EXPECT_EQ(testsupport::read_file(out), "out\n");
    EXPECT_EQ(testsupport::read_file(errors), "err\n");

    const std::string folder = dir_.path();
    stdio.error_file.path = folder.c_str();
    expect_setup_failure(SpawnRequest{argv[0], argv, environ, stdio}, EISDIR, SpawnStep::OpenError);
    EXPECT_TRUE(no_child_left());
}

// The working folder is entered after the files, which are named from the caller's folder, and
// a relative program is found from it.
TEST_P(Spawn, RunsInItsWorkingFolderEnteredAfterItsFiles) {
    ASSERT_EQ(::mkdir((dir_ / "work").c_str(), 0755), 0);
    file("work/tool", "#!/bin/sh\npwd\n", 0755);
    const std::string out = dir_ / "out", work = dir_ / "work";
    pipex::UniqueFd null(::open("/dev/null", O_RDONLY | O_CLOEXEC));
    char* argv[] = {const_cast<char*>("./tool"), nullptr};
    SpawnRequest request{argv[0],
                         argv,
                         environ,
                         {null.get(), -1, {}, {out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0666}}};
    request.working_folder = work.c_str();
    SpawnOutcome outcome = pipex::spawn_process(request);
    ASSERT_EQ(outcome.error, 0);
    EXPECT_EQ(reap(outcome.pid), 0);
    EXPECT_EQ(testsupport::read_file(out), work + "\n");

    const std::string missing = dir_ / "missing";
    request.working_folder = missing.c_str();
    expect_setup_failure(request, ENOENT, SpawnStep::WorkingFolder);
    EXPECT_TRUE(no_child_left());
}

// posix_spawn gives one errno for a failed open and a failed exec alike: a missing program
// whose files open is still the program's failure, never the files'.
TEST_P(Spawn, MissingProgramWithFilesThatOpenIsTheProgramsFailure) {
    const std::string in = file("in", "", 0644), out = dir_ / "out";
    char* argv[] = {const_cast<char*>("/nonexistent/program"), nullptr};
    const pipex::ChildStdio stdio{
        -1, -1, {in.c_str(), O_RDONLY, 0}, {out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0666}};
    const SpawnOutcome outcome = pipex::spawn_process(SpawnRequest{argv[0], argv, environ, stdio});
    EXPECT_EQ(outcome.error, ENOENT);
    EXPECT_EQ(outcome.failed_step, SpawnStep::Program);
    EXPECT_TRUE(testsupport::file_exists(out)) << "the redirection comes before the exec";
    EXPECT_TRUE(no_child_left());
}

// A command that is not found still performs its redirections, as bash's child does: a request
// with no program opens (creates) its files, then exits with the status it was given.
TEST_P(Spawn, RequestWithoutProgramOpensItsFilesThenExitsWithItsStatus) {
    const std::string out = dir_ / "out";
    pipex::UniqueFd null(::open("/dev/null", O_RDONLY | O_CLOEXEC));
    const pipex::ChildStdio stdio{
        null.get(), -1, {}, {out.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0666}};
    StartedChild child =
        pipex::start_process(SpawnRequest{nullptr, nullptr, environ, stdio, nullptr, 127});
    const SpawnOutcome outcome = child.wait();
    EXPECT_EQ(outcome.error, 0);
    if (GetParam() == SpawnMode::CloneVm)
        EXPECT_EQ(reap(outcome.pid), 127);
    else
        EXPECT_EQ(outcome.pid, -1);  // opened by the caller: posix_spawn cannot exit without exec
    EXPECT_TRUE(testsupport::file_exists(out));
    EXPECT_TRUE(no_child_left());
}

// The child's signals are the program's before it opens anything: one that comes while it waits
// for a FIFO's other end ends it by its default action (the caller's handler is not run), and the
// caller, not blocked meanwhile, sees a child killed by that signal.
TEST_P(Spawn, SignalWhileTheChildWaitsToOpenAFifoEndsIt) {
    if (GetParam() == SpawnMode::PosixSpawn)
        GTEST_SKIP() << "glibc's posix_spawn blocks every signal in its child until the exec, and "
                        "its caller until then: the open would wait for a writer, signals or not";
    const std::string fifo = dir_ / "fifo";
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0666), 0);
    struct sigaction handler {
    }, saved{};
    handler.sa_handler = [](int) {};
    ASSERT_EQ(::sigaction(SIGINT, &handler, &saved), 0);
    char* argv[] = {const_cast<char*>("/bin/true"), nullptr};
    pipex::UniqueFd null(::open("/dev/null", O_WRONLY | O_CLOEXEC));
    StartedChild child = pipex::start_process(
        SpawnRequest{argv[0], argv, environ, {-1, null.get(), {fifo.c_str(), O_RDONLY, 0}}});
    const pid_t pid = child.pid();
    ASSERT_GT(pid, 0);
    EXPECT_TRUE(waits_asleep(pid)) << "the child never waited in its open";
    ::kill(pid, SIGINT);
    const SpawnOutcome outcome = child.wait();
    ::sigaction(SIGINT, &saved, nullptr);
    EXPECT_EQ(outcome.error, 0) << "no step failed: the signal ended the child";
    EXPECT_EQ(reap(pid), 128 + SIGINT);
}

// Hundreds of children in flight at once, most not yet exec'ed when the next is created; some
// abandoned without wait(): every one runs its own program, and nothing is left behind.
TEST_P(Spawn, ManyChildrenInFlightEachRunTheirOwnProgram) {
    TempDir dir;
    pipex::UniqueFd null(::open("/dev/null", O_RDWR | O_CLOEXEC));
    std::vector<std::string> codes;
    for (int i = 0; i < 200; ++i) codes.push_back("exit " + std::to_string(i % 100));
    std::vector<std::vector<char*>> argvs;
    for (const std::string& code : codes)
        argvs.push_back({const_cast<char*>("/bin/sh"), const_cast<char*>("-c"),
                         const_cast<char*>(code.c_str()), nullptr});
    std::vector<pid_t> pids;
    {
        std::vector<StartedChild> children;
        for (auto& argv : argvs) {
            children.push_back(pipex::start_process(
                SpawnRequest{argv[0], argv.data(), environ, {null.get(), null.get()}}));
            pids.push_back(children.back().pid());
        }
        for (std::size_t i = 0; i < children.size(); i += 2) EXPECT_EQ(children[i].wait().error, 0);
    }  // the odd ones are waited for by their destructors
    for (std::size_t i = 0; i < pids.size(); ++i)
        EXPECT_EQ(reap(pids[i]), static_cast<int>(i % 100)) << i;
    EXPECT_TRUE(no_child_left());
}

// Under a seccomp profile that refuses close_range with EPERM, the child still closes every fd
// from 3 up: it lists them in /proc/self/fd (clone), or glibc does (posix_spawn). The filter
// cannot be taken off again, so it is installed in a child of the test, which spawns fdreport.
TEST_P(Spawn, InheritedFdsAreClosedWhenCloseRangeIsRefused) {
    constexpr int kUnavailable = 99, kNotReaped = 98;
    const std::string report = dir_ / "report";
    int why[2];
    ASSERT_EQ(::pipe2(why, O_CLOEXEC), 0);
    const pid_t tester = ::fork();
    ASSERT_GE(tester, 0);
    if (tester == 0) {
        const std::string error = testsupport::refuse_close_range();
        if (!error.empty()) {
            (void)!::write(why[1], error.data(), error.size());
            ::_exit(kUnavailable);
        }
        for (int fd : {7, 40}) ::dup2(why[1], fd);  // not close-on-exec
        const int null = ::open("/dev/null", O_RDWR | O_CLOEXEC);
        char* argv[] = {const_cast<char*>(FDREPORT_BIN), const_cast<char*>(report.c_str()),
                        nullptr};
        const SpawnOutcome outcome =
            pipex::spawn_process(SpawnRequest{argv[0], argv, environ, {null, null}});
        if (outcome.error != 0) ::_exit(100 + outcome.error);
        const int status = reap(outcome.pid);
        ::_exit(status < 0 ? kNotReaped : status);
    }
    ::close(why[1]);
    const std::string error = read_all(why[0]);
    ::close(why[0]);
    const int status = reap(tester);
    if (status == kUnavailable) GTEST_SKIP() << "seccomp unavailable: " << error;
    ASSERT_EQ(status, 0) << "100 + errno when the spawn failed";
    EXPECT_EQ(testsupport::read_file(report), "0\n1\n2\n");
}

INSTANTIATE_TEST_SUITE_P(BothWays, Spawn,
                         ::testing::Values(SpawnMode::CloneVm, SpawnMode::PosixSpawn),
                         [](const ::testing::TestParamInfo<SpawnMode>& mode) {
                             return mode.param == SpawnMode::CloneVm ? std::string("CloneVm")
                                                                     : std::string("PosixSpawn");
                         });

}  // namespace
