/// @file
/// Exit statuses, numbered as bash numbers them, and wait(2) statuses read the way a shell reads
/// them.
#pragma once

#include <string>

namespace pipex {

inline constexpr int kStatusRedirectionFailed = 1;  ///< INFILE or OUTFILE could not be opened
inline constexpr int kStatusUsage = 1;              ///< too few arguments
inline constexpr int kStatusSyntax = 2;             ///< unterminated quote: nothing is run
inline constexpr int kStatusReportFailed = 1;       ///< a report file could not be written
inline constexpr int kStatusTimedOut = 124;         ///< ended at its deadline, as timeout(1)
inline constexpr int kStatusOutOfMemory = 1;        ///< what was started is stopped first
inline constexpr int kStatusNotExecutable = 126;    ///< found, but exec refused it
inline constexpr int kStatusNotFound = 127;         ///< no such command or file
inline constexpr int kStatusSignalBase = 128;       ///< killed by signal N: 128 + N

/// The shell-style status of a wait(2) status: the exit code, or 128+N when killed by signal N.
int shell_status(int wait_status) noexcept;

/// "exit 3", or "SIGKILL (137)".
std::string describe_wait_status(int wait_status);

}  // namespace pipex
