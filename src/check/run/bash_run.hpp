// The oracle: the case's bash pipeline, run by /bin/bash in the bash twin folder. Its script
// comes on stdin, so a here-doc of any size fits. Whatever bash leaves running is ended
// before the program's run begins.
#pragma once

#include <chrono>
#include <string>

#include "audit/trace/signals.hpp"
#include "check/cases/bash_line.hpp"
#include "check/run/run_environment.hpp"
#include "check/run/sandbox.hpp"

namespace pipex::check {

struct Captured {
    std::string out;
    std::string err;
};

struct BashRun {
    int wait_status = 0;
    bool timed_out = false;
    bool interrupted = false;  // a stop request came: the worker is to end
    Captured io;
};

inline constexpr const char* kBash = "/bin/bash";

// Throws SystemError when bash cannot be started.
BashRun run_bash(const Sandbox& sandbox, const BashEquivalent& bash, const RunEnvironment& env,
                 const audit::SignalGate& signals, std::chrono::milliseconds timeout);

// Ends every process this worker still has below it (what a run left behind, re-parented to
// the worker, its subreaper) and reaps them all, so the next run's waits see only its own.
void end_leftovers() noexcept;

}  // namespace pipex::check
