// One case, judged in a process of its own (a worker): it enters a sandbox (sandbox.hpp), runs
// bash, then the program under the tracer, compares and checks, and sends its CaseResult to
// pipex-check. A worker ends only its own tree, and leaves nothing running.
#pragma once

#include <signal.h>

#include <chrono>
#include <string>

#include "check/cases/check_case.hpp"

namespace pipex::check {

struct WorkerConfig {
    std::string program;  // the program under test, as the user named it
    std::chrono::milliseconds timeout{};
    sigset_t caller_mask{};  // the signal mask pipex-check was started with
};

// In the child of fork: never returns. Writes the encoded result to `result_fd`.
[[noreturn]] void run_worker(const Case& c, std::size_t index, const WorkerConfig& config,
                             int result_fd) noexcept;

}  // namespace pipex::check
