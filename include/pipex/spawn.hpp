// The spawn sequence: how one child process is created. Read src/lib/spawn.cpp top to bottom.
//
// Every child starts with
//   - exactly fds 0, 1 and 2: `input` as 0, `output` as 1, the parent's fd 2 as 2, and every
//     other fd closed (close_range from 3 up, run in the child just before exec), whatever the
//     parent holds and whether or not it is close-on-exec;
//   - every signal at its default disposition (SIGPIPE included, even if the parent ignores it)
//     and an empty signal mask;
//   - a process created by posix_spawn, which glibc implements with clone(CLONE_VM|CLONE_VFORK):
//     the cost does not grow with the parent's memory, and no parent code runs in the child.
#pragma once

#include <sys/types.h>

namespace pipex {

struct ChildStdio {
    int input;   // becomes the child's fd 0
    int output;  // becomes the child's fd 1
};

// A program ready to start, frozen into plain data (argv and envp are null-terminated).
struct SpawnRequest {
    const char* path;
    char* const* argv;
    char* const* envp;
    ChildStdio stdio;
};

// On success `pid` is the child's and `error` is 0. Otherwise `pid` is -1 and `error` is the
// errno that exec (or process creation) failed with: ENOENT, EACCES, ENOEXEC, E2BIG, ...
struct SpawnOutcome {
    pid_t pid = -1;
    int error = 0;
};

// Throws SystemError only when the spawn could not even be prepared (out of memory or fds).
SpawnOutcome spawn_process(const SpawnRequest& request);

}  // namespace pipex
