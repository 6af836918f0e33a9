// The words the engine says about stages and processes (internal): the run's messages
// (supervisor.cpp) and its reports (report_table.cpp, report_json.cpp) use the same ones.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "pipex/containment.hpp"
#include "pipex/pipeline.hpp"

namespace pipex {

// "stage 3" for index 2.
std::string stage_name(std::size_t index);

// "sleep (pid 123, started by stage 1)", or without the stage when none is known.
std::string describe_process(pid_t pid, const std::string& program,
                             const std::optional<int>& stage);

// "ended", "terminated", "killed", "kept".
const char* fate_word(Fate fate);

// How a stage ended: "exit 0", "SIGSEGV", "SIGPIPE (benign)", "not started (127)".
std::string stage_end(const StageResult& stage);

// The stage that took the longest, and the one with the largest peak memory, among those that
// ran; nullopt when fewer than two ran (nothing to compare).
std::optional<std::size_t> slowest_stage(const std::vector<StageResult>& stages);
std::optional<std::size_t> largest_memory_stage(const std::vector<StageResult>& stages);

}  // namespace pipex
