// What pipex-check prints: a line per case (PASS/FAIL, group, name, the bash line it was
// compared with), what differed for each failure, a summary per group and the last line
// "N passed, M failed"; and the same as JSON (--json, docs/pipex-check.schema.json).
#pragma once

#include <string>
#include <vector>

#include "check/cases/check_case.hpp"
#include "check/program/case_result.hpp"

namespace pipex::check {

// One case's lines, each ending with '\n'.
std::string case_text(const Case& c, const CaseResult& result, bool verbose);

// The summary per group, then "N passed, M failed".
std::string summary_text(const std::vector<CaseResult>& results);

// `--list`: one line per case.
std::string list_text(const std::vector<std::size_t>& selected);

std::string json_report(const std::string& program, const std::vector<CaseResult>& results);

}  // namespace pipex::check
