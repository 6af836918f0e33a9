// Hostile environments: one stage whose arguments are too long for the kernel (E2BIG), while
// pipex's own exec, with the same environment, fits.
//
// The kernel's limit on argv + envp is a quarter of the stack limit (the ARG_MAX of `getconf`);
// each string counts its bytes plus its NUL plus an 8-byte pointer, and no single string may
// exceed MAX_ARG_STRLEN (128 KiB). The test fixes the stack limit to 8 MiB, so ARG_MAX is
// 2,097,152, and builds an environment of at least ARG_MAX - 450,000 bytes in 100,000-byte
// variables (17 of them: 1,700,000 bytes). Then:
//   pipex:      env + one CMD string of 120,010 bytes + a few words  ~ 1,820,000: fits
//   /bin/echo:  env + 60,000 words "a" (2 bytes + 8-byte pointer each) ~ 2,300,000: E2BIG
//   cat:        env + one word                                        ~ 1,700,000: fits
// The HostileE2Big.KernelAgrees test checks this arithmetic against the running kernel.
#include "hostile.hpp"

namespace hostile {
namespace {

constexpr rlim_t kStack = 8u << 20;
constexpr std::size_t kWords = 60'000;
constexpr std::size_t kVarSize = 100'000;  // under MAX_ARG_STRLEN

class HostileE2Big : public hygiene::Fixture {
protected:
    void SetUp() override {
        hygiene::Fixture::SetUp();
        ASSERT_TRUE(stack_.ok()) << "cannot set RLIMIT_STACK to 8 MiB";
        const long arg_max = sysconf(_SC_ARG_MAX);
        ASSERT_EQ(arg_max, static_cast<long>(kStack / 4)) << "ARG_MAX does not follow RLIMIT_STACK";
        arg_max_ = static_cast<std::size_t>(arg_max);
        env_ = {"PATH=/usr/bin:/bin", "LC_ALL=C", "HOME=/nonexistent"};
        const std::size_t env_bytes = arg_max_ - 450'000;
        for (std::size_t i = 0; i * kVarSize < env_bytes; ++i) {
            std::string name = "BIG" + std::to_string(i) + "=";
            env_.push_back(name + std::string(kVarSize - name.size() - 1, 'e'));
        }
    }

    // `PROGRAM a a a ...` with kWords words: one CMD string, under 128 KiB.
    static std::string many_words(const std::string& program) {
        std::string cmd = program;
        cmd.reserve(program.size() + 2 * kWords);
        for (std::size_t i = 0; i < kWords; ++i) cmd += " a";
        return cmd;
    }

    RunResult run_pipex(const TempDir& dir, std::vector<std::string> args, bool big_env = true) {
        RunSpec spec{.env = big_env ? env_ : std::vector<std::string>{"PATH=/usr/bin:/bin"},
                     .cwd = dir.path(),
                     .in_child = [] { only_std_fds_survive_exec(); }};
        return hygiene::run_pipex(std::move(args), spec);
    }

    ScopedStackLimit stack_{kStack};
    std::size_t arg_max_ = 0;
    std::vector<std::string> env_;
};

TEST_F(HostileE2Big, KernelAgrees) {
    const std::string cmd = many_words("/bin/echo");
    ASSERT_LT(cmd.size() + 1, 128u * 1024) << "the CMD string itself would be too long";
    // The test's own exec of /bin/echo with every word as an argument: E2BIG (process.cpp
    // reports a failed exec with status 125).
    std::vector<std::string> argv = {"/bin/echo"};
    argv.insert(argv.end(), kWords, "a");
    RunResult direct =
        testsupport::run({.argv = argv, .env = env_, .timeout = hygiene::kHangLimit});
    EXPECT_EQ(direct.shell_status(), 125) << hygiene::describe(direct);
    EXPECT_NE(direct.err.find("Argument list too long"), std::string::npos) << direct.err;
    // The same words as one string, as pipex receives them: fits.
    RunResult whole = testsupport::run({.argv = {"/bin/echo", cmd, "in", "cat", "out"},
                                        .env = env_,
                                        .timeout = hygiene::kHangLimit});
    EXPECT_EQ(whole.shell_status(), 0) << hygiene::describe(whole);
    // Without the big environment, the words alone fit.
    RunResult small = testsupport::run(
        {.argv = argv, .env = std::vector<std::string>{}, .timeout = hygiene::kHangLimit});
    EXPECT_EQ(small.shell_status(), 0) << hygiene::describe(small);
}

TEST_F(HostileE2Big, LastStageFailsWith126) {
    TempDir dir;
    testsupport::write_file(dir / "in", "input\n");
    const RunResult r = run_pipex(dir, {"in", "cat", many_words("/bin/echo"), "out"});
    ASSERT_FALSE(r.timed_out) << hygiene::describe(r);
    EXPECT_EQ(r.shell_status(), 126) << hygiene::describe(r);
    EXPECT_EQ(r.err, "pipex: /bin/echo: Argument list too long\n");
    EXPECT_EQ(testsupport::read_file(dir / "out"), "");
}

TEST_F(HostileE2Big, FoundInPathTheMessageNamesTheFullPath) {
    TempDir dir;
    testsupport::write_file(dir / "in", "input\n");
    const RunResult r = run_pipex(dir, {"in", "cat", many_words("echo"), "out"});
    ASSERT_FALSE(r.timed_out) << hygiene::describe(r);
    EXPECT_EQ(r.shell_status(), 126) << hygiene::describe(r);
    EXPECT_EQ(r.err, "pipex: /usr/bin/echo: Argument list too long\n");
}

TEST_F(HostileE2Big, OtherStagesAreUnaffected) {
    TempDir dir;
    testsupport::write_file(dir / "in", "input\n");
    // First stage fails; the last one still runs (it reads an empty pipe) and decides the status.
    RunResult r = run_pipex(dir, {"in", many_words("/bin/echo"), "cat", "out"});
    ASSERT_FALSE(r.timed_out) << hygiene::describe(r);
    EXPECT_EQ(r.shell_status(), 0) << hygiene::describe(r);
    EXPECT_EQ(r.err, "pipex: /bin/echo: Argument list too long\n");
    ASSERT_TRUE(testsupport::file_exists(dir / "out"));
    EXPECT_EQ(testsupport::read_file(dir / "out"), "");

    // In the middle: the stages around it run, data before it is dropped, after it counted.
    r = run_pipex(dir, {"in", "cat", many_words("/bin/echo"), "wc -c", "out"});
    EXPECT_EQ(r.shell_status(), 0) << hygiene::describe(r);
    EXPECT_EQ(r.err, "pipex: /bin/echo: Argument list too long\n");
    EXPECT_EQ(testsupport::read_file(dir / "out"), "0\n");
}

TEST_F(HostileE2Big, WithoutTheBigEnvironmentTheSameStageRuns) {
    // The scenario's control: only the environment pushes the stage over the limit.
    TempDir dir;
    testsupport::write_file(dir / "in", "input\n");
    const RunResult r = run_pipex(dir, {"in", "cat", many_words("/bin/echo"), "wc -c", "out"},
                                  /*big_env=*/false);
    EXPECT_EQ(r.shell_status(), 0) << hygiene::describe(r);
    EXPECT_EQ(r.err, "");
    EXPECT_EQ(testsupport::read_file(dir / "out"), std::to_string(2 * kWords) + "\n");
}

TEST_F(HostileE2Big, SameAsBash) {
    // bash -c gets the pipeline as one string (under 128 KiB) and the same environment, so its
    // child hits the same E2BIG. (On failure the trace prints the whole command: long.)
    const auto in = parity::text_files({{"in", "input\n"}});
    parity::expect_same_as_bash({.args = {"in", "cat", many_words("/bin/echo"), "out"},
                                 .setup = in,
                                 .env = env_,
                                 .bash_status = 126,
                                 .bash_err_has = {"Argument list too long"}});
    // Found in PATH (echo would be a bash builtin, which never execs).
    parity::expect_same_as_bash({.args = {"in", many_words("ls"), "cat", "out"},
                                 .setup = in,
                                 .env = env_,
                                 .bash_status = 0,
                                 .bash_err_has = {"/usr/bin/ls: Argument list too long"}});
}

}  // namespace
}  // namespace hostile
