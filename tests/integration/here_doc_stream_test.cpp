// A here-document read from a pipe or a file is streamed: the first stage gets the text while it
// arrives, pipex reads exactly up to the limiter line however early the first stage leaves, and
// a signal ends everything even while pipex waits for more text.
#include "hygiene.hpp"

namespace hygiene {
namespace {

// Bounds waits that only a broken pipex makes long.
constexpr std::chrono::seconds kPatience{30};

// pipex started with its stdin a pipe the test writes to and keeps open.
class FedPipex {
public:
    explicit FedPipex(std::vector<std::string> args) {
        int fds[2];
        EXPECT_EQ(pipe2(fds, O_CLOEXEC), 0);
        feed_ = fds[1];
        args.insert(args.begin(), PIPEX_BIN);
        std::vector<char*> argv;
        for (std::string& arg : args) argv.push_back(arg.data());
        argv.push_back(nullptr);
        pid_ = fork();
        if (pid_ == 0) {
            dup2(fds[0], 0);
            execv(PIPEX_BIN, argv.data());
            _exit(125);
        }
        close(fds[0]);
    }
    ~FedPipex() {
        close_feed();
        if (pid_ > 0 && !status_) {
            kill(pid_, SIGKILL);
            waitpid(pid_, nullptr, 0);
        }
    }

    void write_text(const std::string& text) {
        EXPECT_EQ(write(feed_, text.data(), text.size()), static_cast<ssize_t>(text.size()));
    }
    void close_feed() {
        if (feed_ >= 0) close(feed_);
        feed_ = -1;
    }
    pid_t pid() const { return pid_; }

    // pipex's wait status, or nullopt if it is still running after kPatience.
    std::optional<int> wait() {
        wait_until(
            [&] {
                int status = 0;
                if (waitpid(pid_, &status, WNOHANG) == pid_) status_ = status;
                return status_.has_value();
            },
            kPatience);
        return status_;
    }

private:
    int feed_ = -1;
    pid_t pid_ = -1;
    std::optional<int> status_;
};

bool file_holds(const std::string& path, const std::string& text) {
    return testsupport::file_exists(path) && testsupport::read_file(path) == text;
}

class HereDocStream : public Fixture {};

TEST_F(HereDocStream, FirstStageGetsTheTextBeforeTheLimiterComes) {
    TempDir dir;
    FedPipex pipex({"here_doc", "EOF", "cat", dir / "out"});
    pipex.write_text("hello\n");
    EXPECT_TRUE(wait_until([&] { return file_holds(dir / "out", "hello\n"); }, kPatience))
        << "the first line did not reach OUTFILE while pipex waited for the limiter";
    pipex.write_text("EOF\n");
    // The feed stays open: the limiter line alone ends the here-document.
    std::optional<int> status = pipex.wait();
    ASSERT_TRUE(status) << "pipex did not end at the limiter line";
    EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0) << "wait status " << *status;
    EXPECT_EQ(testsupport::read_file(dir / "out"), "hello\n");
}

TEST_F(HereDocStream, SigtermWhileWaitingForTextEndsPipexAndEveryStage) {
    TempDir dir;
    FedPipex pipex({"here_doc", "EOF", "cat", "cat", dir / "out"});
    pipex.write_text("hello\n");
    // Once the line went through both stages, pipex is waiting for more on its stdin.
    ASSERT_TRUE(wait_until([&] { return file_holds(dir / "out", "hello\n"); }, kPatience));
    kill(pipex.pid(), SIGTERM);
    std::optional<int> status = pipex.wait();
    ASSERT_TRUE(status) << "pipex went on reading its stdin after SIGTERM";
    EXPECT_TRUE(WIFSIGNALED(*status) && WTERMSIG(*status) == SIGTERM) << "wait status " << *status;
    expect_nothing_left("after SIGTERM while streaming");
}

// Run under sh with a file as stdin: what pipex leaves unread is what the next reader gets.
RunResult run_then_cat_rest(const TempDir& dir, const std::string& first_stage) {
    const std::string line =
        std::string("{ \"$0\" here_doc END '") + first_stage + "' 'wc -c' out; cat; } < in";
    return testsupport::run(
        {.argv = {"sh", "-c", line, PIPEX_BIN}, .cwd = dir.path(), .timeout = kPatience * 4});
}

TEST_F(HereDocStream, ReadsExactlyUpToTheLimiterWhenTheFirstStageLeavesAtOnce) {
    TempDir dir;
    testsupport::write_file(dir / "in", sample_text(100000) + "END\nrest\n");
    const RunResult r = run_then_cat_rest(dir, "true");
    EXPECT_EQ(r.shell_status(), 0) << describe(r);
    EXPECT_EQ(r.err, "");
    EXPECT_TRUE(r.out == "rest\n") << "left unread: " << r.out.size() << " bytes, 5 expected";
    EXPECT_EQ(testsupport::read_file(dir / "out"), "0\n");
}

TEST_F(HereDocStream, ReadsExactlyUpToTheLimiterWhenTheFirstStageReadsAll) {
    TempDir dir;
    const std::string text = sample_text(100000);
    testsupport::write_file(dir / "in", text + "END\nrest\n");
    const RunResult r = run_then_cat_rest(dir, "cat");
    EXPECT_EQ(r.shell_status(), 0) << describe(r);
    EXPECT_EQ(r.err, "");
    EXPECT_TRUE(r.out == "rest\n") << "left unread: " << r.out.size() << " bytes, 5 expected";
    EXPECT_EQ(testsupport::read_file(dir / "out"), std::to_string(text.size()) + "\n");
}

}  // namespace
}  // namespace hygiene
