// The same facts as the readable report, as JSON for tools (--json FILE).
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "audit/checks/findings.hpp"
#include "audit/trace/process_table.hpp"

namespace pipex::audit {

struct JsonContext {
    std::vector<std::string> command;
    std::set<int> allowed_fds;
    std::optional<int> command_wait_status;  // COMMAND's own, once it ended
};

std::string json_report(const ProcessTable& table, const Findings& findings,
                        const JsonContext& context);

}  // namespace pipex::audit
