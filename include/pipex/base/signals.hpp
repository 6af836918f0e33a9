/// @file
/// Signals by name and number: the ones that ask a program to stop, and how a program ends by a
/// signal so that its caller sees that signal.
#pragma once

#include <signal.h>

#include <string>

namespace pipex {

/// The requests to stop that a pipex program passes on to what it runs: pipex forwards them to
/// every stage, pipex-audit to the command it traces.
inline constexpr int kStopSignals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};

bool is_stop_signal(int signal) noexcept;

/// "SIGKILL" for 9; "signal 42" for a number without a name.
std::string signal_name(int signal);

/// Ends the calling process by `signal`, as a shell's child would end: a caller that asked it to
/// stop sees it die of that signal, not exit. Falls back to exit status 128+N for a signal whose
/// default is not to end the process.
[[noreturn]] void die_by_signal(int signal) noexcept;

}  // namespace pipex
