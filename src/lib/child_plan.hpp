// The child plan (internal to the engine): everything a new process does between its creation and
// its exec, frozen into plain data by the parent before the process exists. One plan, two readers:
// exec_child.cpp carries it out in a clone(CLONE_VM) child, posix_spawn_fallback.cpp translates it
// into posix_spawn's file actions and attributes. The child code includes this header and nothing
// public, so that nothing it calls can reach libc state it shares with its parent.
#pragma once

#include <sys/types.h>

#include <type_traits>

namespace pipex {

// The steps, in the order the child takes them. Its signals are made the program's first, before
// any step: a signal while an open waits (a FIFO with nobody at its other end) then ends the child
// by its default action, as it would end a shell's child.
enum class ChildStep : int {
    Stdin,
    Stdout,
    Stderr,  // `error` onto 2, or, after OpenOutput, fd 1 copied onto 2
    CloseFds,
    OpenInput,
    OpenOutput,
    OpenError,
    WorkingFolder,
    Program,
    Script
};

// The statuses a failed child exits with: a shell's, for a failed redirection and a failed exec.
inline constexpr int kChildSetupFailed = 1;
inline constexpr int kChildCannotExecute = 126;
inline constexpr int kChildNotFound = 127;

// A file the child opens as its fd 0, 1 or 2, as a shell's `< PATH`, `> PATH` or `2> PATH`:
// openat(AT_FDCWD, path, flags, mode) once every fd from 3 up is closed, so that it needs a single
// fd more.
struct ChildFile {
    const char* path;  // null: no file, the plan's fd is used
    int flags;
    unsigned mode;
};

struct ChildPlan {
    const char* path;  // exec'ed with argv and envp; null: no program (see exit_status)
    char* const* argv;
    char* const* envp;
    char* const* script_argv;    // run when `path` fails with ENOEXEC and is not binary; or null
    int input;                   // dup'ed onto fd 0 unless it is 0 already (and inheritable)
    int output;                  // dup'ed onto fd 1 unless it is 1 already (and inheritable)
    ChildFile input_file;        // opened as fd 0 instead, when it names a file; `input` unused
    ChildFile output_file;       // opened as fd 1 instead, when it names a file; `output` unused
    int error;                   // dup'ed onto fd 2 unless it is 2 (then fd 2 is left as it is)
    bool error_to_output;        // fd 1 copied onto fd 2 once the files are open; `error` unused
    ChildFile error_file;        // opened as fd 2 instead, when it names a file; `error` unused
    const char* working_folder;  // changed into once the files are open, before the exec; or null
    int exit_status;             // without a program: exited with once the files are open
};
// Copied whole into the child's memory, and read there without any constructor having run.
static_assert(std::is_trivially_copyable_v<ChildPlan> && std::is_standard_layout_v<ChildPlan>);

// Why the child did not reach its program, written by the child just before it exits.
struct ChildFailure {
    int error;  // an errno
    ChildStep step;
};
static_assert(std::is_trivially_copyable_v<ChildFailure>);

// The memory a clone(CLONE_VM) child shares with its parent: the plan it reads, the failure it
// may write, and the tid the kernel clears (and wakes a futex on) when the child execs or exits.
struct CloneShared {
    ChildPlan plan;
    ChildFailure failure;
    pid_t tid;
};
static_assert(std::is_trivially_copyable_v<CloneShared> && std::is_standard_layout_v<CloneShared>);

// The clone child's entry point: carries out shared->plan and never returns. When a step fails it
// records the failure and exits with kChildSetupFailed, kChildNotFound or kChildCannotExecute.
// Signals the parent ignores stay ignored, but SIGPIPE; every other one is made default, and the
// mask emptied (spawn.hpp).
int run_child_plan(void* shared);

// Whether the file's first line (within its first 80 bytes) holds a NUL byte: bash's test for a
// binary file it will not run as a script. Safe in the child and in the parent alike.
bool looks_binary(const char* path);

}  // namespace pipex
