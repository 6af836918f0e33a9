// Running the oracle: the case's bash line, its script on bash's stdin.
#include "check/run/bash_run.hpp"

namespace pipex::check {

BashRun run_bash(const Sandbox& sandbox, const BashEquivalent& bash, const RunEnvironment& env,
                 const audit::SignalGate& signals, std::chrono::milliseconds timeout) {
    return run_plain({kBash, {"bash"}, sandbox.bash_folder(), bash.script}, env, signals, timeout);
}

}  // namespace pipex::check
