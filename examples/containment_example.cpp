// Containment through the engine: a stage that leaves a process behind holding its output pipe,
// the equivalent of   sh -c 'sleep 60 & echo started' | cat   which hangs a minute in a shell.
// Here the wait delay names the holder and ends it, and nothing is left running afterwards.
#include <chrono>
#include <cstdio>
#include <pipex/pipeline.hpp>

int main() {
    const pipex::PipelineSpec spec = pipex::PipelineBuilder()
                                         .input_text("")
                                         .command({"sh", "-c", "sleep 60 & echo started"})
                                         .command({"cat"})
                                         .output_fd(1)
                                         .build();

    pipex::RunOptions options;
    options.on_error = [](std::string_view line) {
        std::fprintf(stderr, "containment_example: %.*s\n", static_cast<int>(line.size()),
                     line.data());
    };
    options.containment.wait_delay = std::chrono::milliseconds(500);
    options.containment.kill_after = std::chrono::seconds(1);
    options.containment.timeout = std::chrono::seconds(30);  // the whole run, at most

    const pipex::PipelineResult result = pipex::run_pipeline(spec, options);
    for (const pipex::PipeHolder& holder : result.holders)
        std::fprintf(stderr, "holder: %s, pid %d, fd %d of the pipe after stage %zu\n",
                     holder.program.c_str(), static_cast<int>(holder.pid), holder.fd,
                     holder.pipe + 1);
    for (const pipex::Descendant& left : result.descendants)
        std::fprintf(stderr, "left running: %s, pid %d\n", left.program.c_str(),
                     static_cast<int>(left.pid));
    return result.status();
}
