// A report through the engine: `yes | head -n 3 | wc -l` with each stage accounted for, the
// equivalent of bash's PIPESTATUS with times, memory and bytes. `yes` dies of SIGPIPE once
// `head` has gone, which the result marks as benign; with pipefail the status still counts it,
// as bash's `set -o pipefail` does.
#include <cstdio>
#include <pipex/pipeline.hpp>
#include <pipex/report.hpp>

int main() {
    const pipex::PipelineSpec spec = pipex::PipelineBuilder()
                                         .input_text("")
                                         .command({"yes"})
                                         .command_line("head -n 3")
                                         .command_line("wc -l")
                                         .output_fd(1)
                                         .build();

    pipex::RunOptions options;
    options.count_bytes = true;  // bytes read and written, from /proc before each reaping
    options.pipefail = true;
    const pipex::PipelineResult result = pipex::run_pipeline(spec, options);

    std::fputs(pipex::report_table(spec, result).c_str(), stderr);
    for (const pipex::StageResult& stage : result.stages)
        std::fprintf(stderr, "stage pid %d: status %d%s, %ld KiB at most\n",
                     static_cast<int>(stage.pid), stage.status,
                     stage.benign_sigpipe ? " (benign SIGPIPE)" : "", stage.usage.peak_memory_kib);
    return result.status();  // 141: yes's SIGPIPE, the last non-zero status
}
