// Signals: pipex passes SIGINT, SIGTERM, SIGHUP and SIGQUIT on to every running child, reaps
// them all, then dies by that same signal when its last stage did, and exits with the last
// stage's status when that stage caught it; and children start with default dispositions and an
// empty mask whatever pipex inherited.
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
// What children inherit

// Signals pipex's parent ignores or blocks must not reach the stages: each stage is a direct
// `grep` of its own /proc/self/status (no shell in between), passing earlier stages' lines on.
struct InheritCase {
    const char* name;
    std::function<void()> in_child;
};

void PrintTo(const InheritCase& c, std::ostream* os) { *os << c.name; }

class ChildSignalState : public Fixture, public ::testing::WithParamInterface<InheritCase> {};

std::string signal_list(std::uint64_t mask) {
    std::string names;
    for (int sig = 1; sig <= 64; ++sig)
        if (mask & (std::uint64_t{1} << (sig - 1)))
            names +=
                (names.empty() ? "" : ", ") + std::to_string(sig) + " (" + strsignal(sig) + ")";
    return names;
}

TEST_P(ChildSignalState, StagesStartWithDefaultDispositionsAndEmptyMask) {
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
        const std::uint64_t mask = std::stoull(line.substr(tab + 1), nullptr, 16);
        EXPECT_EQ(mask, 0u) << "stage " << stage << " started with " << line.substr(0, tab - 1)
                            << " set for signals " << signal_list(mask);
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
                    }},
        InheritCase{
            "ManyBlockedAndIgnored",
            [] {
                block_signals({SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGCHLD, SIGALRM});
                ignore_signals({SIGPIPE, SIGUSR2, SIGALRM, SIGTSTP});
            }}),
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
