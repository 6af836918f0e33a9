// Splitting CMD strings into words: pipex does it once per stage, so it must stay far below
// the cost of a spawn (tens of nanoseconds against hundreds of microseconds).
#include <benchmark/benchmark.h>

#include <cstdint>
#include <string>

#include "pipex/command_words.hpp"

namespace {

void split_words(benchmark::State& state, const std::string& text) {
    for (auto _ : state) benchmark::DoNotOptimize(pipex::split_command_words(text));
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                            static_cast<std::int64_t>(text.size()));
}

std::string many_words(int count) {
    std::string text;
    for (int i = 0; i < count; ++i)
        text += "word" + std::to_string(i) + " 'quoted " + std::to_string(i) + "' ";
    return text;
}

}  // namespace

BENCHMARK_CAPTURE(split_words, plain, std::string("grep -v error"));
BENCHMARK_CAPTURE(split_words, quoted, std::string(R"(awk '{print $1}' "a \"b\" c" d\ e # note)"));
BENCHMARK_CAPTURE(split_words, thousand_words, many_words(500));
