// Running the selected cases in parallel: up to `jobs` workers at once, each case in a forked
// worker (worker.hpp), results handed back in the battery's order as soon as they are known.
// A stop request (Ctrl-C, SIGTERM...) ends every worker and everything below them: pipex-check
// is a subreaper, so nothing a case started can escape it.
#pragma once

#include <cstddef>
#include <functional>
#include <vector>

#include "check/program/case_result.hpp"
#include "check/program/worker.hpp"

namespace pipex::check {

struct ScheduleOutcome {
    std::vector<CaseResult> results;  // in the order of `selected`
    int stop_signal = 0;              // set: interrupted by it, results are partial
};

ScheduleOutcome run_cases(const std::vector<std::size_t>& selected, const WorkerConfig& config,
                          unsigned jobs, const std::function<void(const CaseResult&)>& on_result);

}  // namespace pipex::check
