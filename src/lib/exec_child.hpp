// The child's side of the spawn sequence (internal to the engine): what a new process does between
// its creation and its exec. It runs in its parent's memory, on a stack of its own, so it makes
// raw system calls only (raw_syscall.hpp) and writes nothing but its stack and ExecPlan's results.
#pragma once

#include <sys/types.h>

namespace pipex {

// Everything the child needs, prepared by the parent before the process exists.
struct ExecPlan {
    const char* path;
    char* const* argv;
    char* const* envp;
    char* const* script_argv;  // run when `path` fails with ENOEXEC and is not binary; or null
    int input;                 // dup'ed onto fd 0 unless it is 0 already
    int output;                // dup'ed onto fd 1 unless it is 1 already

    // Written by the child when it cannot exec, just before it exits; the parent reads them once
    // the kernel has cleared `tid`, which it does when the child execs or exits.
    int error;
    int failed_step;  // an ExecStep
    pid_t tid;
};

// The child's entry point (for clone): never returns. When every exec fails it records why in the
// plan and exits with 127 (program not found) or 126, the statuses a shell gives.
int run_exec_plan(void* plan);

// Whether the file's first line (within its first 80 bytes) holds a NUL byte: bash's test for a
// binary file it will not run as a script. Safe in the child and in the parent alike.
bool looks_binary(const char* path);

}  // namespace pipex
