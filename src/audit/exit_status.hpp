// Exit statuses as a shell reports them, and pipex-audit's own.
#pragma once

#include <string>

namespace audit {

inline constexpr int kExitClean = 0;     // nothing found
inline constexpr int kExitFound = 1;     // at least one fd leak, zombie or orphan
inline constexpr int kExitTrouble = 2;   // usage error, COMMAND not started, tracing impossible
inline constexpr int kSignalBase = 128;  // a process killed by signal N has status 128+N

// The status a shell would give a process that ended with this wait status: its exit code, or
// 128+N when signal N killed it.
int shell_status(int wait_status);

// "SIGKILL" for 9; "signal 42" for a number without a name.
std::string signal_name(int signal);

// "exit 3", or "SIGKILL (137)".
std::string describe_wait_status(int wait_status);

}  // namespace audit
