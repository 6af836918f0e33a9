// The spawn sequence: how one child process is created. Read src/lib/spawn.cpp top to bottom (the
// entry point comes first), then src/lib/exec_child.cpp, what the child does until its exec.
// Both ways of creating the child read one plan (src/lib/child_plan.hpp).
//
// Every child starts with
//   - exactly fds 0, 1 and 2: `input` as 0, `output` as 1, the parent's fd 2 as 2, and every
//     other fd closed (one close_range from 3 up, just before exec; where close_range is missing
//     or refused, what /proc/self/fd lists), whatever the parent holds and whether or not it is
//     close-on-exec;
//   - every signal at its default disposition (SIGPIPE included, even if the parent ignores it)
//     and an empty signal mask.
//
// The process is created with clone(CLONE_VM) on a small stack of its own: the cost does not grow
// with the parent's memory (nothing is copied), and, unlike posix_spawn's CLONE_VFORK, the parent
// does not wait while the kernel loads the program. It goes on (starts the next stage of a
// pipeline) while the child execs on another core. Where that clone is refused (valgrind, some
// sandboxes, architectures other than x86-64 and AArch64), posix_spawn does the same work, waiting.
#pragma once

#include <sys/types.h>

namespace pipex {

struct ChildStdio {
    int input;   // becomes the child's fd 0
    int output;  // becomes the child's fd 1
};

// A program ready to start, frozen into plain data (argv, envp and script_argv are
// null-terminated). The child reads it until its exec: it must stay valid until
// StartedChild::wait() returns or the StartedChild is destroyed.
struct SpawnRequest {
    const char* path;
    char* const* argv;
    char* const* envp;
    ChildStdio stdio;
    // Run instead when the kernel refuses `path` as a program (ENOEXEC) and the file is not
    // binary: bash runs such a file with /bin/sh ({"/bin/sh", path, args..., nullptr}).
    char* const* script_argv = nullptr;
};

// What the child does until its program runs, in order. The first three prepare it; a failure
// there is the caller's fds, not the program.
enum class SpawnStep {
    Stdin,     // stdio.input becomes fd 0: fails with EBADF when that fd is not open
    Stdout,    // stdio.output becomes fd 1: likewise
    CloseFds,  // every fd from 3 up is closed
    Program,   // the exec of `path`
    Script,    // the exec of /bin/sh for a script without "#!" (script_argv)
};

// `error` is 0 once the program runs. Otherwise it is the errno of the step that failed
// (`failed_step`): for the execs ENOENT, EACCES, ENOEXEC, E2BIG, ...; ENOEXEC for the program
// means it is binary or had no script_argv. A closed stdio fd fails the Stdin or Stdout step: the
// child exits with status 1 (reap it as any other), or, created by posix_spawn, never exists.
struct SpawnOutcome {
    pid_t pid = -1;  // the process; -1 when none is left to reap (see StartedChild::wait)
    int error = 0;
    SpawnStep failed_step = SpawnStep::Program;
};

// Internal to the engine: the stack and plan of a child that runs in its parent's memory.
struct CloneChild;

// A child that has been created and is on its way to exec.
class StartedChild {
public:
    StartedChild() = default;
    StartedChild(StartedChild&& other) noexcept;
    StartedChild& operator=(StartedChild&& other) noexcept;
    ~StartedChild();  // waits, like wait(): the child may still be reading the request

    // The process, for waitpid and kill. It must be reaped even when its exec fails: it then
    // exits by itself with status 127 (program not found), 126 (cannot execute), or 1 (its
    // stdio could not be set up, as a shell's failed redirection).
    pid_t pid() const { return pid_; }
    // Whether wait() would return at once.
    bool settled() const;
    // Waits until the child has exec'ed or has failed to. On failure the outcome's pid is the
    // process to reap, or -1 when it has already been reaped (the posix_spawn path does that).
    SpawnOutcome wait();

private:
    friend StartedChild start_process(const SpawnRequest& request);
    StartedChild(pid_t pid, CloneChild* running) : pid_(pid), running_(running) {}
    explicit StartedChild(SpawnOutcome settled) : pid_(settled.pid), settled_outcome_(settled) {}
    pid_t pid_ = -1;
    CloneChild* running_ = nullptr;  // a child still using the caller's memory; null once settled
    SpawnOutcome settled_outcome_;
};

// Creates the child and returns at once. Throws SystemError when the spawn could not even be
// prepared (out of memory or fds), or, after retrying for about 1.3 s, when the system has no
// process to spare (EAGAIN, as "fork").
StartedChild start_process(const SpawnRequest& request);

// start_process, then wait; a child whose exec failed has been reaped (pid is -1).
SpawnOutcome spawn_process(const SpawnRequest& request);

}  // namespace pipex
