// The pipeline's output kept in memory: the three most common words of a text, as
//   printf '%s' "$TEXT" | tr -s ' ' '\n' | sort | uniq -c | sort -rn | head -n 3
// would print them with LC_ALL=C (set for every stage: bytes sorted, whatever the caller's
// locale), but into a std::string the program goes on with. Nothing waits for a reader
// (OutputCapture writes into a memfd), so the text and the output may be of any size. Then a
// stage's stderr kept apart, then merged into its stdout, and the one-call form of the common
// case, pipex::capture.
#include <cstdio>
#include <pipex/pipeline.hpp>
#include <string>

int main() {
    std::string text;
    for (int i = 0; i < 20000; ++i) text += "to be or not to be that is the question ";
    const pipex::PipelineResult result = pipex::run_pipeline(pipex::PipelineBuilder()
                                                                 .set_env("LC_ALL", "C")
                                                                 .input_text(text)
                                                                 .command({"tr", "-s", " ", "\\n"})
                                                                 .command_line("sort")
                                                                 .command_line("uniq -c")
                                                                 .command_line("sort -rn")
                                                                 .command_line("head -n 3")
                                                                 .output_capture()
                                                                 .build());
    if (result.status() != 0) return result.status();
    std::printf("captured %zu bytes:\n%s", result.output.size(), result.output.c_str());

    const pipex::PipelineResult listing =
        pipex::run_pipeline(pipex::PipelineBuilder()
                                .command_line("ls /no/such/folder")
                                .stderr_to(pipex::StderrCapture{})
                                .output_capture()
                                .build());
    std::printf("ls said (status %d): %s", listing.status(),
                listing.stages[0].error_output.c_str());

    // 2>&1: the stage's stderr merged into what it writes to the next stage, as bash's `|&`.
    const pipex::PipelineResult merged = pipex::run_pipeline(pipex::PipelineBuilder()
                                                                 .set_env("LC_ALL", "C")
                                                                 .command_line("ls /no/such/folder")
                                                                 .stderr_to(pipex::StderrToStdout{})
                                                                 .command_line("wc -l")
                                                                 .output_capture()
                                                                 .build());
    std::printf("lines ls wrote, its errors merged: %s", merged.output.c_str());

    const pipex::PipelineResult words = pipex::capture({"wc -w"}, result.output);
    std::printf("words in the capture: %s", words.output.c_str());
    return 0;
}
