// The readable report pipex-audit writes on stderr once the traced tree has ended.
#pragma once

#include <string>
#include <vector>

#include "audit/checks/findings.hpp"
#include "audit/trace/process_table.hpp"

namespace pipex::audit {

// "N processes, N execs: N fd leaks, N zombies, N orphans".
std::string summary_line(const ProcessTable& table, const Findings& findings);

// The whole report: the process tree with every exit status, what COMMAND was given, then each
// finding, then the summary line. Every line ends with '\n'.
std::string text_report(const ProcessTable& table, const Findings& findings,
                        const std::vector<std::string>& command);

}  // namespace pipex::audit
