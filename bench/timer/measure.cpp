// One timed run: from the start of a command until every process it started has ended.
#include "measure.hpp"

#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>

#include <cerrno>
#include <system_error>

#include "child.hpp"
#include "own_peak.hpp"

namespace bench {
namespace {

double now_ms() {
    timespec ts{};
    ::clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

double ms_of(const timeval& time) {
    return static_cast<double>(time.tv_sec) * 1e3 + static_cast<double>(time.tv_usec) / 1e3;
}

// Every process of the run is reaped by bench-timer or by an ancestor bench-timer reaps, so the
// run's CPU time is what RUSAGE_CHILDREN gained meanwhile: with the wall time it tells whether
// a launcher is slow by the work it does or by the cores it leaves idle.
double children_cpu_ms() {
    rusage usage{};
    ::getrusage(RUSAGE_CHILDREN, &usage);
    return ms_of(usage.ru_utime) + ms_of(usage.ru_stime);
}

// Orphans are reparented to us before their parent's end is reported, so once the command is
// reaped, waiting until there is no child left covers all its descendants.
void reap_descendants() {
    while (::waitpid(-1, nullptr, 0) > 0 || errno == EINTR) {
    }
}

}  // namespace

Sample run_once(const CommandSpec& command, const Plan& plan) {
    ChildOptions options;
    options.user = plan.user ? &*plan.user : nullptr;
    options.traced = plan.own_peak;

    Sample sample;
    double cpu_before = children_cpu_ms();
    double start = now_ms();
    pid_t pid = start_child(command, options);
    if (plan.own_peak) {
        TracedEnd end = follow_until_exit(pid);
        sample.wait_status = end.wait_status;
        sample.own_peak_kib = end.own_peak_kib;
    } else {
        sample.wait_status = wait_for(pid);
    }
    reap_descendants();
    sample.wall_ms = now_ms() - start;
    sample.cpu_ms = children_cpu_ms() - cpu_before;
    return sample;
}

}  // namespace bench
