// Signals: pipex passes SIGINT, SIGTERM, SIGHUP and SIGQUIT on to every running child, reaps
// them all, then dies by that same signal when its last stage did, and exits with the last
// stage's status when that stage caught it; children start with an empty mask and the
// dispositions bash gives its children (what was ignored on entry stays ignored, but SIGPIPE);
// and a signal while a stage waits to open a FIFO ends it as it would end bash's.
#include <sys/stat.h>

#include <cstdint>

#include "hygiene.hpp"

namespace hygiene {
namespace {

// ---------------------------------------------------------------------------------------------
// A signal while the pipeline runs

enum class Stage {
    Sleeper,  // records its pid, then becomes `sleep 30`: dies by the signal's default action
    Catcher,  // records its pid and traps the signal: appends its name to a file, stays a moment
              // (a second delivery would append it again), exits 0
};

struct SignalCase {
    int sig;
    bool to_group;  // kill(-pgid) as a terminal's ^C does, instead of kill(pipex)
    Stage stage;
    // Stage 1 records its pid and exits at once: the signal comes once it has ended, and only
    // the later stages are still running.
    bool first_ended = false;
};

const char* signal_word(int sig) {
    switch (sig) {
        case SIGINT:
            return "INT";
        case SIGTERM:
            return "TERM";
        case SIGHUP:
            return "HUP";
        case SIGQUIT:
            return "QUIT";
        default:
            return "?";
    }
}

std::string case_name(const SignalCase& c) {
    return std::string("SIG") + signal_word(c.sig) + (c.to_group ? "ToGroup" : "ToPipex") +
           (c.stage == Stage::Sleeper ? "Sleepers" : "Catchers") +
           (c.first_ended ? "FirstEnded" : "");
}

void PrintTo(const SignalCase& c, std::ostream* os) { *os << case_name(c); }

class SignalWhileRunning : public Fixture, public ::testing::WithParamInterface<SignalCase> {};

// Ended: gone, or a zombie its parent has not reaped yet.
bool process_ended(pid_t pid) {
    try {
        const std::string stat = testsupport::read_file("/proc/" + std::to_string(pid) + "/stat");
        const auto close = stat.rfind(')');
        return close == std::string::npos || close + 2 >= stat.size() || stat[close + 2] == 'Z';
    } catch (...) {
        return true;
    }
}

TEST_P(SignalWhileRunning, PipexPassesItOnReapsAllAndEndsAsItsLastStage) {
    const SignalCase& c = GetParam();
    constexpr std::size_t kStages = 3;
    TempDir dir;
    // $1: pid file, $2: file that receives the name of the signal caught.
    const std::string quitter = write_script(dir, "quitter.sh", kRecordPid);
    const std::string sleeper =
        write_script(dir, "sleeper.sh", std::string(kRecordPid) + "exec sleep 30\n");
    const std::string catcher =
        write_script(dir, "catcher.sh",
                     "for s in INT TERM HUP QUIT; do trap \"echo $s >> '$2'; quit=1\" $s; done\n" +
                         std::string(kRecordPid) +
                         "while [ -z \"$quit\" ]; do sleep 0.05; done\nsleep 0.3\nexit 0\n");
    std::vector<std::string> args = {"/dev/null"}, pid_files, caught_files;
    for (std::size_t k = 0; k < kStages; ++k) {
        pid_files.push_back(dir / ("pid" + std::to_string(k + 1)));
        caught_files.push_back(dir / ("caught" + std::to_string(k + 1)));
        const std::string& script = k == 0 && c.first_ended     ? quitter
                                    : c.stage == Stage::Sleeper ? sleeper
                                                                : catcher;
        args.push_back(script + " " + pid_files.back() + " " + caught_files.back());
    }
    args.push_back(dir / "out");

    RunSpec spec;
    spec.in_child = no_core_dumps;  // SIGQUIT's default action dumps core
    std::vector<pid_t> pids;
    spec.on_started = [&](int pipex) {
        pids = wait_for_pids(pid_files);
        const bool ready = pids.size() == kStages &&
                           (!c.first_ended || wait_until([&] { return process_ended(pids[0]); }));
        if (ready)
            kill(c.to_group ? -pipex : pipex, c.sig);
        else
            kill(-pipex, SIGKILL);  // the stages never got ready: fail below, quickly
    };
    const RunResult r = run_pipex(args, spec);

    ASSERT_EQ(pids.size(), kStages) << "the stages never all started; " << describe(r);
    EXPECT_FALSE(r.timed_out) << "pipex or a stage outlived the signal; " << describe(r);
    if (c.stage == Stage::Sleeper)
        EXPECT_TRUE(r.signaled() && r.term_signal() == c.sig)
            << "pipex should die by signal " << c.sig << " (" << strsignal(c.sig) << "); "
            << describe(r);
    else
        EXPECT_TRUE(!r.signaled() && r.exit_code() == 0)
            << "the last stage caught the signal and exited 0, and so should pipex; "
            << describe(r);
    for (std::size_t k = 0; k < kStages; ++k) {
        EXPECT_TRUE(process_gone(pids[k]))
            << "stage " << k + 1 << " (pid " << pids[k] << ") survived pipex (or was not reaped)";
        if (c.stage == Stage::Catcher && !(k == 0 && c.first_ended)) {
            const std::string& f = caught_files[k];
            const std::string caught =
                testsupport::file_exists(f) ? testsupport::read_file(f) : "nothing";
            const std::string once = std::string(signal_word(c.sig)) + "\n";
            // kill(-PGID) from a process cannot be told from kill(PID): it reaches a stage
            // from the sender and again from pipex (a terminal's, the kernel's, is seen once).
            if (c.to_group)
                EXPECT_EQ(caught.substr(0, once.size()), once)
                    << "stage " << k + 1 << " should have received SIG" << signal_word(c.sig);
            else
                EXPECT_EQ(caught, once) << "stage " << k + 1 << " should have received SIG"
                                        << signal_word(c.sig) << " exactly once";
        }
    }
    expect_nothing_left("after the signal");
}

INSTANTIATE_TEST_SUITE_P(Signals, SignalWhileRunning,
                         ::testing::Values(SignalCase{SIGINT, false, Stage::Sleeper},
                                           SignalCase{SIGTERM, false, Stage::Sleeper},
                                           SignalCase{SIGHUP, false, Stage::Sleeper},
                                           SignalCase{SIGQUIT, false, Stage::Sleeper},
                                           SignalCase{SIGINT, false, Stage::Catcher},
                                           SignalCase{SIGTERM, false, Stage::Catcher},
                                           SignalCase{SIGHUP, false, Stage::Catcher},
                                           SignalCase{SIGQUIT, false, Stage::Catcher},
                                           SignalCase{SIGINT, true, Stage::Sleeper},
                                           SignalCase{SIGINT, true, Stage::Catcher},
                                           SignalCase{SIGTERM, false, Stage::Catcher, true},
                                           SignalCase{SIGINT, true, Stage::Sleeper, true}),
                         [](const auto& p) { return case_name(p.param); });

// ---------------------------------------------------------------------------------------------
// A signal while a stage waits to open a FIFO

// A stage's own process opens INFILE or OUTFILE, as bash's does, with its signals already the
// program's: a FIFO with nobody at its other end holds up that stage alone, and a signal ends it
// by its default action. pipex then ends by the signal, as bash does, and leaves nothing behind.
struct FifoSignalCase {
    const char* name;
    bool fifo_is_infile;  // the FIFO is INFILE (no writer ever comes), or OUTFILE (no reader)
    int sig;
    bool to_group;  // kill(-pgid) as a terminal's ^C does, instead of kill(pipex)
};

void PrintTo(const FifoSignalCase& c, std::ostream* os) { *os << c.name; }

class SignalWhileOpeningAFifo : public Fixture,
                                public ::testing::WithParamInterface<FifoSignalCase> {};

TEST_P(SignalWhileOpeningAFifo, EndsThatStageAndPipexByTheSignal) {
    const FifoSignalCase& c = GetParam();
    TempDir dir;
    const std::string fifo = dir / "fifo";
    ASSERT_EQ(mkfifo(fifo.c_str(), 0666), 0) << strerror(errno);
    testsupport::write_file(dir / "in", "text\n");
    const std::vector<std::string> args =
        c.fifo_is_infile ? std::vector<std::string>{fifo, "cat", "cat", dir / "out"}
                         : std::vector<std::string>{dir / "in", "cat", "cat", fifo};

    RunSpec spec;
    bool waiting = false;
    spec.on_started = [&](int pipex) {
        // The other stage runs `cat` (so pipex forwards signals by now), and the FIFO's stage,
        // which has not exec'ed, still bears pipex's name, asleep in its open.
        waiting = wait_until(
            [&] {
                bool other_runs = false, opener_waits = false;
                for (const Child& child : list_children(pipex)) {
                    other_runs |= child.comm == "cat";
                    opener_waits |= child.comm == "pipex" && child.state == 'S';
                }
                return other_runs && opener_waits;
            },
            std::chrono::seconds(10));
        kill(c.to_group ? -pipex : pipex, waiting ? c.sig : SIGKILL);
    };
    const RunResult r = run_pipex(args, spec);

    ASSERT_TRUE(waiting) << "no stage was seen waiting to open the FIFO; " << describe(r);
    EXPECT_FALSE(r.timed_out) << "pipex outlived the signal; " << describe(r);
    EXPECT_TRUE(r.signaled() && r.term_signal() == c.sig)
        << "pipex should die by signal " << c.sig << " (" << strsignal(c.sig) << "); "
        << describe(r);
    EXPECT_EQ(r.err, "");
    expect_nothing_left("after the signal");
}

INSTANTIATE_TEST_SUITE_P(
    Fifos, SignalWhileOpeningAFifo,
    ::testing::Values(FifoSignalCase{"InfileSigintToGroup", true, SIGINT, true},
                      FifoSignalCase{"InfileSigtermToPipex", true, SIGTERM, false},
                      FifoSignalCase{"OutfileSigtermToPipex", false, SIGTERM, false},
                      FifoSignalCase{"OutfileSigintToGroup", false, SIGINT, true}),
    [](const auto& p) { return std::string(p.param.name); });

// ---------------------------------------------------------------------------------------------
// What children inherit

// What pipex's parent blocks must not reach the stages, and what it ignores reaches them as it
// reaches bash's children (bash's rule: signals ignored on entry stay ignored), but SIGPIPE, which
// is always back at default. pipex itself makes SIGCHLD default, to wait for its stages. Each
// stage is a direct `grep` of its own /proc/self/status (no shell in between), passing earlier
// stages' lines on.
struct InheritCase {
    const char* name;
    std::function<void()> in_child;
    std::uint64_t ignored_in_stages = 0;  // the SigIgn every stage must show
};

void PrintTo(const InheritCase& c, std::ostream* os) { *os << c.name; }

class ChildSignalState : public Fixture, public ::testing::WithParamInterface<InheritCase> {};

std::uint64_t bit(int sig) { return std::uint64_t{1} << (sig - 1); }

std::string signal_list(std::uint64_t mask) {
    std::string names;
    for (int sig = 1; sig <= 64; ++sig)
        if (mask & bit(sig))
            names +=
                (names.empty() ? "" : ", ") + std::to_string(sig) + " (" + strsignal(sig) + ")";
    return names.empty() ? "none" : names;
}

TEST_P(ChildSignalState, StagesKeepOnlyTheIgnoresBashKeepsAndAnEmptyMask) {
    constexpr std::size_t kStages = 3;
    TempDir dir;
    const std::string out = dir / "out";
    std::vector<std::string> args = {"/dev/null"};
    for (std::size_t k = 0; k < kStages; ++k)
        args.push_back("grep -h -e ^SigBlk: -e ^SigIgn: /proc/self/status -");
    args.push_back(out);
    RunSpec spec;
    spec.in_child = GetParam().in_child;

    const RunResult r = run_pipex(args, spec);

    ASSERT_FALSE(r.timed_out) << describe(r);
    EXPECT_EQ(r.shell_status(), 0) << describe(r);
    ASSERT_TRUE(testsupport::file_exists(out));
    // The last stage's two lines come first, then the earlier stages' in reverse order.
    std::istringstream lines(testsupport::read_file(out));
    std::size_t count = 0;
    for (std::string line; std::getline(lines, line); ++count) {
        const std::size_t stage = kStages - count / 2;
        const auto tab = line.find('\t');
        ASSERT_NE(tab, std::string::npos) << line;
        const std::string field = line.substr(0, tab - 1);
        const std::uint64_t mask = std::stoull(line.substr(tab + 1), nullptr, 16);
        const std::uint64_t expected = field == "SigIgn" ? GetParam().ignored_in_stages : 0;
        EXPECT_EQ(mask, expected) << "stage " << stage << " started with " << field
                                  << " set for signals " << signal_list(mask) << ", not "
                                  << signal_list(expected);
    }
    EXPECT_EQ(count, 2 * kStages) << "every stage prints its SigBlk and SigIgn lines";
}

INSTANTIATE_TEST_SUITE_P(
    Inherited, ChildSignalState,
    ::testing::Values(
        InheritCase{"Nothing", [] {}},
        InheritCase{"SigintSigtermBlocked",
                    [] {
                        block_signals({SIGINT, SIGTERM});
                    }},
        InheritCase{"SigpipeIgnored", [] { ignore_signals({SIGPIPE}); }},
        InheritCase{"SigchldAndSigusr2Ignored",
                    [] {
                        ignore_signals({SIGCHLD, SIGUSR2});
                    },
                    bit(SIGUSR2)},
        InheritCase{
            "ManyBlockedAndIgnored",
            [] {
                block_signals({SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGCHLD, SIGALRM});
                ignore_signals({SIGPIPE, SIGUSR2, SIGALRM, SIGTSTP});
            },
            bit(SIGUSR2) | bit(SIGALRM) | bit(SIGTSTP)}),
    [](const auto& p) { return std::string(p.param.name); });

class IgnoredSigpipe : public Fixture {};

// With SIGPIPE ignored by pipex's parent, the writers still die quietly by SIGPIPE once `head`
// is done, as they would under a shell: no "Broken pipe" or "write error" on stderr.
TEST_F(IgnoredSigpipe, WritersStillDieQuietlyWhenTheReaderLeaves) {
    TempDir dir;
    RunSpec spec;
    spec.in_child = [] { ignore_signals({SIGPIPE}); };

    const RunResult r = run_pipex({"/dev/null", "yes", "cat", "head -n 1", dir / "out"}, spec);

    ASSERT_FALSE(r.timed_out) << describe(r);
    EXPECT_EQ(r.shell_status(), 0) << describe(r);
    EXPECT_EQ(r.err, "") << "a writer saw EPIPE instead of dying by SIGPIPE";
    EXPECT_EQ(testsupport::read_file(dir / "out"), "y\n");
}

}  // namespace
}  // namespace hygiene

namespace hygiene {
namespace {

class IgnoredOnEntry : public Fixture {};

// Whether `pid` has a handler for `sig`, from the SigCgt line of its /proc status.
bool catches(pid_t pid, int sig) {
    std::istringstream status(testsupport::read_file("/proc/" + std::to_string(pid) + "/status"));
    for (std::string line; std::getline(status, line);)
        if (line.rfind("SigCgt:", 0) == 0)
            return (std::stoull(line.substr(7), nullptr, 16) >> (sig - 1)) & 1;
    return false;
}

// As under nohup: started with SIGHUP ignored, pipex and its stages keep ignoring it, as bash and
// its children do. A hangup to the whole process group, as a terminal's, ends nothing, and the
// pipeline finishes its work. The stage waits for a file the test creates only once the signal
// is sent, so the signal always finds it running.
TEST_F(IgnoredOnEntry, SighupIgnoredByTheCallerEndsNothing) {
    TempDir dir;
    const std::string pid_file = dir / "pid", go = dir / "go", out = dir / "out";
    const std::string stage = write_script(dir, "stage.sh",
                                           std::string(kRecordPid) +
                                               "while [ ! -e \"$2\" ]; do sleep 0.05; done\n"
                                               "echo done\n");
    RunSpec spec;
    spec.in_child = [] { ignore_signals({SIGHUP}); };
    bool started = false, pipex_catches_sighup = false;
    spec.on_started = [&](int pipex) {
        started = wait_for_pids({pid_file}).size() == 1;  // pipex's dispositions are set by now
        pipex_catches_sighup = started && catches(pipex, SIGHUP);
        if (started && !pipex_catches_sighup) kill(-pipex, SIGHUP);
        testsupport::write_file(go, "");
    };
    const RunResult r =
        run_pipex({"/dev/null", stage + " " + pid_file + " " + go, "cat", out}, spec);

    ASSERT_TRUE(started) << "the stage never started; " << describe(r);
    ASSERT_FALSE(r.timed_out) << describe(r);
    ASSERT_FALSE(pipex_catches_sighup)
        << "pipex catches SIGHUP though it was started with SIGHUP ignored";
    EXPECT_TRUE(r.exited() && r.exit_code() == 0) << describe(r);
    EXPECT_EQ(testsupport::file_exists(out) ? testsupport::read_file(out) : "no OUTFILE", "done\n");
}

}  // namespace
}  // namespace hygiene
