// Micro-benchmarks of creating children, at each level of the engine.
#include "spawn_bench.hpp"

#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>

#include "ballast.hpp"
#include "pipex/base/open.hpp"
#include "pipex/base/pipe.hpp"
#include "pipex/base/system_error.hpp"
#include "pipex/launch.hpp"
#include "pipex/pipeline.hpp"
#include "pipex/spawn.hpp"

extern char** environ;

namespace bench {
namespace {

char true_path[] = "/bin/true";
char* true_argv[] = {true_path, nullptr};

pipex::UniqueFd open_dev_null() {
    pipex::OpenResult opened = pipex::open_file("/dev/null", O_RDWR);
    if (opened.error != 0) throw pipex::SystemError(opened.error, "/dev/null");
    return std::move(opened.fd);
}

// Every iteration waits for its child: the cost measured is that of a whole short-lived child,
// and no zombie piles up.
bool reaped_cleanly(pid_t pid) {
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) return false;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

void spawn_process_bench(benchmark::State& state) {
    hold_ballast(static_cast<std::size_t>(state.range(0)));
    pipex::UniqueFd null = open_dev_null();
    pipex::SpawnRequest request{true_path, true_argv, environ, {null.get(), null.get()}};
    for (auto _ : state) {
        pipex::SpawnOutcome outcome = pipex::spawn_process(request);
        if (outcome.pid < 0 || !reaped_cleanly(outcome.pid))
            return state.SkipWithError("/bin/true failed");
    }
}

// Only the time start_process keeps its caller: the next stage of a pipeline can start that much
// later. The child execs meanwhile (or, on the posix_spawn fallback, before start_process returns).
void start_process_caller_bench(benchmark::State& state) {
    hold_ballast(static_cast<std::size_t>(state.range(0)));
    pipex::UniqueFd null = open_dev_null();
    pipex::SpawnRequest request{true_path, true_argv, environ, {null.get(), null.get()}};
    for (auto _ : state) {
        pipex::StartedChild child = pipex::start_process(request);
        state.PauseTiming();
        bool ok = child.wait().error == 0 && reaped_cleanly(child.pid());
        state.ResumeTiming();
        if (!ok) return state.SkipWithError("/bin/true failed");
    }
}

void launch_command_bench(benchmark::State& state) {
    hold_ballast(static_cast<std::size_t>(state.range(0)));
    pipex::UniqueFd null = open_dev_null();
    const pipex::Command command{{"true"}, "true"};  // found through PATH, as pipex finds it
    const pipex::LaunchContext context = pipex::LaunchContext::from_process_environment();
    for (auto _ : state) {
        pipex::LaunchResult launched =
            pipex::launch_command(command, {null.get(), null.get()}, context);
        if (!launched.started() || !reaped_cleanly(launched.pid))
            return state.SkipWithError("true failed");
    }
}

void run_pipeline_bench(benchmark::State& state) {
    hold_ballast(static_cast<std::size_t>(state.range(0)));
    const pipex::PipelineSpec spec = pipex::PipelineBuilder()
                                         .input_file("/dev/null")
                                         .command({"cat"})
                                         .command({"cat"})
                                         .output_file("/dev/null")
                                         .build();
    for (auto _ : state) {
        if (pipex::run_pipeline(spec).status() != 0) return state.SkipWithError("cat | cat failed");
    }
}

// What a launcher that copies itself pays: the reference the engine's spawn is compared with.
void fork_exec_bench(benchmark::State& state) {
    hold_ballast(static_cast<std::size_t>(state.range(0)));
    for (auto _ : state) {
        pid_t pid = ::fork();
        if (pid == 0) {
            ::execve(true_path, true_argv, environ);
            ::_exit(127);
        }
        if (pid < 0 || !reaped_cleanly(pid)) return state.SkipWithError("fork + exec failed");
    }
}

}  // namespace

void register_spawn_benchmarks(std::size_t ballast_mib) {
    struct Case {
        const char* name;
        void (*function)(benchmark::State&);
    };
    for (const Case& entry : {Case{"spawn_process", spawn_process_bench},
                              Case{"start_process_caller_blocked", start_process_caller_bench},
                              Case{"launch_command", launch_command_bench},
                              Case{"run_pipeline_cat_cat", run_pipeline_bench},
                              Case{"fork_exec_reference", fork_exec_bench}}) {
        auto* registered = benchmark::RegisterBenchmark(entry.name, entry.function);
        registered->ArgName("parent_MiB")->Arg(0)->UseRealTime()->Unit(benchmark::kMicrosecond);
        if (ballast_mib > 0) registered->Arg(static_cast<std::int64_t>(ballast_mib));
    }
}

}  // namespace bench
