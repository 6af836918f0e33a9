// Benchmarks of creating children: the engine's three levels (spawn_process, launch_command,
// run_pipeline), each from a small parent and from a parent holding the ballast, beside a plain
// fork + exec for reference; and how long start_process keeps its caller from doing anything
// else (the next stage of a pipeline waits that long).
#pragma once

#include <cstddef>

namespace bench {

// `ballast_mib` is the size of the big parent (1024 for the published results).
void register_spawn_benchmarks(std::size_t ballast_mib);

}  // namespace bench
