// Thousands of short pipelines in a row from one process: the engine must give back every fd it
// opened and reap every child it started, on success and error paths alike.
#include <dirent.h>
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cerrno>

#include "pipex/base/pipe.hpp"
#include "pipex/pipeline.hpp"
#include "process.hpp"

namespace {

std::size_t open_fd_count() {
    std::size_t count = 0;
    DIR* dir = opendir("/proc/self/fd");
    while (dirent* entry = readdir(dir))
        if (entry->d_name[0] != '.') ++count;
    closedir(dir);
    return count - 1;  // the listing's own fd
}

bool has_no_children() { return waitpid(-1, nullptr, WNOHANG) < 0 && errno == ECHILD; }

TEST(Stress, ThousandsOfPipelinesLeaveNoFdAndNoChild) {
    testsupport::TempDir dir;
    testsupport::write_file(dir / "in", "x\n");
    ASSERT_TRUE(has_no_children());
    const std::size_t fds_before = open_fd_count();

    for (int i = 0; i < 2000; ++i) {
        pipex::PipelineBuilder builder;
        switch (i % 4) {
            case 0:
                builder.input_file(dir / "in").command({"true"}).command({"true"});
                break;
            case 1:
                builder.input_text("y\n").command({"cat"}).command({"nosuch-command"});
                break;
            case 2:
                builder.input_file(dir / "missing").command({"true"}).command({"true"});
                break;
            case 3:
                builder.input_file(dir / "in").command({"/"}).command({"true"});
                break;
        }
        builder.output_file(i % 8 == 7 ? dir.path() : dir / "out");
        pipex::PipelineResult result = pipex::run_pipeline(builder.build());
        ASSERT_TRUE(result.failure.empty()) << "iteration " << i << ": " << result.failure;
    }

    EXPECT_EQ(open_fd_count(), fds_before);
    EXPECT_TRUE(has_no_children());
}

}  // namespace
