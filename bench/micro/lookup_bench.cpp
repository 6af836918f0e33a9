// Finding the program a command names, as bash does: a few stat calls per PATH entry. pipex does
// it once per stage, so its cost adds directly to a pipeline's start.
#include <benchmark/benchmark.h>

#include <string_view>

#include "pipex/path_lookup.hpp"

namespace {

constexpr std::string_view kDebianPath =
    "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

void find_command(benchmark::State& state, std::string_view name) {
    for (auto _ : state) benchmark::DoNotOptimize(pipex::find_command(name, kDebianPath));
}

}  // namespace

BENCHMARK_CAPTURE(find_command, found_in_4th_entry, std::string_view("cat"));
BENCHMARK_CAPTURE(find_command, not_found, std::string_view("no-such-command"));
BENCHMARK_CAPTURE(find_command, absolute_path, std::string_view("/bin/cat"));
