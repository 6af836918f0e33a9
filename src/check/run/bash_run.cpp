// Running the oracle: the case's bash line, its script on bash's stdin.
#include "check/run/bash_run.hpp"

namespace pipex::check {

BashRun run_bash(const Sandbox& sandbox, const BashEquivalent& bash, const RunEnvironment& env,
                 const audit::SignalGate& signals, std::chrono::milliseconds timeout,
                 int signal_after_start) {
    return run_plain({kBash, {"bash"}, sandbox.bash_folder(), bash.script, signal_after_start}, env,
                     signals, timeout);
}

}  // namespace pipex::check
