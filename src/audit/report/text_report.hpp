// The readable report pipex-audit writes on stderr once the traced tree has ended.
#pragma once

#include <string>
#include <vector>

#include "audit/checks/allow_rules.hpp"
#include "audit/checks/findings.hpp"
#include "audit/trace/process_table.hpp"

namespace pipex::audit {

// "N processes, N execs: N fd leaks, N zombies, N orphans", each noun in the number it needs,
// then ", N left running" and " (N fds allowed)" when there are some.
// One wait of a hang diagnosis: "pid 7 (wc) waits for data or end-of-file on pipe:[123] (its
// fd 0); its write end is held by pid 6 (sleep) fd 3, leaked to it by pid 5 (sh)".
std::string wait_text(const ProcessTable& table, const PipeWait& wait);

std::string summary_line(const ProcessTable& table, const Findings& findings);

// The whole report: the process tree with every exit status, what COMMAND was given, then each
// finding (a fd leaked to several processes is one, see leak_groups.hpp), the leaks `rules`
// allowed, then the summary line. Every line ends with '\n'.
std::string text_report(const ProcessTable& table, const Findings& findings,
                        const std::vector<std::string>& command,
                        const std::vector<AllowRule>& rules);

}  // namespace pipex::audit
