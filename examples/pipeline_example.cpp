// The pipex engine used directly, without the pipex program: count the distinct words of a text
// held in memory, the equivalent of   printf '%s' "$TEXT" | tr -s ' ' '\n' | sort -u | wc -l
#include <cstdio>
#include <pipex/pipeline.hpp>

int main() {
    // The spec owns the text's memfd: the builder may be gone before it runs.
    const pipex::PipelineSpec spec =
        pipex::PipelineBuilder()
            .input_text("the quick brown fox jumps over the lazy dog the end\n")
            .command({"tr", "-s", " ", "\\n"})
            .command_line("sort -u")
            .command_line("wc -l")
            .output_fd(1)
            .build();

    pipex::RunOptions options;
    options.on_error = [](std::string_view error) {
        std::fprintf(stderr, "pipeline_example: %.*s\n", static_cast<int>(error.size()),
                     error.data());
    };
    const pipex::PipelineResult result = pipex::run_pipeline(spec, options);
    for (const pipex::StageResult& stage : result.stages)
        std::fprintf(stderr, "stage pid %d: status %d\n", static_cast<int>(stage.pid),
                     stage.status);
    return result.status();
}
