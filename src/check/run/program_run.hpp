// The program under test, run in its twin folder under the audit engine's tracer: every exec
// of its tree is checked for fds beyond 0, 1 and 2, every exit for children left unreaped, and a
// run still going at the case's timeout has its waits diagnosed (who holds which pipe) and is
// ended.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "audit/checks/findings.hpp"
#include "audit/trace/process_table.hpp"
#include "audit/trace/signals.hpp"
#include "audit/trace/tracer.hpp"
#include "check/cases/check_case.hpp"
#include "check/run/bash_run.hpp"
#include "check/run/run_environment.hpp"
#include "check/run/sandbox.hpp"

namespace pipex::check {

struct ProgramRun {
    audit::ProcessTable table;
    audit::Findings findings;
    audit::TraceOutcome outcome;
    Captured io;
    bool timed_out = false;
    std::optional<std::vector<std::string>> tmp_created;  // nullopt: no private /tmp to watch
};

// Throws audit::TraceImpossible or SystemError when the program cannot be run traced.
ProgramRun run_program(const Sandbox& sandbox, const Case& c, const RunEnvironment& env,
                       const audit::SignalGate& signals, std::chrono::milliseconds timeout);

}  // namespace pipex::check
