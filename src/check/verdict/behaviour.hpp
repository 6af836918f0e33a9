// Behaviour, with bash as the oracle: the files of the twin folders (OUTFILE's bytes, and its
// mode when created), the exit status, the error lines and stdout. Error lines are compared
// once normalised: bash's "bash: " and "line N: " dropped, the program's own name dropped, and
// as a set, since the order in which stages fail is the order they happen to run.
#pragma once

#include <sys/types.h>

#include <map>
#include <string>
#include <vector>

#include "check/cases/check_case.hpp"
#include "check/run/bash_run.hpp"
#include "check/run/program_run.hpp"
#include "check/verdict/failure.hpp"

namespace pipex::check {

struct FileState {
    mode_t mode = 0;
    bool folder = false;
    std::string content;
};

// Every file and folder under `folder`, by its path relative to it.
using FolderState = std::map<std::string, FileState>;
FolderState folder_state(const std::string& folder);

// The error lines of a run, normalised, sorted. `own_names` are the names a program may
// call itself by ("pipex", its file name); for bash, "bash".
std::vector<std::string> error_lines(const std::string& err,
                                     const std::vector<std::string>& own_names);

struct BehaviourInput {
    const BashRun& bash;
    const ProgramRun& program;
    const FolderState& bash_files;
    const FolderState& program_files;
    std::string program_name;
};

Failures compare_behaviour(const Case& c, const BehaviourInput& input);

}  // namespace pipex::check
