// pipex-micro-bench: Google Benchmark's flags, plus --ballast_mib=N, the memory the parent
// holds in the big-parent cases (default 1024; the smoke test uses less).
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <cstring>
#include <string_view>
#include <vector>

#include "spawn_bench.hpp"

namespace {

constexpr std::string_view kBallastFlag = "--ballast_mib=";

// Removes our flag from argv, which Google Benchmark would otherwise reject.
std::size_t take_ballast_flag(int& argc, char** argv) {
    std::size_t mib = 1024;
    int kept = 0;
    for (int i = 0; i < argc; ++i) {
        std::string_view argument = argv[i];
        if (i > 0 && argument.starts_with(kBallastFlag))
            mib = std::strtoul(argv[i] + kBallastFlag.size(), nullptr, 10);
        else
            argv[kept++] = argv[i];
    }
    argc = kept;
    return mib;
}

}  // namespace

int main(int argc, char** argv) {
    std::size_t ballast_mib = take_ballast_flag(argc, argv);
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    bench::register_spawn_benchmarks(ballast_mib);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
