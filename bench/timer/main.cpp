// bench-timer: times commands side by side, alternating them, and prints every run and a
// summary per command (tab-separated, for the driver in bench/driver/):
//
//   run      NAME  ROUND  WALL_MS  PEAK_KIB  CPU_MS
//   summary  NAME  MEDIAN_MS  MIN_MS  MAX_MS  RUNS  MEDIAN_PEAK_KIB  MEDIAN_CPU_MS
//
// PEAK_KIB is the command's own peak memory with --own-peak, "-" otherwise. CPU_MS is the user
// and system time of the command and all its descendants. A command that does not exit with
// status 0 stops everything: a benchmark of a failing pipeline measures nothing.
#include <sys/prctl.h>
#include <sys/wait.h>

#include <cstdio>
#include <exception>
#include <map>
#include <string>
#include <vector>

#include "measure.hpp"
#include "plan.hpp"
#include "stats.hpp"

namespace {

struct Runs {
    std::vector<double> wall_ms;
    std::vector<double> peak_kib;
    std::vector<double> cpu_ms;
};

std::string peak_text(double kib) { return kib < 0 ? "-" : std::to_string(static_cast<long>(kib)); }

bool succeeded(const bench::CommandSpec& command, const bench::Sample& sample) {
    if (WIFEXITED(sample.wait_status) && WEXITSTATUS(sample.wait_status) == 0) return true;
    if (WIFEXITED(sample.wait_status))
        std::fprintf(stderr, "bench-timer: %s exited with status %d\n", command.name.c_str(),
                     WEXITSTATUS(sample.wait_status));
    else
        std::fprintf(stderr, "bench-timer: %s was killed by signal %d\n", command.name.c_str(),
                     WTERMSIG(sample.wait_status));
    return false;
}

void print_summary(const std::string& name, const Runs& runs) {
    bench::Summary wall = bench::summarize(runs.wall_ms);
    double peak = runs.peak_kib.empty() ? -1 : bench::summarize(runs.peak_kib).median;
    std::printf("summary\t%s\t%.3f\t%.3f\t%.3f\t%zu\t%s\t%.3f\n", name.c_str(), wall.median,
                wall.min, wall.max, runs.wall_ms.size(), peak_text(peak).c_str(),
                bench::summarize(runs.cpu_ms).median);
}

int run_plan(const bench::Plan& plan) {
    std::map<std::string, Runs> results;
    const std::size_t count = plan.commands.size();
    for (int round = -plan.warmup; round < plan.runs; ++round) {
        // Each round starts one command further (A B C, B C A, C A B, ...): over the rounds every
        // command takes every place in the round equally often.
        const auto first = static_cast<std::size_t>(round + plan.warmup) % count;
        for (std::size_t turn = 0; turn < count; ++turn) {
            const bench::CommandSpec& command = plan.commands[(first + turn) % count];
            bench::Sample sample = bench::run_once(command, plan);
            if (!succeeded(command, sample)) return 1;
            if (round < 0) continue;  // warm-up: caches, page cache, dynamic loader
            Runs& runs = results[command.name];
            runs.wall_ms.push_back(sample.wall_ms);
            runs.cpu_ms.push_back(sample.cpu_ms);
            if (sample.own_peak_kib >= 0)
                runs.peak_kib.push_back(static_cast<double>(sample.own_peak_kib));
            std::printf("run\t%s\t%d\t%.3f\t%s\t%.3f\n", command.name.c_str(), round,
                        sample.wall_ms, peak_text(static_cast<double>(sample.own_peak_kib)).c_str(),
                        sample.cpu_ms);
            std::fflush(stdout);
        }
    }
    for (const auto& command : plan.commands) print_summary(command.name, results[command.name]);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        bench::Plan plan = bench::parse_plan(argc, argv);
        // Stages a launcher leaves behind become ours, so a run lasts until they have ended.
        ::prctl(PR_SET_CHILD_SUBREAPER, 1);
        return run_plan(plan);
    } catch (const std::exception& error) {
        std::fprintf(stderr, "bench-timer: %s\n", error.what());
        return 2;
    }
}
