// What the kernel counted for a stage, gathered when it is reaped.
#include "stage_usage.hpp"

#include <cstring>
#include <string>

namespace pipex {
namespace {

std::chrono::microseconds to_duration(const timeval& time) {
    return std::chrono::seconds(time.tv_sec) + std::chrono::microseconds(time.tv_usec);
}

}  // namespace

StageUsage stage_usage(pid_t pid, const rusage& usage, const proc::IoCounts& io,
                       std::chrono::nanoseconds wall, bool counted_bytes) {
    StageUsage stage;
    stage.wall = wall;
    stage.user_cpu = to_duration(usage.ru_utime);
    stage.system_cpu = to_duration(usage.ru_stime);
    stage.peak_memory_kib = usage.ru_maxrss;
    if (!counted_bytes) return stage;
    if (io.error != 0) {
        stage.bytes_unavailable =
            "/proc/" + std::to_string(pid) + "/io: " + std::strerror(io.error);
        return stage;
    }
    stage.bytes_read = io.bytes_read;
    stage.bytes_written = io.bytes_written;
    return stage;
}

}  // namespace pipex
