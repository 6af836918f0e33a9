// A program of someone else's: the installed library counts the distinct lines of a text, as
//   printf 'b\na\nb\n' | sort -u | wc -l
// would, and prints the count and each stage's status.
#include <cstdio>
#include <pipex/pipeline.hpp>

int main() {
    const pipex::PipelineSpec spec = pipex::PipelineBuilder()
                                         .input_text("b\na\nb\n")
                                         .command_line("sort -u")
                                         .command({"wc", "-l"})
                                         .output_fd(1)
                                         .build();
    const pipex::PipelineResult result = pipex::run_pipeline(spec, pipex::RunOptions{});
    std::fflush(stdout);
    for (const pipex::StageResult& stage : result.stages)
        std::fprintf(stderr, "status %d\n", stage.status);
    return result.status();
}
