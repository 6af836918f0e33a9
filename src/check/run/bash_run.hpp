// The oracle: the case's bash pipeline, run by /bin/bash in the bash twin folder. Its script
// comes on stdin, so a here-doc of any size fits. Whatever bash leaves running is ended
// before the program's run begins.
#pragma once

#include <chrono>
#include <string>

#include "audit/trace/signals.hpp"
#include "check/cases/bash_line.hpp"
#include "check/run/plain_run.hpp"
#include "check/run/run_environment.hpp"
#include "check/run/sandbox.hpp"

namespace pipex::check {

using BashRun = PlainRun;

inline constexpr const char* kBash = "/bin/bash";

// Throws SystemError when bash cannot be started.
BashRun run_bash(const Sandbox& sandbox, const BashEquivalent& bash, const RunEnvironment& env,
                 const audit::SignalGate& signals, std::chrono::milliseconds timeout,
                 int signal_after_start = 0);

}  // namespace pipex::check
