// The same facts as the readable report, as JSON for tools (--json FILE).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "audit/checks/allow_rules.hpp"
#include "audit/checks/findings.hpp"
#include "audit/trace/process_table.hpp"

namespace pipex::audit {

// The document's version: raised whenever a key changes meaning or goes (docs/pipex-audit.md,
// docs/pipex-audit.schema.json); a key may be added within a version.
constexpr int kAuditSchemaVersion = 1;

struct JsonContext {
    std::vector<std::string> command;
    std::vector<AllowRule> allow_rules;
    std::optional<int> command_wait_status;  // COMMAND's own, once it ended
};

std::string json_report(const ProcessTable& table, const Findings& findings,
                        const JsonContext& context);

}  // namespace pipex::audit
