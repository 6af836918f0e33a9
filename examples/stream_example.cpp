// The output handed over while the pipeline runs, not kept until it ends: a hundred thousand
// numbered lines counted as they come out of
//   (cd FOLDER && sh -c 'seq 1 100000; pwd >&2; ls no-such-file') 2> FOLDER/errors.log | sed
//   's/^/n=/'
// The first stage runs in a scratch folder of its own and its stderr goes to a file, named, like
// every file of a pipeline, from the caller's folder.
#include <stdlib.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <pipex/pipeline.hpp>
#include <string>
#include <string_view>

int main() {
    char folder[] = "/tmp/pipex-stream-XXXXXX";
    if (::mkdtemp(folder) == nullptr) return 1;
    const std::string log = std::string(folder) + "/errors.log";

    std::size_t lines = 0, chunks = 0;
    std::string line, last_line;  // a line may end in the next chunk
    auto count_lines = [&](std::string_view chunk) {
        ++chunks;
        for (char byte : chunk) {
            if (byte != '\n') {
                line += byte;
                continue;
            }
            ++lines;
            last_line = std::move(line);
            line.clear();
        }
    };
    const pipex::PipelineResult result =
        pipex::run_pipeline(pipex::PipelineBuilder()
                                .set_env("LC_ALL", "C")
                                .input_text("")
                                .command_line("sh -c 'seq 1 100000; pwd >&2; ls no-such-file'")
                                .working_folder(folder)
                                .stderr_to(pipex::StderrFile{log})
                                .command_line("sed s/^/n=/")
                                .output_to(count_lines)
                                .build());
    std::printf("status %d: %zu lines in %zu chunks, the last %s\n", result.status(), lines, chunks,
                last_line.c_str());
    std::printf("stage 1 ended with %d and said, in errors.log:\n", result.stages[0].status);
    std::ifstream said(log);
    std::printf("%s", std::string(std::istreambuf_iterator<char>(said), {}).c_str());
    ::unlink(log.c_str());
    ::rmdir(folder);
    return result.status();
}
