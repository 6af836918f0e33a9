// Zombies and orphans. When a process ends, every child it started and did not reap is a
// defect: a zombie if that child had already exited (nobody will ever collect its status but the
// subreaper), an orphan if it was still running (nobody waits for it any more). A child that
// pipex-audit, as subreaper, reaps after its parent died does not make that parent clean.
#pragma once

#include <sys/types.h>

#include <cstddef>

#include "audit/checks/findings.hpp"
#include "audit/trace/process_table.hpp"

namespace pipex::audit {

// Looks at the children of `process`, which is ending. Best called at its exit stop, when its
// children are still its own; called after its end (a SIGKILL skips the exit stop), it also
// counts children pipex-audit has reaped in its place. `self` is pipex-audit's pid.
void check_children(ProcessTable& table, Findings& findings, std::size_t process, pid_t self);

// The processes of the tree still running once the top command has ended, marked left_running.
void find_left_running(ProcessTable& table, Findings& findings);

}  // namespace pipex::audit
