// Why a tree hangs: for every process of the tree blocked reading or writing a pipe, every
// process that holds the other end. A reader never sees end-of-file while any write end is
// open, in whatever process: the holder that has it only because it leaked there is the bug.
// Looked at when --hang-after expires, on the first stop request, and when COMMAND ends with
// processes still running.
#pragma once

#include <cstddef>

#include "audit/checks/findings.hpp"
#include "audit/trace/process_table.hpp"

namespace pipex::audit {

// What the processes of the tree not yet ended wait for, now. The waits are read from
// /proc/PID/syscall (read, readv, pread64, preadv, preadv2 and their write twins) and the
// pipe's ends from every process's fds; a leak the exec check found marks its holder.
HangSnapshot diagnose_waits(const ProcessTable& table, const Findings& findings, HangMoment moment,
                            int signal = 0);

// Whether two snapshots saw the same processes waiting on the same pipes with the same holders:
// a later one that only repeats an earlier one says nothing new.
bool same_waits(const HangSnapshot& a, const HangSnapshot& b);

}  // namespace pipex::audit
