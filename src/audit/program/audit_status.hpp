// pipex-audit's own exit statuses (with --status it exits with COMMAND's instead).
#pragma once

namespace pipex::audit {

inline constexpr int kExitClean = 0;    // nothing found
inline constexpr int kExitFound = 1;    // at least one fd leak, zombie or orphan
inline constexpr int kExitTrouble = 2;  // usage error, COMMAND not started, tracing impossible

}  // namespace pipex::audit
