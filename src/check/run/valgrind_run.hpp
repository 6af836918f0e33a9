// Leaks, by valgrind when it is installed: the program runs once more, untraced, under
// `valgrind --leak-check=full` in its twin folder. Only the program's own process is judged:
// children it forks are silent after the fork, and what they exec is not followed.
#pragma once

#include <chrono>
#include <string>

#include "audit/trace/signals.hpp"
#include "check/cases/check_case.hpp"
#include "check/run/run_environment.hpp"
#include "check/run/sandbox.hpp"

namespace pipex::check {

struct ValgrindResult {
    bool ran = false;
    std::string skipped;                     // why not, when it did not run
    unsigned long long definitely_lost = 0;  // bytes
    unsigned long long lost_blocks = 0;
    bool summarised = false;      // valgrind printed its heap summary: it could run the program
    bool saw_allocations = true;  // false: "0 allocs" (a static program: valgrind sees none)
    bool timed_out = false;
};

// The valgrind of the caller's PATH, or "" when there is none.
std::string valgrind_program();

ValgrindResult run_under_valgrind(const Sandbox& sandbox, const Case& c, const RunEnvironment& env,
                                  const audit::SignalGate& signals,
                                  std::chrono::milliseconds timeout);

}  // namespace pipex::check
