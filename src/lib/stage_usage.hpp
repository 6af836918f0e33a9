// A stage's usage from what its reaping gave: wait4's rusage, and /proc/PID/io read just before
// (internal to the engine; StageUsage is in pipeline.hpp).
#pragma once

#include <sys/resource.h>
#include <sys/types.h>

#include <chrono>

#include "pipex/base/proc_fs.hpp"
#include "pipex/pipeline.hpp"

namespace pipex {

// `io` is read only with `counted_bytes`; its error becomes the reason the bytes are missing.
StageUsage stage_usage(pid_t pid, const rusage& usage, const proc::IoCounts& io,
                       std::chrono::nanoseconds wall, bool counted_bytes);

}  // namespace pipex
