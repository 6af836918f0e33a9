// The fd check made at every successful exec: an fd beyond 0, 1 and 2 in a program that has
// just started is a leak, unless an allow rule accepts it (then it is kept apart, not counted). The
// top command's first exec is the exception: what it holds was handed over by pipex-audit's caller,
// and is kept as context (it explains what the tree then passes on), not counted.
#pragma once

#include <cstddef>
#include <vector>

#include "audit/checks/allow_rules.hpp"
#include "audit/checks/fd_history.hpp"
#include "audit/checks/findings.hpp"
#include "audit/trace/process_table.hpp"

namespace pipex::audit {

struct ExecPolicy {
    std::vector<AllowRule> allow_rules;
};

// Called at the exec stop of `process`: records its new program and its leaks, with where each
// leaked fd came from when a `history` of the tree's fds is kept.
void audit_exec(ProcessTable& table, Findings& findings, std::size_t process,
                const ExecPolicy& policy, FdHistory* history = nullptr);

}  // namespace pipex::audit
