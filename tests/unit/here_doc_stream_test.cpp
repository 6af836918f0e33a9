// copy_here_doc into a pipe, as when a here-document is streamed to a running first stage: the
// reader may leave early (EPIPE), and a signal may ask the copy to stop while it is blocked.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <string>
#include <thread>

#include "pipex/base/pipe.hpp"
#include "pipex/here_doc.hpp"
#include "process.hpp"

namespace {

using testsupport::read_all;

using namespace std::chrono_literals;

// Lines of text, more than any pipe holds.
std::string many_lines(std::size_t bytes) {
    std::string text;
    for (int i = 0; text.size() < bytes; ++i) text += "line " + std::to_string(i) + "\n";
    return text;
}

// SIGPIPE ignored for the test's duration, as pipex ignores it: a write to a pipe without a
// reader then fails with EPIPE instead of killing the test.
class SigpipeIgnored {
public:
    SigpipeIgnored() { saved_ = signal(SIGPIPE, SIG_IGN); }
    ~SigpipeIgnored() { signal(SIGPIPE, saved_); }

private:
    sighandler_t saved_;
};

TEST(CopyHereDocToPipe, ReaderGoneBeforeTheCopy) {
    SigpipeIgnored sigpipe;
    const std::string body = many_lines(3 << 20);
    pipex::UniqueFd input = pipex::make_text_fd(body + "EOF\nrest\n");
    pipex::Pipe pipe = pipex::make_pipe();
    pipe.read_end.reset();
    pipex::HereDocEnd end = pipex::copy_here_doc(input.get(), "EOF", pipe.write_end.get());
    EXPECT_TRUE(end.sink_closed);
    EXPECT_FALSE(end.delimited_by_eof);
    EXPECT_FALSE(end.stopped);
    EXPECT_EQ(read_all(input.get()), "rest\n")
        << "input must be consumed up to the limiter line only";
}

TEST(CopyHereDocToPipe, ReaderLeavingHalfwayGetsAPrefixAndInputIsStillConsumed) {
    SigpipeIgnored sigpipe;
    const std::string body = many_lines(3 << 20);
    pipex::UniqueFd input = pipex::make_text_fd(body + "EOF\nrest\n");
    pipex::Pipe pipe = pipex::make_pipe();
    std::string taken(100000, '\0');
    std::thread reader([&] {
        std::size_t got = 0;
        while (got < taken.size()) {
            ssize_t n = read(pipe.read_end.get(), taken.data() + got, taken.size() - got);
            if (n <= 0) break;
            got += static_cast<std::size_t>(n);
        }
        taken.resize(got);
        pipe.read_end.reset();
    });
    pipex::HereDocEnd end = pipex::copy_here_doc(input.get(), "EOF", pipe.write_end.get());
    reader.join();
    EXPECT_TRUE(end.sink_closed);
    EXPECT_FALSE(end.delimited_by_eof);
    EXPECT_TRUE(taken == body.substr(0, 100000)) << "the reader did not get the text's beginning";
    EXPECT_EQ(read_all(input.get()), "rest\n");
}

TEST(CopyHereDocToPipe, ReaderTakingEverythingGetsExactlyTheText) {
    const std::string body = many_lines(3 << 20);
    pipex::UniqueFd input = pipex::make_text_fd(body + "EOF\n");
    pipex::Pipe pipe = pipex::make_pipe();
    std::string taken;
    std::thread reader([&] { taken = read_all(pipe.read_end.get()); });
    pipex::HereDocEnd end = pipex::copy_here_doc(input.get(), "EOF", pipe.write_end.get());
    pipe.write_end.reset();
    reader.join();
    EXPECT_FALSE(end.sink_closed);
    EXPECT_FALSE(end.delimited_by_eof);
    EXPECT_TRUE(taken == body) << taken.size() << " bytes arrived, " << body.size() << " expected";
}

// ---- Interrupted by a signal ----------------------------------------------------------------

volatile sig_atomic_t g_signals = 0;
extern "C" void count_signal(int) { g_signals = g_signals + 1; }

// SIGUSR1 handled without SA_RESTART (as the engine's forwarding handler is), so a blocked read
// or write returns EINTR; and a thread that sends it to the copying thread every few
// milliseconds until told to stop, bounded in case the copy never returns.
class Interrupter {
public:
    Interrupter() : target_(pthread_self()) {
        g_signals = 0;
        struct sigaction action {};
        action.sa_handler = count_signal;
        sigemptyset(&action.sa_mask);
        action.sa_flags = 0;
        sigaction(SIGUSR1, &action, &saved_);
        thread_ = std::thread([this] {
            const auto deadline = std::chrono::steady_clock::now() + 30s;
            while (!done_ && std::chrono::steady_clock::now() < deadline) {
                pthread_kill(target_, SIGUSR1);
                std::this_thread::sleep_for(10ms);
            }
        });
    }
    ~Interrupter() {
        finish();
        sigaction(SIGUSR1, &saved_, nullptr);
    }
    void finish() {
        done_ = true;
        if (thread_.joinable()) thread_.join();
    }

private:
    pthread_t target_;
    struct sigaction saved_ {};
    std::atomic<bool> done_{false};
    std::thread thread_;
};

pipex::HereDocOptions stop_when(std::function<bool()> stop) {
    return pipex::HereDocOptions{
        .prompt = false,
        .control = {.stop = std::move(stop), .wait_readable = {}, .wait_writable = {}}};
}

TEST(CopyHereDocInterrupted, StopsAReadThatWouldWaitForever) {
    pipex::Pipe input = pipex::make_pipe();  // the writer stays open and never writes
    pipex::UniqueFd sink = pipex::make_text_fd("");
    Interrupter interrupter;
    pipex::HereDocEnd end = pipex::copy_here_doc(input.read_end.get(), "EOF", sink.get(),
                                                 stop_when([] { return g_signals >= 3; }));
    interrupter.finish();
    EXPECT_TRUE(end.stopped);
    EXPECT_FALSE(end.delimited_by_eof);
    EXPECT_GE(g_signals, 3) << "returned before the signals asked it to";
}

TEST(CopyHereDocInterrupted, StopsAWriteThatWouldWaitForever) {
    pipex::UniqueFd input = pipex::make_text_fd(many_lines(3 << 20) + "EOF\n");
    pipex::Pipe sink = pipex::make_pipe();  // the reader stays open and never reads
    Interrupter interrupter;
    pipex::HereDocEnd end = pipex::copy_here_doc(input.get(), "EOF", sink.write_end.get(),
                                                 stop_when([] { return g_signals >= 3; }));
    interrupter.finish();
    EXPECT_TRUE(end.stopped);
    EXPECT_FALSE(end.sink_closed);
}

TEST(CopyHereDocInterrupted, GoesOnWhenStopSaysNo) {
    pipex::Pipe input = pipex::make_pipe();
    pipex::UniqueFd sink = pipex::make_text_fd("");
    Interrupter interrupter;
    // The text arrives only once the copy has been interrupted a few times.
    std::thread writer([&] {
        const auto deadline = std::chrono::steady_clock::now() + 30s;
        while (g_signals < 5 && std::chrono::steady_clock::now() < deadline)
            std::this_thread::sleep_for(5ms);
        (void)!write(input.write_end.get(), "x\nEOF\n", 6);
    });
    int asked = 0;
    pipex::HereDocEnd end = pipex::copy_here_doc(input.read_end.get(), "EOF", sink.get(),
                                                 stop_when([&] { return ++asked < 0; }));
    interrupter.finish();
    writer.join();
    EXPECT_FALSE(end.stopped);
    EXPECT_FALSE(end.delimited_by_eof);
    EXPECT_GT(asked, 0);
    ASSERT_EQ(lseek(sink.get(), 0, SEEK_SET), 0);
    EXPECT_EQ(read_all(sink.get()), "x\n");
}

// wait_readable decides whether a read happens at all: when it says stop, the input is not read.
pipex::HereDocOptions wait_with(std::function<bool(int fd)> wait_readable) {
    return pipex::HereDocOptions{
        .prompt = false,
        .control = {.stop = {}, .wait_readable = std::move(wait_readable), .wait_writable = {}}};
}

TEST(CopyHereDocWaitReadable, StopsBeforeReadingWhenTheWaitSaysSo) {
    pipex::Pipe input = pipex::make_pipe();
    ASSERT_EQ(write(input.write_end.get(), "x\nEOF\n", 6), 6);
    pipex::UniqueFd sink = pipex::make_text_fd("");
    int waits = 0;
    pipex::HereDocEnd end =
        pipex::copy_here_doc(input.read_end.get(), "EOF", sink.get(), wait_with([&](int fd) {
                                 EXPECT_EQ(fd, input.read_end.get());
                                 ++waits;
                                 return false;
                             }));
    EXPECT_TRUE(end.stopped);
    EXPECT_EQ(waits, 1);
    input.write_end.reset();
    EXPECT_EQ(read_all(input.read_end.get()), "x\nEOF\n");  // left for whoever reads next
}

TEST(CopyHereDocWaitReadable, ReadsWhateverTheWaitAllows) {
    pipex::UniqueFd input = pipex::make_text_fd("a\nb\nEOF\nafter\n");
    pipex::UniqueFd sink = pipex::make_text_fd("");
    int waits = 0;
    pipex::HereDocEnd end = pipex::copy_here_doc(input.get(), "EOF", sink.get(),
                                                 wait_with([&](int) { return ++waits > 0; }));
    EXPECT_FALSE(end.stopped);
    EXPECT_GE(waits, 1);
    ASSERT_EQ(lseek(sink.get(), 0, SEEK_SET), 0);
    EXPECT_EQ(read_all(sink.get()), "a\nb\n");
}

// ---- An input in non-blocking mode ----

// A pipe whose read end is in non-blocking mode, as a caller sharing it may leave it, and whose
// text comes only once the copy has found nothing to read.
class NonBlockingInput {
public:
    explicit NonBlockingInput(std::string text) {
        const int flags = fcntl(pipe_.read_end.get(), F_GETFL);
        EXPECT_EQ(fcntl(pipe_.read_end.get(), F_SETFL, flags | O_NONBLOCK), 0);
        writer_ = std::thread([this, text = std::move(text)] {
            std::this_thread::sleep_for(
                100ms);  // not a measure: only makes the first read find nothing
            EXPECT_EQ(write(pipe_.write_end.get(), text.data(), text.size()),
                      static_cast<ssize_t>(text.size()));
        });
    }
    ~NonBlockingInput() { join(); }
    int fd() const { return pipe_.read_end.get(); }
    void join() {
        if (writer_.joinable()) writer_.join();
    }
    bool still_non_blocking() const { return (fcntl(fd(), F_GETFL) & O_NONBLOCK) != 0; }

private:
    pipex::Pipe pipe_ = pipex::make_pipe();
    std::thread writer_;
};

TEST(CopyHereDocNonBlocking, WaitsForTextThatComesLaterAndLeavesTheFlags) {
    NonBlockingInput input("late\nEOF\n");
    pipex::UniqueFd sink = pipex::make_text_fd("");
    pipex::HereDocEnd end = pipex::copy_here_doc(input.fd(), "EOF", sink.get());
    input.join();
    EXPECT_FALSE(end.stopped);
    EXPECT_FALSE(end.delimited_by_eof);
    ASSERT_EQ(lseek(sink.get(), 0, SEEK_SET), 0);
    EXPECT_EQ(read_all(sink.get()), "late\n");
    EXPECT_TRUE(input.still_non_blocking());
}

// A read that finds nothing goes back to wait_readable, the wait that a signal can end, even
// when the wait said the input was ready (here the first time, before any text is there).
TEST(CopyHereDocNonBlocking, ANothingReadGoesBackToWaitReadable) {
    NonBlockingInput input("late\nEOF\n");
    pipex::UniqueFd sink = pipex::make_text_fd("");
    int waits = 0;
    pipex::HereDocEnd end =
        pipex::copy_here_doc(input.fd(), "EOF", sink.get(), wait_with([&](int fd) {
                                 if (++waits == 1) return true;
                                 pollfd entry{fd, POLLIN, 0};
                                 return poll(&entry, 1, -1) == 1;
                             }));
    input.join();
    EXPECT_FALSE(end.stopped);
    EXPECT_GE(waits, 2);
    ASSERT_EQ(lseek(sink.get(), 0, SEEK_SET), 0);
    EXPECT_EQ(read_all(sink.get()), "late\n");
}

}  // namespace
