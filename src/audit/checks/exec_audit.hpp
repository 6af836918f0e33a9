// The fd check made at every successful exec: an fd beyond 0, 1 and 2 in a program that has
// just started is a leak, unless the user allowed that fd number. The top command's first exec
// is the exception: what it holds was handed over by pipex-audit's caller, and is kept as
// context (it explains what the tree then passes on), not counted.
#pragma once

#include <cstddef>
#include <set>

#include "audit/checks/findings.hpp"
#include "audit/trace/process_table.hpp"

namespace pipex::audit {

struct ExecPolicy {
    std::set<int> allowed_fds;
};

// Called at the exec stop of `process`: records its new program and its leaks.
void audit_exec(ProcessTable& table, Findings& findings, std::size_t process,
                const ExecPolicy& policy);

}  // namespace pipex::audit
