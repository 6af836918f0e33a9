// Hostile environments: INFILE and OUTFILE that are not plain files — FIFOs with a process of the
// test at the other end, pipex's own stdin and stdout, devices, folders — and permission cases
// (as nobody) that bash_parity_test.cpp does not already cover.
#include <sys/stat.h>

#include "hostile.hpp"

namespace hostile {
namespace {

using parity::expect_same_as_bash;
using parity::text_files;

const std::string kText = "alpha\nbeta\ngamma\n";
const auto kInfile = text_files({{"in", kText}});

// ---------------------------------------------------------------------------------------------
// FIFOs: the test starts the other end before pipex, and the data must arrive. Each scenario is
// run with bash too, in its own folder, and both must agree.

struct FifoScenario {
    std::vector<std::string> args;  // pipex arguments (relative to the folder)
    std::string input{};            // here_doc text
    std::string writer{};           // sh script started before pipex (writes fifo_in), or none
    std::string reader{};           // sh script started before pipex (reads fifo_out), or none
};

struct FifoOutcome {
    RunResult run;
    std::optional<int> writer_status, reader_status;  // wait statuses; nullopt: hung (killed)
    std::string result;                               // the file `result`, if the reader wrote it
};

FifoOutcome run_with_fifos(const FifoScenario& s, bool bash) {
    TempDir dir;
    testsupport::write_file(dir / "in", kText);
    EXPECT_EQ(mkfifo((dir / "fifo_in").c_str(), 0666), 0);
    EXPECT_EQ(mkfifo((dir / "fifo_out").c_str(), 0666), 0);
    std::optional<Background> writer, reader;
    if (!s.writer.empty()) writer.emplace(s.writer, dir.path());
    if (!s.reader.empty()) reader.emplace(s.reader, dir.path());

    const bool here_doc = s.args.front() == "here_doc";
    RunSpec spec{.cwd = dir.path(), .timeout = hygiene::kHangLimit};
    if (bash) {
        const std::string script = parity::bash_script(s.args);
        spec.argv = here_doc ? std::vector<std::string>{"/bin/bash"}
                             : std::vector<std::string>{"/bin/bash", "-c", script};
        spec.stdin_data = here_doc ? script + "\n" + s.input : "";
    } else {
        spec.argv = {PIPEX_BIN};
        spec.argv.insert(spec.argv.end(), s.args.begin(), s.args.end());
        spec.stdin_data = s.input;
    }
    FifoOutcome o;
    o.run = testsupport::run(spec);
    if (writer) o.writer_status = writer->wait();
    if (reader) o.reader_status = reader->wait();
    if (testsupport::file_exists(dir / "result")) o.result = testsupport::read_file(dir / "result");
    return o;
}

// Runs the scenario with bash and pipex; both must end, agree, and end their partners.
FifoOutcome expect_fifo_run_as_bash(const FifoScenario& s) {
    const FifoOutcome b = run_with_fifos(s, true);
    const FifoOutcome p = run_with_fifos(s, false);
    EXPECT_FALSE(b.run.timed_out) << "bash hung";
    EXPECT_FALSE(p.run.timed_out) << "pipex hung: " << hygiene::describe(p.run);
    EXPECT_EQ(p.run.shell_status(), b.run.shell_status()) << hygiene::describe(p.run);
    EXPECT_EQ(p.run.out, b.run.out);
    EXPECT_EQ(p.run.err, "");
    EXPECT_TRUE(p.result == b.result) << "result through the FIFO\n  pipex: " << printable(p.result)
                                      << "\n  bash:  " << printable(b.result);
    if (!s.writer.empty()) {
        EXPECT_TRUE(p.writer_status.has_value()) << "the FIFO's writer never finished";
        EXPECT_EQ(p.writer_status, b.writer_status) << "writer's wait status";
    }
    if (!s.reader.empty()) {
        EXPECT_TRUE(p.reader_status.has_value()) << "the FIFO's reader never finished";
        EXPECT_EQ(p.reader_status, b.reader_status) << "reader's wait status";
    }
    return p;
}

std::string numbers(int count) {
    std::string text;
    for (int i = 1; i <= count; ++i) text += std::to_string(i) + "\n";
    return text;
}

class HostileFifo : public hygiene::Fixture {};

TEST_F(HostileFifo, InfileWithAWriter) {
    auto p = expect_fifo_run_as_bash(
        {.args = {"fifo_in", "cat", "wc -l", "result"}, .writer = "seq 1 100000 > fifo_in"});
    EXPECT_EQ(p.result, "100000\n");
    EXPECT_EQ(p.run.shell_status(), 0);
}

TEST_F(HostileFifo, OutfileWithAReader) {
    auto p = expect_fifo_run_as_bash(
        {.args = {"in", "cat", "tr a-z A-Z", "fifo_out"}, .reader = "cat fifo_out > result"});
    EXPECT_EQ(p.result, "ALPHA\nBETA\nGAMMA\n");
    EXPECT_EQ(p.run.shell_status(), 0);
}

TEST_F(HostileFifo, BothEndsFifosCarryMoreThanAPipeHolds) {
    auto p = expect_fifo_run_as_bash({.args = {"fifo_in", "cat", "cat", "fifo_out"},
                                      .writer = "seq 1 200000 > fifo_in",
                                      .reader = "cat fifo_out > result"});
    EXPECT_TRUE(p.result == numbers(200000)) << printable(p.result);
    EXPECT_EQ(p.run.shell_status(), 0);
}

TEST_F(HostileFifo, HereDocIntoAFifo) {
    auto p = expect_fifo_run_as_bash({.args = {"here_doc", "END", "cat", "sort -r", "fifo_out"},
                                      .input = "one\ntwo\nthree\nEND\n",
                                      .reader = "cat fifo_out > result"});
    EXPECT_EQ(p.result, "two\nthree\none\n");
}

TEST_F(HostileFifo, ReaderLeavesAtOnce) {
    // The reader opens the FIFO and leaves: the last stage dies of SIGPIPE (141), as in bash.
    auto p = expect_fifo_run_as_bash(
        {.args = {"in", "cat", "yes", "fifo_out"}, .reader = ": < fifo_out"});
    EXPECT_EQ(p.run.shell_status(), 141);
}

TEST_F(HostileFifo, WriterWritesNothing) {
    auto p = expect_fifo_run_as_bash({.args = {"fifo_in", "cat", "wc -c", "fifo_out"},
                                      .writer = ": > fifo_in",
                                      .reader = "cat fifo_out > result"});
    EXPECT_EQ(p.result, "0\n");
}

// The FIFO's writer is a later stage of the same pipeline: the first stage waits in its own open
// while the next stages start, so the writer comes and the pipeline completes, as in bash. (Opened
// by pipex before any stage started, this INFILE would have waited forever.)
TEST_F(HostileFifo, InfileWrittenByALaterStage) {
    auto cmp = expect_same_as_bash(
        {.args = {"fifo_in", "cat", "sh -c 'echo written > fifo_in; cat'", "out"},
         .setup =
             [](const std::string& d) { EXPECT_EQ(mkfifo((d + "/fifo_in").c_str(), 0666), 0); },
         .bash_status = 0});
    EXPECT_EQ(cmp.pipex.files["out"].content, "written\n");
}

// The same with the writer far down the pipeline: pipex lets only a few children load at once
// (each holds a stack in its memory until its exec), but never waits for one that opens a file,
// so the first stage's wait in its open cannot keep the writer, 17 stages on, from starting.
TEST_F(HostileFifo, InfileWrittenByAStageFarDownThePipeline) {
    std::vector<std::string> args{"fifo_in"};
    for (int i = 0; i < 16; ++i) args.push_back("cat");
    args.push_back("sh -c 'echo written > fifo_in; cat'");
    args.push_back("out");
    auto cmp = expect_same_as_bash(
        {.args = args,
         .setup =
             [](const std::string& d) { EXPECT_EQ(mkfifo((d + "/fifo_in").c_str(), 0666), 0); },
         .bash_status = 0});
    EXPECT_EQ(cmp.pipex.files["out"].content, "written\n");
}

// ---------------------------------------------------------------------------------------------
// pipex's own stdin and stdout, and devices

// Runs the pipeline with pipex and with bash, both fed `input` on stdin (for here_doc: the text;
// bash then reads its script first, as in bash_parity), and compares what they print.
void expect_std_streams_as_bash(const std::vector<std::string>& args, const std::string& input) {
    SCOPED_TRACE(parity::bash_script(args));
    TempDir bash_dir, pipex_dir;
    const bool here_doc = args.front() == "here_doc";
    const std::string script = parity::bash_script(args);
    RunSpec bash_spec{.argv = here_doc ? std::vector<std::string>{"/bin/bash"}
                                       : std::vector<std::string>{"/bin/bash", "-c", script},
                      .stdin_data = here_doc ? script + "\n" + input : input,
                      .cwd = bash_dir.path(),
                      .timeout = hygiene::kHangLimit};
    std::vector<std::string> argv = {PIPEX_BIN};
    argv.insert(argv.end(), args.begin(), args.end());
    RunSpec pipex_spec{
        .argv = argv, .stdin_data = input, .cwd = pipex_dir.path(), .timeout = hygiene::kHangLimit};
    const RunResult b = testsupport::run(bash_spec);
    const RunResult p = testsupport::run(pipex_spec);
    ASSERT_FALSE(b.timed_out) << "bash hung";
    ASSERT_FALSE(p.timed_out) << "pipex hung";
    EXPECT_EQ(p.shell_status(), b.shell_status()) << hygiene::describe(p);
    EXPECT_TRUE(p.out == b.out) << "stdout\n  pipex: " << printable(p.out)
                                << "\n  bash:  " << printable(b.out);
    EXPECT_TRUE(p.err == b.err) << "stderr\n  pipex: " << printable(p.err)
                                << "\n  bash:  " << printable(b.err);
}

TEST(HostileStdStreams, InfileDevStdinOutfileDevStdout) {
    expect_std_streams_as_bash({"/dev/stdin", "tr a-z A-Z", "cat", "/dev/stdout"}, kText);
    // More than a pipe holds, both ways.
    expect_std_streams_as_bash({"/dev/stdin", "cat", "cat", "/dev/stdout"}, numbers(300000));
    expect_std_streams_as_bash({"/dev/stdin", "cat", "wc -l", "/dev/stdout"}, "");
}

TEST(HostileStdStreams, HereDocToDevStdout) {
    expect_std_streams_as_bash({"here_doc", "END", "cat", "tr a-z A-Z", "/dev/stdout"},
                               "one\ntwo\nEND\nnot read\n");
}

TEST(HostileStdStreams, OutfileDevStderr) {
    expect_std_streams_as_bash({"/dev/stdin", "cat", "cat", "/dev/stderr"}, kText);
}

TEST(HostileStdStreams, InfileDevStdinAlsoReadByALaterStage) {
    // Only the first stage reads pipex's stdin; a later `cat -` reads its pipe.
    expect_std_streams_as_bash({"/dev/stdin", "head -n 1", "cat -", "/dev/stdout"}, kText);
}

TEST(HostileDevices, DevicesAsInfileAndOutfile) {
    expect_same_as_bash({.args = {"/dev/null", "cat", "wc -c", "out"}, .bash_status = 0});
    expect_same_as_bash(
        {.args = {"/dev/zero", "head -c 100000", "wc -c", "out"}, .bash_status = 0});
    expect_same_as_bash(
        {.args = {"in", "cat", "cat", "/dev/null"}, .setup = kInfile, .bash_status = 0});
    // Every write fails: the last stage's own error and status, as in bash.
    expect_same_as_bash({.args = {"in", "cat", "cat", "/dev/full"},
                         .setup = kInfile,
                         .bash_status = 1,
                         .bash_err_has = {"No space left on device"}});
}

// ---------------------------------------------------------------------------------------------
// Folders and permissions not covered in bash_parity_test.cpp

TEST(HostileFolders, RootAndCurrentFolder) {
    expect_same_as_bash({.args = {"/", "cat", "wc -c", "out"}, .bash_status = 0});
    expect_same_as_bash({.args = {".", "cat", "wc -c", "out"}, .bash_status = 0});
    expect_same_as_bash({.args = {"in", "cat", "cat", "."},
                         .setup = kInfile,
                         .bash_status = 1,
                         .bash_err_has = {".: Is a directory"}});
    expect_same_as_bash({.args = {"in", "cat", "cat", "/"}, .setup = kInfile, .bash_status = 1});
    expect_same_as_bash({.args = {"here_doc", "END", "cat", "cat", "."},
                         .input = "x\nEND\n",
                         .bash_status = 1,
                         .bash_err_has = {".: Is a directory"}});
}

TEST(HostilePermissions, InfileFolderWithoutReadPermission) {
    SKIP_UNLESS_ABLE_TO_RUN_AS_NOBODY();
    expect_same_as_bash({.args = {"sub", "cat", "wc -c", "out"},
                         .setup = [](const std::string& d) { parity::make_dir(d + "/sub", 0300); },
                         .as_nobody = true,
                         .bash_status = 0,
                         .bash_err_has = {"sub: Permission denied"}});
}

TEST(HostilePermissions, InfileWriteOnly) {
    SKIP_UNLESS_ABLE_TO_RUN_AS_NOBODY();
    expect_same_as_bash(
        {.args = {"in", "cat", "wc -l", "out"},
         .setup = [](const std::string& d) { testsupport::write_file(d + "/in", kText, 0222); },
         .as_nobody = true,
         .bash_status = 0,
         .bash_err_has = {"in: Permission denied"}});
}

TEST(HostilePermissions, InfileInFolderWithoutSearchPermission) {
    SKIP_UNLESS_ABLE_TO_RUN_AS_NOBODY();
    expect_same_as_bash({.args = {"locked/in", "cat", "wc -l", "out"},
                         .setup =
                             [](const std::string& d) {
                                 parity::make_dir(d + "/locked");
                                 testsupport::write_file(d + "/locked/in", kText, 0644);
                                 ::chmod((d + "/locked").c_str(), 0666);
                             },
                         .as_nobody = true,
                         .bash_status = 0,
                         .bash_err_has = {"locked/in: Permission denied"}});
}

TEST(HostilePermissions, OutfileInFolderWithoutSearchPermission) {
    SKIP_UNLESS_ABLE_TO_RUN_AS_NOBODY();
    expect_same_as_bash(
        {.args = {"in", "cat", "touch ran", "locked/out"},
         .setup = parity::both(kInfile,
                               [](const std::string& d) { parity::make_dir(d + "/locked", 0666); }),
         .as_nobody = true,
         .bash_status = 1,
         .bash_err_has = {"locked/out: Permission denied"}});
}

TEST(HostilePermissions, OutfileWriteOnlyIsWritten) {
    SKIP_UNLESS_ABLE_TO_RUN_AS_NOBODY();
    auto cmp = expect_same_as_bash(
        {.args = {"in", "cat", "tr a-z A-Z", "out"},
         .setup = parity::both(
             kInfile,
             [](const std::string& d) { testsupport::write_file(d + "/out", "old\n", 0222); }),
         .as_nobody = true,
         .bash_status = 0});
    EXPECT_EQ(cmp.pipex.files["out"].content, "ALPHA\nBETA\nGAMMA\n");
}

TEST(HostilePermissions, WritableOutfileInReadOnlyFolder) {
    SKIP_UNLESS_ABLE_TO_RUN_AS_NOBODY();
    // The folder forbids creating files, not writing an existing one that allows it.
    auto cmp = expect_same_as_bash(
        {.args = {"in", "cat", "cat", "ro/out"},
         .setup = parity::both(kInfile,
                               [](const std::string& d) {
                                   parity::make_dir(d + "/ro");
                                   testsupport::write_file(d + "/ro/out", "old content\n", 0666);
                                   ::chmod((d + "/ro").c_str(), 0555);
                               }),
         .as_nobody = true,
         .bash_status = 0});
    EXPECT_EQ(cmp.pipex.files["ro/out"].content, kText);
}

TEST(HostilePermissions, UnreadableInfileAndUnwritableOutfileAtOnce) {
    SKIP_UNLESS_ABLE_TO_RUN_AS_NOBODY();
    expect_same_as_bash({.args = {"in", "touch first_ran", "touch last_ran", "out"},
                         .setup =
                             [](const std::string& d) {
                                 testsupport::write_file(d + "/in", kText, 0000);
                                 testsupport::write_file(d + "/out", "kept\n", 0444);
                             },
                         .as_nobody = true,
                         .bash_status = 1,
                         .bash_err_has = {"in: Permission denied", "out: Permission denied"}});
}

TEST(HostilePermissions, HereDocOutfileInReadOnlyFolder) {
    SKIP_UNLESS_ABLE_TO_RUN_AS_NOBODY();
    expect_same_as_bash({.args = {"here_doc", "END", "cat", "touch ran", "ro/out"},
                         .input = "x\nEND\n",
                         .setup = [](const std::string& d) { parity::make_dir(d + "/ro", 0555); },
                         .as_nobody = true,
                         .bash_status = 1,
                         .bash_err_has = {"ro/out: Permission denied"}});
}

}  // namespace
}  // namespace hostile
