// A run without the tracer: a program in a folder, its input and output in memory, bounded by
// a timeout, in a process group of its own that is ended with it. bash (the oracle) and
// valgrind run this way.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "audit/trace/signals.hpp"
#include "check/run/run_environment.hpp"

namespace pipex::check {

struct Captured {
    std::string out;
    std::string err;
};

struct PlainCommand {
    std::string program;            // the file to exec
    std::vector<std::string> argv;  // argv[0] included
    std::string folder;             // its working folder
    std::string input;              // its stdin
    int signal_after_start = 0;     // sent to it (not its group) half a second in
};

// When a case's signal is sent after the start of a run.
inline constexpr std::chrono::milliseconds kSignalDelay{500};

struct PlainRun {
    int wait_status = 0;
    bool timed_out = false;
    bool interrupted = false;  // a stop request came: the worker is to end
    Captured io;
};

// Throws SystemError when the command cannot be started.
PlainRun run_plain(const PlainCommand& command, const RunEnvironment& env,
                   const audit::SignalGate& signals, std::chrono::milliseconds timeout);

// Ends every process this worker still has below it (what a run left behind, re-parented to
// the worker, its subreaper) and reaps them all, so the next run's waits see only its own.
void end_leftovers() noexcept;

}  // namespace pipex::check
