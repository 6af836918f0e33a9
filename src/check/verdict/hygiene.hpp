// Hygiene: what the program's process tree did, seen by the tracer on every case — the fds each
// command held at exec beyond 0, 1 and 2, children never waited for, processes left running,
// stages run one after the other, fds never closed, here-doc files in /tmp — and a hang
// explained. Each failure says what happened and how to fix it, in a student's words.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "check/cases/check_case.hpp"
#include "check/run/program_run.hpp"
#include "check/verdict/failure.hpp"

namespace pipex::check {

struct HygieneInput {
    const ProgramRun& run;
    std::string program_name;
    std::string folder;  // the program's twin folder: paths in it are named relative to it
    std::chrono::milliseconds timeout{};
    // The names the program created in /tmp in a second run of the case, when the first created
    // some (the same name twice is a fixed name); nullopt when there was no second run.
    std::optional<std::vector<std::string>> second_tmp_created;
    std::vector<std::string> tmp_left;  // names of the first run still in /tmp at its end
};

Failures check_hygiene(const Case& c, const HygieneInput& input);

}  // namespace pipex::check
