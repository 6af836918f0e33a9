// A stage whose stdin or stdout is an fd that is not open: the caller's mistake, reported as
// such (as bash reports `cat <&9` with fd 9 closed: a failed redirection, status 1), never as the
// program's failure to run.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "pipex/pipeline.hpp"
#include "process.hpp"

namespace {

// A number that is not open, and far above what the pipeline's own opens will be given (the
// lowest free numbers), so that it stays closed.
int closed_fd() {
    int fd = ::fcntl(2, F_DUPFD_CLOEXEC, 900);
    ::close(fd);
    return fd;
}

struct Ran {
    pipex::PipelineResult result;
    std::vector<std::string> errors;
};

Ran run(pipex::PipelineBuilder& builder) {
    Ran run;
    pipex::RunOptions options;
    options.on_error = [&](std::string_view error) { run.errors.emplace_back(error); };
    run.result = pipex::run_pipeline(builder.build(), options);
    return run;
}

TEST(StageSetup, ClosedInputFdIsTheCallersErrorNotTheProgramsAndTheRestRuns) {
    testsupport::TempDir dir;
    const int fd = closed_fd();
    pipex::PipelineBuilder builder;
    builder.input_fd(fd).command_line("cat").command_line("echo second").output_file(dir / "out");
    Ran ran = run(builder);
    ASSERT_EQ(ran.errors.size(), 1u);
    EXPECT_EQ(ran.errors[0], "cat: cannot use fd " + std::to_string(fd) +
                                 " as standard input: Bad file descriptor");
    EXPECT_EQ(ran.result.stages[0].status, 1);
    EXPECT_EQ(ran.result.stages[0].pid, -1);
    EXPECT_EQ(testsupport::read_file(dir / "out"), "second\n");
    EXPECT_EQ(ran.result.status(), 0);
}

TEST(StageSetup, ClosedOutputFdIsTheCallersErrorNotTheProgramsAndTheStatusIsOne) {
    const int fd = closed_fd();
    pipex::PipelineBuilder builder;
    builder.input_fd(0).command_line("true").command_line("cat").output_fd(fd);
    Ran ran = run(builder);
    ASSERT_EQ(ran.errors.size(), 1u);
    EXPECT_EQ(ran.errors[0], "cat: cannot use fd " + std::to_string(fd) +
                                 " as standard output: Bad file descriptor");
    EXPECT_EQ(ran.result.status(), 1);
}

}  // namespace
