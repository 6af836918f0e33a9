// What a case can find wrong. A new kind of check adds its kind here, its detection in
// behaviour.cpp (what bash does differently) or hygiene.cpp (what the tree did), and its word
// in failure.cpp.
#pragma once

#include <string>
#include <vector>

namespace pipex::check {

enum class FailureKind {
    // Behaviour: differs from bash.
    Output,  // a file of the folder (OUTFILE, most often) differs: bytes, mode, existence
    Status,  // exit status
    Errors,  // error lines (stderr)
    Stdout,  // the program wrote to its stdout
    Crash,   // the program itself was killed by a signal
    // Robustness.
    Hang,  // still running at the timeout: who waits for which pipe, who holds it
    // Hygiene: what the process tree did.
    FdLeak,       // a command started holding an fd beyond 0, 1 and 2
    NotWaited,    // a child never waited for: a zombie, or an orphan still running
    LeftRunning,  // a process still running when the program ended
    OneAtATime,   // a stage started only after the previous one ended
    OpenAtExit,   // fds the program never closed
    TempFile,     // a here-doc file in /tmp: left there, or under a fixed name
    FileLeft,     // a file left in the current folder
    MemoryLeak,   // valgrind: memory the program's own process definitely lost
};

// "output", "status", "fd-leak"...: the words of the reports and of the JSON.
const char* kind_word(FailureKind kind);

struct Failure {
    FailureKind kind;
    std::string text;  // what differed or what happened, and why it matters: lines
};

using Failures = std::vector<Failure>;

}  // namespace pipex::check
