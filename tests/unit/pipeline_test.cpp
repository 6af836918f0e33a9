// The pipeline library: building a spec, running it, every stage reported, its input streams.
#include "pipex/pipeline.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <pthread.h>
#include <pty.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <new>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "pipex/base/io.hpp"
#include "pipex/base/open.hpp"
#include "pipex/base/pipe.hpp"
#include "pipex/base/system_error.hpp"
#include "pipex/command_words.hpp"
#include "pipex/here_doc.hpp"
#include "process.hpp"

namespace {

using pipex::PipelineBuilder;
using pipex::run_pipeline;
using testsupport::TempDir;

struct Captured {
    pipex::PipelineResult result;
    std::vector<std::string> errors;
};

Captured run_capturing(PipelineBuilder& builder) {
    Captured captured;
    pipex::RunOptions options;
    options.on_error = [&](std::string_view error) { captured.errors.emplace_back(error); };
    captured.result = run_pipeline(builder.build(), options);
    return captured;
}

TEST(Pipeline, TextThroughStagesToFile) {
    TempDir dir;
    PipelineBuilder builder;
    builder.input_text("b\na\nb\n")
        .command_line("sort")
        .command({"uniq", "-c"})
        .output_file(dir / "out");
    Captured run = run_capturing(builder);
    EXPECT_EQ(testsupport::read_file(dir / "out"), "      1 a\n      2 b\n");
    EXPECT_EQ(run.result.status(), 0);
    EXPECT_TRUE(run.errors.empty());
    for (const auto& stage : run.result.stages) EXPECT_GT(stage.pid, 0);
}

TEST(Pipeline, StatusIsTheLastStagesAndEachStageIsReported) {
    TempDir dir;
    PipelineBuilder builder;
    builder.input_text("")
        .command_line("sh -c 'exit 3'")
        .command_line("nosuch-command-xyz")
        .command_line("sh -c 'exit 7'")
        .output_file(dir / "out");
    Captured run = run_capturing(builder);
    ASSERT_EQ(run.result.stages.size(), 3u);
    EXPECT_EQ(run.result.stages[0].status, 3);
    EXPECT_EQ(run.result.stages[1].status, 127);
    EXPECT_EQ(run.result.stages[1].pid, -1);
    EXPECT_EQ(run.result.stages[1].error, "nosuch-command-xyz: command not found");
    EXPECT_EQ(run.result.status(), 7);
    EXPECT_EQ(run.errors, std::vector<std::string>{"nosuch-command-xyz: command not found"});
}

TEST(Pipeline, CommandWithoutWordsIsNamedAndFails127) {
    TempDir dir;
    PipelineBuilder builder;
    builder.input_text("x").command_line("cat").command_line("  ").output_file(dir / "out");
    Captured run = run_capturing(builder);
    EXPECT_EQ(run.result.status(), 127);
    EXPECT_EQ(run.errors, std::vector<std::string>{"'  ': command not found"});
}

TEST(Pipeline, SignalledStageIs128PlusSignal) {
    TempDir dir;
    PipelineBuilder builder;
    builder.input_text("")
        .command_line("cat")
        .command_line("sh -c 'kill -SEGV $$'")
        .output_file(dir / "out");
    EXPECT_EQ(run_capturing(builder).result.status(), 139);
}

TEST(Pipeline, MissingInputSkipsFirstStageOnly) {
    TempDir dir;
    PipelineBuilder builder;
    builder.input_file(dir / "missing")
        .command_line("cat")
        .command_line("wc -l")
        .output_file(dir / "out");
    Captured run = run_capturing(builder);
    EXPECT_EQ(run.result.stages[0].status, 1);
    EXPECT_EQ(run.result.stages[0].pid, -1);
    EXPECT_EQ(run.result.status(), 0);
    EXPECT_EQ(testsupport::read_file(dir / "out"), "0\n");
    EXPECT_EQ(run.errors,
              std::vector<std::string>{dir / "missing" + ": No such file or directory"});
}

// As `< missing cat > out` in bash: the stage's redirections are taken in order, and the first
// that fails leaves the next undone, so OUTFILE is never created.
TEST(Pipeline, OneStageWhoseInputFailsNeverOpensItsOutput) {
    TempDir dir;
    PipelineBuilder builder;
    builder.input_file(dir / "missing").command_line("cat").output_file(dir / "out");
    Captured run = run_capturing(builder);
    EXPECT_EQ(run.result.status(), 1);
    EXPECT_EQ(run.errors,
              std::vector<std::string>{dir / "missing" + ": No such file or directory"});
    EXPECT_FALSE(testsupport::file_exists(dir / "out"));
}

TEST(Pipeline, UnopenableOutputSkipsLastStageWithStatus1) {
    TempDir dir;
    PipelineBuilder builder;
    builder.input_text("x\n").command_line("cat").command_line("cat").output_file(dir.path());
    Captured run = run_capturing(builder);
    EXPECT_EQ(run.result.status(), 1);
    EXPECT_EQ(run.result.stages[1].pid, -1);
    EXPECT_GT(run.result.stages[0].pid, 0);
    EXPECT_EQ(run.errors, std::vector<std::string>{dir.path() + ": Is a directory"});
}

TEST(Pipeline, AppendModeKeepsExistingContent) {
    TempDir dir;
    testsupport::write_file(dir / "out", "old\n");
    PipelineBuilder builder;
    builder.input_text("new\n").command_line("cat").output_file(dir / "out",
                                                                pipex::OutputMode::Append);
    run_capturing(builder);
    EXPECT_EQ(testsupport::read_file(dir / "out"), "old\nnew\n");
}

TEST(Pipeline, OutputModeIs0666MinusUmask) {
    TempDir dir;
    mode_t old = umask(027);
    PipelineBuilder builder;
    builder.input_text("").command_line("cat").output_file(dir / "out");
    run_capturing(builder);
    umask(old);
    struct stat st;
    ASSERT_EQ(stat((dir / "out").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0640u);
}

TEST(Pipeline, BorrowedStdFdsAsInputAndOutputWork) {
    // A caller's fd 0 given as input: it must reach the child as 0 even if it is close-on-exec.
    TempDir dir;
    testsupport::write_file(dir / "in", "hello\n");
    int saved_stdin = dup(0);
    int in = open((dir / "in").c_str(), O_RDONLY);
    ASSERT_EQ(dup3(in, 0, O_CLOEXEC), 0);
    close(in);
    PipelineBuilder builder;
    builder.input_fd(0).command_line("cat").output_file(dir / "out");
    Captured run = run_capturing(builder);
    dup2(saved_stdin, 0);
    close(saved_stdin);
    EXPECT_EQ(run.result.status(), 0);
    EXPECT_EQ(testsupport::read_file(dir / "out"), "hello\n");
}

// The spec holds the memfd of input_text itself: the builder is gone before the run, and an fd
// opened meanwhile takes whatever number is free, so a spec that only named the memfd would
// have the stage read that other file (or a closed fd).
// Far more than any pipe holds, in and out: nothing waits for a reader, nothing is cut.
TEST(PipelineCapture, OutputOfAnySizeComesBackWhole) {
    std::string text;
    for (int line = 0; text.size() < (8u << 20); ++line) text += std::to_string(line) + " x\n";
    PipelineBuilder builder;
    builder.input_text(text).command({"cat"}).command_line("tr x y").output_capture();
    Captured run = run_capturing(builder);
    EXPECT_EQ(run.result.status(), 0);
    EXPECT_TRUE(run.errors.empty());
    std::string expected = text;
    for (char& c : expected)
        if (c == 'x') c = 'y';
    ASSERT_EQ(run.result.output.size(), expected.size());
    EXPECT_TRUE(run.result.output == expected) << "the bytes differ";
}

TEST(PipelineCapture, TheLastStageHoldsOnlyItsThreeFds) {
    TempDir dir;
    PipelineBuilder builder;
    builder.input_text("").command({"cat"}).command({FDREPORT_BIN, dir / "fds"}).output_capture();
    Captured run = run_capturing(builder);
    EXPECT_EQ(run.result.status(), 0);
    EXPECT_EQ(testsupport::read_file(dir / "fds"), "0\n1\n2\n");
}

TEST(PipelineCapture, AStageThatWritesNothingGivesEmptyOutputAndItsStatus) {
    PipelineBuilder builder;
    builder.input_text("data\n").command({"cat"}).command_line("sh -c 'exit 3'").output_capture();
    Captured run = run_capturing(builder);
    EXPECT_EQ(run.result.status(), 3);
    EXPECT_EQ(run.result.output, "");
}

TEST(PipelineCapture, OneCallForTheCommonCase) {
    const pipex::PipelineResult result =
        pipex::capture({"tr -s ' ' '\\n'", "sort -u", "wc -l"}, "b a b  c\n");
    EXPECT_EQ(result.status(), 0);
    EXPECT_EQ(result.output, "3\n");
    ASSERT_EQ(result.stages.size(), 3u);
    const pipex::PipelineResult missing = pipex::capture({"cat", "nosuch-command-xyz"}, "x\n");
    EXPECT_EQ(missing.status(), 127);
    EXPECT_EQ(missing.stages[1].error, "nosuch-command-xyz: command not found");
    EXPECT_THROW(pipex::capture({"echo 'open"}), pipex::CommandSyntaxError);
}

// Each stage's stderr apart; given before any command, stderr_to is every stage's.
TEST(PipelineStderr, CapturedStageByStage) {
    PipelineBuilder builder;
    builder.stderr_to(pipex::StderrCapture{})
        .input_text("data\n")
        .command_line("sh -c 'echo one >&2; cat'")
        .command_line("sh -c 'echo two >&2; cat'")
        .command_line("sh -c 'cat; exit 4'")
        .stderr_to(pipex::StderrInherit{})  // the command added last
        .output_capture();
    Captured run = run_capturing(builder);
    EXPECT_EQ(run.result.status(), 4);
    EXPECT_EQ(run.result.output, "data\n");
    EXPECT_EQ(run.result.stages[0].error_output, "one\n");
    EXPECT_EQ(run.result.stages[1].error_output, "two\n");
    EXPECT_EQ(run.result.stages[2].error_output, "");
}

// 2>&1 into the pipe to the next stage (bash's |&), and on the last stage into the output file.
TEST(PipelineStderr, MergedIntoStdout) {
    TempDir dir;
    PipelineBuilder builder;
    builder.input_text("")
        .command_line("sh -c 'echo out; echo err >&2'")
        .stderr_to(pipex::StderrToStdout{})
        .command_line("sort")
        .command_line("sh -c 'cat; echo last >&2'")
        .stderr_to(pipex::StderrToStdout{})
        .output_file(dir / "out");
    Captured run = run_capturing(builder);
    EXPECT_EQ(run.result.status(), 0);
    EXPECT_EQ(testsupport::read_file(dir / "out"), "err\nout\nlast\n");
}

TEST(PipelineStderr, ToACallersFdAndACapturingStageHoldsOnlyThreeFds) {
    TempDir dir;
    pipex::UniqueFd sink(::open((dir / "errors").c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644));
    PipelineBuilder builder;
    builder.input_text("")
        .command_line("sh -c 'echo to-fd >&2'")
        .stderr_to(pipex::StderrFd{sink.get()})
        .command({FDREPORT_BIN, dir / "fds"})
        .stderr_to(pipex::StderrCapture{})
        .output_capture();
    Captured run = run_capturing(builder);
    EXPECT_EQ(run.result.status(), 0);
    EXPECT_EQ(testsupport::read_file(dir / "errors"), "to-fd\n");
    EXPECT_EQ(testsupport::read_file(dir / "fds"), "0\n1\n2\n");
}

TEST(PipelineStderr, AClosedFdIsTheStagesErrorNotTheProgramsAndNothingRuns) {
    const int closed = ::fcntl(2, F_DUPFD_CLOEXEC, 900);
    ::close(closed);
    PipelineBuilder builder;
    builder.input_text("").command({"cat"}).stderr_to(pipex::StderrFd{closed}).output_capture();
    Captured run = run_capturing(builder);
    EXPECT_EQ(run.result.status(), 1);
    EXPECT_EQ(run.result.stages[0].error, "cat: cannot use fd " + std::to_string(closed) +
                                              " as standard error: Bad file descriptor");
}

// Given before any command, a change is every stage's; after one, that stage's, made last.
TEST(PipelineEnvironment, ForEveryStageAndForOne) {
    PipelineBuilder builder;
    builder.set_env("PIPEX_TEST_A", "every")
        .set_env("PIPEX_TEST_B", "b")
        .input_text("")
        .command_line("sh -c 'echo 1 $PIPEX_TEST_A ${PIPEX_TEST_B-none}'")
        .command_line("sh -c 'cat; echo 2 $PIPEX_TEST_A ${PIPEX_TEST_B-none}'")
        .set_env("PIPEX_TEST_A", "own")
        .unset_env("PIPEX_TEST_B")
        .command_line("sh -c 'cat; echo 3 $PIPEX_TEST_A ${PIPEX_TEST_B-none} ${HOME+home}'")
        .output_capture();
    Captured run = run_capturing(builder);
    EXPECT_EQ(run.result.status(), 0);
    EXPECT_EQ(run.result.output, "1 every b\n2 own none\n3 every b" +
                                     std::string(::getenv("HOME") ? " home" : "") + "\n");
    EXPECT_EQ(::getenv("PIPEX_TEST_A"), nullptr) << "the caller's environment is left as it was";
}

TEST(PipelineEnvironment, ClearedTheStageHasOnlyWhatIsSetAndItsPathFindsTheCommand) {
    TempDir dir;
    testsupport::write_file(dir / "greet", "#!/bin/sh\ncat\necho hello from $0\n");
    ASSERT_EQ(::chmod((dir / "greet").c_str(), 0755), 0);
    PipelineBuilder builder;
    builder.input_text("")
        .command({"/usr/bin/env"})
        .clear_env()
        .set_env("ONLY", "1")
        .command({"greet"})
        .set_env("PATH", dir.path() + ":/usr/bin:/bin")
        .output_capture();
    Captured run = run_capturing(builder);
    EXPECT_EQ(run.result.status(), 0) << run.result.stages[1].error;
    EXPECT_EQ(run.result.output, "ONLY=1\nhello from " + (dir / "greet") + "\n");

    PipelineBuilder elsewhere;
    elsewhere.input_text("").command({"greet"}).set_env("PATH", "/usr/bin:/bin").output_capture();
    EXPECT_EQ(run_capturing(elsewhere).result.status(), 127);
    EXPECT_THROW(PipelineBuilder().set_env("A=B", "x"), std::invalid_argument);
    EXPECT_THROW(PipelineBuilder().unset_env(""), std::invalid_argument);
}

// Every command in the pipeline's folder but one in its own; a relative command is found from
// the folder it runs in, and the pipeline's files stay named from the caller's.
TEST(PipelineWorkingFolder, ForEveryStageAndForOne) {
    TempDir dir;
    ASSERT_EQ(::mkdir((dir / "a").c_str(), 0755), 0);
    ASSERT_EQ(::mkdir((dir / "b").c_str(), 0755), 0);
    testsupport::write_file(dir / "b/tool", "#!/bin/sh\ncat\necho tool in $(pwd)\n", 0755);
    PipelineBuilder builder;
    builder.working_folder(dir / "a")
        .input_text("")
        .command_line("pwd")
        .command_line("./tool")
        .working_folder(dir / "b")
        .command_line("sh -c 'cat; pwd'")
        .output_file(dir / "out");
    Captured run = run_capturing(builder);
    EXPECT_EQ(run.result.status(), 0) << run.result.stages[1].error;
    EXPECT_EQ(testsupport::read_file(dir / "out"),
              dir / "a" + "\ntool in " + dir / "b" + "\n" + dir / "a" + "\n");
    EXPECT_THROW(PipelineBuilder().working_folder(""), std::invalid_argument);
}

TEST(PipelineWorkingFolder, OneThatCannotBeEnteredIsThatStagesError) {
    TempDir dir;
    PipelineBuilder builder;
    builder.input_text("x\n")
        .command_line("cat")
        .command_line("cat")
        .working_folder(dir / "missing")
        .command_line("wc -l")
        .output_capture();
    Captured run = run_capturing(builder);
    EXPECT_EQ(run.result.stages[1].status, 1);
    EXPECT_EQ(run.result.stages[1].error, dir / "missing" + ": No such file or directory");
    EXPECT_EQ(run.errors, std::vector<std::string>{run.result.stages[1].error});
    EXPECT_EQ(run.result.status(), 0);
    EXPECT_EQ(run.result.output, "0\n");
}

// `2> FILE` and `2>> FILE`, opened by the stage's own process; one that cannot be opened is its
// error, and its command does not run.
TEST(PipelineStderr, ToAFileByItsPath) {
    TempDir dir;
    PipelineBuilder builder;
    builder.input_text("")
        .command_line("sh -c 'echo one >&2'")
        .stderr_to(pipex::StderrFile{dir / "errors", pipex::OutputMode::Truncate})
        .command_line("sh -c 'cat; echo two >&2'")
        .stderr_to(pipex::StderrFile{dir / "errors2", pipex::OutputMode::Append})
        .output_capture();
    testsupport::write_file(dir / "errors2", "before\n");
    Captured run = run_capturing(builder);
    EXPECT_EQ(run.result.status(), 0);
    EXPECT_EQ(testsupport::read_file(dir / "errors"), "one\n");
    EXPECT_EQ(testsupport::read_file(dir / "errors2"), "before\ntwo\n");

    PipelineBuilder unopenable;
    unopenable.input_text("")
        .command_line("sh -c 'echo ran'")
        .stderr_to(pipex::StderrFile{dir / "no/such/errors", pipex::OutputMode::Truncate})
        .output_capture();
    run = run_capturing(unopenable);
    EXPECT_EQ(run.result.status(), 1);
    EXPECT_EQ(run.result.stages[0].error, dir / "no/such/errors" + ": No such file or directory");
    EXPECT_EQ(run.result.output, "");
}

// The output and a stage's stderr, megabytes of each, go to their callbacks while the stage
// writes both: neither pipe is left unread, so nothing waits (a bounded test: it would hang).
TEST(PipelineCallback, OutputAndStderrAsTheyComeWhateverTheSizes) {
    constexpr std::size_t kBytes = 4 << 20;
    std::size_t output = 0, errors = 0, largest_chunk = 0, chunks = 0;
    std::string first_error_bytes;
    PipelineBuilder builder;
    builder.input_text("")
        .command_line(
            "sh -c 'head -c 4194304 /dev/zero; head -c 4194304 /dev/zero | tr \"\\0\" e >&2; "
            "head -c 4194304 /dev/zero'")
        .stderr_to(pipex::StderrCallback{[&](std::string_view chunk) {
            if (first_error_bytes.size() < 4) first_error_bytes += chunk.substr(0, 4);
            errors += chunk.size();
        }})
        .command_line("cat")
        .output_to([&](std::string_view chunk) {
            output += chunk.size();
            largest_chunk = std::max(largest_chunk, chunk.size());
            ++chunks;
        });
    Captured run = run_capturing(builder);
    EXPECT_EQ(run.result.status(), 0);
    EXPECT_EQ(output, 2 * kBytes);
    EXPECT_EQ(errors, kBytes);
    EXPECT_EQ(first_error_bytes.substr(0, 4), "eeee");
    EXPECT_LE(largest_chunk, 64u * 1024);
    EXPECT_GT(chunks, 1u);
}

// A here-document streamed in while the output goes to a callback: the writer waits for room in
// the input pipe through the run's wait, which reads the output meanwhile.
TEST(PipelineCallback, StreamedInputAndCallbackOutputDoNotWaitOnEachOther) {
    TempDir dir;
    std::string text;
    for (int i = 0; i < 200000; ++i) text += "line " + std::to_string(i) + "\n";
    testsupport::write_file(dir / "doc", text + "END\nafter\n");
    pipex::UniqueFd doc(::open((dir / "doc").c_str(), O_RDONLY | O_CLOEXEC));
    std::string output;
    PipelineBuilder builder;
    builder.input_here_doc(doc.get(), "END")
        .command_line("cat")
        .output_to([&](std::string_view chunk) { output += chunk; });
    Captured run = run_capturing(builder);
    EXPECT_EQ(run.result.status(), 0);
    EXPECT_EQ(output.size(), text.size());
    EXPECT_TRUE(output == text);

    std::string streamed;
    const std::string big(3 << 20, 's');
    PipelineBuilder writer;
    writer
        .input_stream([&](int fd, const pipex::StreamControl& control) {
            std::size_t at = 0;
            while (at < big.size() && !control.stop()) {
                const ssize_t put = ::write(fd, big.data() + at, big.size() - at);
                if (put > 0) at += static_cast<std::size_t>(put);
                if (put < 0 && errno == EAGAIN && !control.wait_writable(fd)) break;
                if (put < 0 && errno != EAGAIN && errno != EINTR) break;
            }
        })
        .command_line("cat")
        .output_to([&](std::string_view chunk) { streamed += chunk; });
    run = run_capturing(writer);
    EXPECT_EQ(run.result.status(), 0);
    EXPECT_EQ(streamed.size(), big.size());
}

// With descendants kept running, the output is what the pipe holds once the stages have ended:
// the run does not wait for a writer it was told to leave alone.
TEST(PipelineCallback, WithDescendantsKeptTheOutputIsWhatCameBeforeTheEnd) {
    std::string output;
    PipelineBuilder builder;
    builder.input_text("")
        .command_line("sh -c 'echo first; (sleep 1; echo late) & exit 0'")
        .output_to([&](std::string_view chunk) { output += chunk; });
    pipex::RunOptions options;
    options.containment.left_running = pipex::LeftRunning::Keep;
    const pipex::PipelineResult result = run_pipeline(builder.build(), options);
    EXPECT_EQ(result.status(), 0);
    EXPECT_EQ(output, "first\n");
    ASSERT_FALSE(result.descendants.empty());
    for (auto kept = result.descendants.rbegin(); kept != result.descendants.rend(); ++kept) {
        EXPECT_EQ(kept->fate, pipex::Fate::Kept);
        ::kill(kept->pid, SIGKILL);
        ::waitpid(kept->pid, nullptr, 0);  // the subshell was re-parented to this process
    }
}

// What a callback throws ends the run: the exception comes out of run_pipeline once every
// process of the tree was ended and reaped.
TEST(PipelineCallback, WhatTheCallbackThrowsEndsTheRunAndNothingIsLeft) {
    PipelineBuilder builder;
    builder.input_text("")
        .command_line("sh -c 'echo one; sleep 30'")
        .output_to([](std::string_view) { throw std::runtime_error("enough"); });
    EXPECT_THROW(run_pipeline(builder.build()), std::runtime_error);
    errno = 0;
    EXPECT_EQ(::waitpid(-1, nullptr, WNOHANG), -1);
    EXPECT_EQ(errno, ECHILD) << "a process of the run was left";
}

TEST(PipelineSpec, OwnsTheTextFdOnceTheBuilderIsGone) {
    TempDir dir;
    const pipex::PipelineSpec spec = PipelineBuilder()
                                         .input_text("b\na\n")
                                         .command_line("sort")
                                         .output_file(dir / "out")
                                         .build();
    testsupport::write_file(dir / "other", "not the text\n");
    pipex::OpenResult other = pipex::open_file(dir / "other", O_RDONLY);
    ASSERT_TRUE(other.fd) << std::strerror(other.error);
    pipex::PipelineResult result = run_pipeline(spec);
    EXPECT_EQ(result.status(), 0) << result.stages[0].error << result.failure;
    EXPECT_EQ(testsupport::read_file(dir / "out"), "a\nb\n");
}

// The last spec holding an owned fd closes it: a copy keeps it open after the original is gone.
TEST(PipelineSpec, CopiesShareTheOwnedFdAndTheLastClosesIt) {
    pipex::UniqueFd text = pipex::make_text_fd("x\n");
    const int number = text.get();
    std::optional<pipex::PipelineSpec> copy;
    {
        pipex::PipelineSpec spec =
            PipelineBuilder().input_owned(std::move(text)).command({"cat"}).build();
        copy = spec;
    }
    EXPECT_GE(fcntl(number, F_GETFD), 0) << "closed while a copy of the spec still names it";
    copy.reset();
    EXPECT_EQ(fcntl(number, F_GETFD), -1);
    EXPECT_EQ(errno, EBADF);
}

// ---- Here-documents ----

const std::string kWarning = "warning: here-document delimited by end-of-file (wanted `END')";

TEST(PipelineHereDoc, FromAPipeTheTextReachesTheFirstStageAndTheMissingLimiterIsSaid) {
    TempDir dir;
    pipex::Pipe input = pipex::make_pipe();
    ASSERT_EQ(pipex::write_all(input.write_end.get(), "b\na", 3), 0);
    input.write_end.reset();
    PipelineBuilder builder;
    builder.input_here_doc(input.read_end.get(), "END").command({"sort"}).output_file(dir / "out");
    Captured run = run_capturing(builder);
    EXPECT_EQ(run.result.status(), 0);
    EXPECT_TRUE(run.result.here_doc_delimited_by_eof);
    EXPECT_EQ(run.errors, std::vector<std::string>{kWarning});
    EXPECT_EQ(testsupport::read_file(dir / "out"), "a\nb\n");
}

// The writer stays open: the limiter line alone ends the text.
TEST(PipelineHereDoc, FromAPipeTheLimiterLineEndsIt) {
    TempDir dir;
    pipex::Pipe input = pipex::make_pipe();
    ASSERT_EQ(pipex::write_all(input.write_end.get(), "one\nEND\n", 8), 0);
    PipelineBuilder builder;
    builder.input_here_doc(input.read_end.get(), "END").command({"cat"}).output_file(dir / "out");
    Captured run = run_capturing(builder);
    EXPECT_EQ(run.result.status(), 0);
    EXPECT_FALSE(run.result.here_doc_delimited_by_eof);
    EXPECT_TRUE(run.errors.empty());
    EXPECT_EQ(testsupport::read_file(dir / "out"), "one\n");
}

TEST(PipelineHereDoc, FromASeekableFileWhatFollowsTheLimiterIsLeftUnread) {
    TempDir dir;
    pipex::UniqueFd input = pipex::make_text_fd("x\nEND\nrest\n");
    PipelineBuilder builder;
    builder.input_here_doc(input.get(), "END").command({"cat"}).output_file(dir / "out");
    Captured run = run_capturing(builder);
    EXPECT_EQ(run.result.status(), 0);
    EXPECT_EQ(testsupport::read_file(dir / "out"), "x\n");
    EXPECT_EQ(testsupport::read_all(input.get()), "rest\n");
}

// Streamed, the text is copied once the stages started: its end comes after their errors.
TEST(PipelineHereDoc, StreamedTheWarningComesWhenTheCopyEnds) {
    TempDir dir;
    pipex::UniqueFd input = pipex::make_text_fd("x\n");
    PipelineBuilder builder;
    builder.input_here_doc(input.get(), "END").command({"cat"}).command({"cat"});
    builder.output_file(dir.path());
    Captured run = run_capturing(builder);
    EXPECT_EQ(run.result.status(), 1);
    EXPECT_EQ(run.errors, (std::vector<std::string>{dir.path() + ": Is a directory", kWarning}));
}

// Without forwarded signals, the streamed copy of a non-blocking input still waits for its text.
TEST(PipelineHereDoc, FromANonBlockingPipeTextThatComesLaterIsWaitedFor) {
    TempDir dir;
    pipex::Pipe input = pipex::make_pipe();
    const int flags = fcntl(input.read_end.get(), F_GETFL);
    ASSERT_EQ(fcntl(input.read_end.get(), F_SETFL, flags | O_NONBLOCK), 0);
    std::thread writer([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));  // the stages start first
        EXPECT_EQ(pipex::write_all(input.write_end.get(), "late\nEND\n", 9), 0);
    });
    PipelineBuilder builder;
    builder.input_here_doc(input.read_end.get(), "END").command({"cat"}).output_file(dir / "out");
    Captured run = run_capturing(builder);
    writer.join();
    EXPECT_EQ(run.result.status(), 0);
    EXPECT_TRUE(run.errors.empty()) << run.errors.front();
    EXPECT_EQ(testsupport::read_file(dir / "out"), "late\n");
    EXPECT_NE(fcntl(input.read_end.get(), F_GETFL) & O_NONBLOCK, 0) << "its flags are the caller's";
}

// A pseudo-terminal holding typed lines, and fd 2 sent to a file meanwhile, for the prompts.
class TerminalInput {
public:
    explicit TerminalInput(const std::string& typed) {
        EXPECT_EQ(openpty(&master_, &terminal_, nullptr, nullptr, nullptr), 0);
        EXPECT_EQ(pipex::write_all(master_, typed.data(), typed.size()), 0);
        prompts_ = pipex::make_text_fd("");
        saved_stderr_ = dup(2);
        dup2(prompts_.get(), 2);
    }
    ~TerminalInput() {
        restore_stderr();
        close(terminal_);
        close(master_);
    }
    int fd() const { return terminal_; }
    std::string prompts() {
        restore_stderr();
        lseek(prompts_.get(), 0, SEEK_SET);
        return testsupport::read_all(prompts_.get());
    }

private:
    void restore_stderr() {
        if (saved_stderr_ < 0) return;
        dup2(saved_stderr_, 2);
        close(saved_stderr_);
        saved_stderr_ = -1;
    }
    int master_ = -1, terminal_ = -1, saved_stderr_ = -1;
    pipex::UniqueFd prompts_;
};

TEST(PipelineHereDoc, FromATerminalEachLineIsPromptedFor) {
    TempDir dir;
    TerminalInput terminal("first\nEND\n");
    PipelineBuilder builder;
    builder.input_here_doc(terminal.fd(), "END").command({"cat"}).output_file(dir / "out");
    Captured run = run_capturing(builder);
    EXPECT_EQ(terminal.prompts(), "> > ");
    EXPECT_EQ(run.result.status(), 0);
    EXPECT_TRUE(run.errors.empty());
    EXPECT_EQ(testsupport::read_file(dir / "out"), "first\n");
}

// From a terminal the whole text is read first: its end is said before the output is opened.
// \x04 is the terminal's end-of-file.
TEST(PipelineHereDoc, FromATerminalTheWarningComesBeforeAnyOtherError) {
    TempDir dir;
    TerminalInput terminal("first\n\x04");
    PipelineBuilder builder;
    builder.input_here_doc(terminal.fd(), "END").command({"cat"}).command({"cat"});
    builder.output_file(dir.path());
    Captured run = run_capturing(builder);
    EXPECT_EQ(terminal.prompts(), "> > ");
    EXPECT_TRUE(run.result.here_doc_delimited_by_eof);
    EXPECT_EQ(run.errors, (std::vector<std::string>{kWarning, dir.path() + ": Is a directory"}));
}

// ---- Input streams ----

// The stream is written while cat runs: far more than the pipes hold, so a producer that ran
// before the stages started, or without a reader, would block.
TEST(PipelineInputStream, FeedsTheFirstStageWhileItRuns) {
    TempDir dir;
    std::string text;
    for (int i = 0; text.size() < (4 << 20); ++i) text += "line " + std::to_string(i) + "\n";
    PipelineBuilder builder;
    bool stopped = true;
    builder
        .input_stream([&](int fd, const pipex::StreamControl& control) {
            stopped = control.stop();
            ASSERT_EQ(pipex::write_all(fd, text.data(), text.size()), 0);
        })
        .command_line("cat")
        .command_line("cat")
        .output_file(dir / "out");
    Captured run = run_capturing(builder);
    EXPECT_EQ(run.result.status(), 0);
    EXPECT_TRUE(run.errors.empty());
    EXPECT_FALSE(stopped);
    EXPECT_TRUE(testsupport::read_file(dir / "out") == text);
}

TEST(PipelineInputStream, ProducerFailureIsThePipelinesAndStagesAreReaped) {
    TempDir dir;
    PipelineBuilder builder;
    builder
        .input_stream([](int fd, const pipex::StreamControl&) {
            (void)pipex::write_all(fd, "partial\n", 8);
            throw pipex::SystemError(EIO, "producer");
        })
        .command_line("cat")
        .command_line("cat")
        .output_file(dir / "out");
    Captured run = run_capturing(builder);
    EXPECT_EQ(run.result.failure, "producer: Input/output error");
    EXPECT_EQ(run.result.status(), 1);
    EXPECT_EQ(run.errors, std::vector<std::string>{"producer: Input/output error"});
    // Not stopped: the stages saw end-of-file, passed on what they got and ended by themselves.
    EXPECT_EQ(testsupport::read_file(dir / "out"), "partial\n");
    for (const auto& stage : run.result.stages) {
        ASSERT_GT(stage.pid, 0);
        EXPECT_EQ(stage.status, 0);
        EXPECT_EQ(waitpid(stage.pid, nullptr, WNOHANG), -1)
            << "stage " << stage.pid << " not reaped";
    }
}

TEST(PipelineInputStream, FirstStageLeavingGivesTheProducerEpipe) {
    TempDir dir;
    sighandler_t saved = signal(SIGPIPE, SIG_IGN);  // as the caller must
    int error = 0;
    PipelineBuilder builder;
    builder
        .input_stream([&](int fd, const pipex::StreamControl&) {
            std::string chunk(1 << 20, 'x');
            for (int i = 0; i < 64 && error == 0; ++i)
                error = pipex::write_all(fd, chunk.data(), chunk.size());
        })
        .command_line("true")
        .command_line("wc -c")
        .output_file(dir / "out");
    Captured run = run_capturing(builder);
    signal(SIGPIPE, saved);
    EXPECT_EQ(error, EPIPE);
    EXPECT_EQ(run.result.status(), 0);
    EXPECT_TRUE(run.errors.empty());
    EXPECT_EQ(testsupport::read_file(dir / "out"), "0\n");
}

// ---- Out of memory ----

// A stage that would run for ever: it writes "ready" to $1 once it can take SIGTERM, and "term"
// to $2 when SIGTERM comes. SIGTERM reaches its short sleeps too (the whole tree is ended): the
// trap runs as soon as the one running ends.
class SleepingStage {
public:
    explicit SleepingStage(const TempDir& dir)
        : script_(dir / "sleeping.sh"), ready_(dir / "ready"), term_(dir / "term") {
        testsupport::write_file(script_,
                                "#!/bin/sh\n"
                                "trap 'echo term > \"$2\"; exit 0' TERM\n"
                                "echo ready > \"$1\"\n"
                                "while :; do sleep 0.05; done\n",
                                0755);
    }
    std::vector<std::string> words() const { return {script_, ready_, term_}; }
    // Bounds a wait that can only hang if the stage never started.
    bool wait_until_ready() const {
        for (int i = 0; i < 2000 && !testsupport::file_exists(ready_); ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        return testsupport::file_exists(ready_);
    }
    std::string fate() const {
        return testsupport::file_exists(term_) ? testsupport::read_file(term_) : "";
    }

private:
    std::string script_, ready_, term_;
};

bool no_child_left() { return waitpid(-1, nullptr, WNOHANG) < 0 && errno == ECHILD; }

// std::bad_alloc while the stages start (here from on_error, as from any allocation there):
// the stage already running gets SIGTERM and is reaped before the exception reaches the caller.
TEST(PipelineOutOfMemory, WhileStartingTheStagesTheRunningOnesAreStoppedAndReaped) {
    TempDir dir;
    SleepingStage first(dir);
    PipelineBuilder builder;
    builder.command(first.words()).command({"no-such-command-pipex-test"}).output_file(dir / "out");
    pipex::RunOptions options;
    options.on_error = [&](std::string_view) {
        EXPECT_TRUE(first.wait_until_ready());
        throw std::bad_alloc();
    };
    EXPECT_THROW(run_pipeline(builder.build(), options), std::bad_alloc);
    EXPECT_EQ(first.fate(), "term\n");
    EXPECT_TRUE(no_child_left());
}

// From an input stream's writer too: stopped, not waited for until they end by themselves.
TEST(PipelineOutOfMemory, InTheInputStreamTheStagesAreStoppedAndReaped) {
    TempDir dir;
    SleepingStage first(dir);
    PipelineBuilder builder;
    builder
        .input_stream([&](int, const pipex::StreamControl&) {
            EXPECT_TRUE(first.wait_until_ready());
            throw std::bad_alloc();
        })
        .command(first.words())
        .command_line("cat")
        .output_file(dir / "out");
    EXPECT_THROW(run_pipeline(builder.build()), std::bad_alloc);
    EXPECT_EQ(first.fate(), "term\n");
    EXPECT_TRUE(no_child_left());
}

TEST(PipelineBuilder, RejectsEmptyPipelineAndBadQuoting) {
    EXPECT_THROW(PipelineBuilder().build(), std::invalid_argument);
    EXPECT_THROW(PipelineBuilder().command_line("echo 'x"), pipex::CommandSyntaxError);
}

// A signal passed on while the stream's writer waits for its input ends the wait, whether it
// came before the wait (it was already handled) or during it: the writer never blocks on input
// that may never come while the stages are gone.
TEST(PipelineInputStream, WaitForInputEndsOnASignalBeforeOrDuringIt) {
    for (bool before : {true, false}) {
        TempDir dir;
        pipex::Pipe never = pipex::make_pipe();  // its write end stays open, nothing is written
        const pthread_t main_thread = pthread_self();
        std::thread sender;
        bool ready = true;
        PipelineBuilder builder;
        builder
            .input_stream([&](int, const pipex::StreamControl& control) {
                if (before)
                    ::raise(SIGTERM);
                else
                    sender = std::thread([main_thread] {
                        std::this_thread::sleep_for(std::chrono::milliseconds(100));
                        pthread_kill(main_thread, SIGTERM);
                    });
                ready = control.wait_readable(never.read_end.get());
            })
            .command({"cat"})
            .output_file(dir / "out");
        pipex::RunOptions options;
        options.forward_signals = true;
        pipex::PipelineResult result = run_pipeline(builder.build(), options);
        if (sender.joinable()) sender.join();
        EXPECT_FALSE(ready) << (before ? "signal before the wait" : "signal during the wait");
        EXPECT_EQ(result.interrupted_by, SIGTERM);
        EXPECT_EQ(result.stages[0].status, 128 + SIGTERM);  // cat got it passed on
    }
}

}  // namespace
