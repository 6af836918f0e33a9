/// @file
/// The spawn sequence: how one child process is created. Read src/lib/spawn.cpp top to bottom (the
/// entry point comes first), then src/lib/exec_child.cpp, what the child does until its exec.
/// Both ways of creating the child read one plan (src/lib/child_plan.hpp).
///
/// Every child starts with
///   - exactly fds 0, 1 and 2: `input` (or the file it opens) as 0, `output` (or its file) as 1,
///     `error` as 2 (the parent's fd 2 by default, or a copy of fd 1), and every other fd closed
///     (one close_range from 3 up; where close_range is missing or refused, what /proc/self/fd
///     lists), whatever the parent holds and whether or not it is close-on-exec;
///   - the signal dispositions a shell gives its children: a signal the parent ignores stays
///     ignored (bash's rule: signals ignored on entry cannot be trapped or reset, and children
///     inherit them so, as under nohup), except SIGPIPE, which is always made default (pipex
///     ignores it for itself; a writer whose reader left must die of it quietly, as `yes | head`
///     does), and glibc's own signals 32 and 33, which some launchers pass on ignored; every signal
///     the parent catches is back at default; the signal mask is empty.
///
/// The child opens its own files, as a shell's child performs its redirections: after its signals
/// are settled, so that a signal that comes while an open waits (a FIFO with no other end yet) ends
/// the child by its default action, and the parent, never blocked, passes signals on as usual.
/// With the posix_spawn fallback glibc blocks every signal until the exec, so there a signal to
/// such a child waits with it for the FIFO's other end, and so does the parent (CLONE_VFORK).
///
/// The process is created with clone(CLONE_VM) on a small stack of its own: the cost does not grow
/// with the parent's memory (nothing is copied), and, unlike posix_spawn's CLONE_VFORK, the parent
/// does not wait while the kernel loads the program. It goes on (starts the next stage of a
/// pipeline) while the child execs on another core. Where that clone is refused (valgrind, some
/// sandboxes, architectures other than x86-64 and AArch64), posix_spawn does the same work,
/// waiting.
#pragma once

#include <sys/types.h>

namespace pipex {

/// A file the child opens itself as its fd 0, 1 or 2, as a shell's `< PATH`, `> PATH`, `>> PATH`
/// or `2> PATH`.
struct StdioFile {
    const char* path = nullptr;  ///< null: no file
    int flags = 0;               ///< open(2)'s: O_RDONLY, O_WRONLY | O_CREAT | O_TRUNC, ...
    unsigned mode = 0666;        ///< for O_CREAT, minus the umask
};

struct ChildStdio {
    int input;   ///< becomes the child's fd 0, unless input_file names a file (then unused)
    int output;  ///< becomes the child's fd 1, unless output_file names a file (then unused)
    StdioFile input_file{};   ///< opened as fd 0 by the child
    StdioFile output_file{};  ///< opened as fd 1 by the child, once input_file is open
    int error = 2;            ///< becomes the child's fd 2 (2: the parent's own, left as it is)
    /// fd 2 is made a copy of fd 1 once that is in place, file or not, as a shell's `2>&1`
    /// (`error` unused).
    bool error_to_output = false;
    /// Opened as fd 2 by the child, once output_file is open (`error` unused); not with
    /// error_to_output.
    StdioFile error_file{};

    /// Whether the child opens a file before its exec: that open may wait without end (a FIFO).
    bool opens_files() const {
        return input_file.path != nullptr || output_file.path != nullptr ||
               error_file.path != nullptr;
    }
};

/// A program ready to start, frozen into plain data (argv, envp and script_argv are
/// null-terminated; so are the stdio files' paths). The child reads it until its exec: it must
/// stay valid until StartedChild::wait() returns or the StartedChild is destroyed.
struct SpawnRequest {
    /// Null for a command a shell could not find: its child still performs its redirections (it
    /// opens, creates, truncates stdio's files), then exits with `exit_status` (no exec, no argv).
    const char* path;
    char* const* argv;
    char* const* envp;
    ChildStdio stdio;
    /// Run instead when the kernel refuses `path` as a program (ENOEXEC) and the file is not
    /// binary: bash runs such a file with /bin/sh ({"/bin/sh", path, args..., nullptr}).
    char* const* script_argv = nullptr;
    int exit_status = 127;  ///< without a `path`
    /// The folder the program runs in, changed into once stdio's files are open (they are named
    /// from the caller's folder), just before the exec; null: the caller's. A relative `path` is
    /// then found from it, as after a shell's `cd FOLDER`.
    const char* working_folder = nullptr;
};

/// What the child does until its program runs, in order (a copy of fd 1 for stdio.error_to_output
/// is made after OpenError). The first eight prepare it; a failure there is the caller's fds,
/// files or folder, not the program.
enum class SpawnStep {
    Stdin,          ///< stdio.input becomes fd 0: fails with EBADF when that fd is not open
    Stdout,         ///< stdio.output becomes fd 1: likewise
    Stderr,         ///< stdio.error becomes fd 2, or fd 1 is copied there: likewise
    CloseFds,       ///< every fd from 3 up is closed
    OpenInput,      ///< stdio.input_file is opened as fd 0: open(2)'s errno (ENOENT, EACCES, ...)
    OpenOutput,     ///< stdio.output_file is opened as fd 1: likewise (EISDIR, ...)
    OpenError,      ///< stdio.error_file is opened as fd 2: likewise
    WorkingFolder,  ///< the request's working_folder is changed into: chdir(2)'s errno
    Program,        ///< the exec of `path`
    Script,         ///< the exec of /bin/sh for a script without "#!" (script_argv)
};

/// `error` is 0 once the program runs (or, without a program, once the files are open). Otherwise
/// it is the errno of the step that failed (`failed_step`): for the execs ENOENT, EACCES, ENOEXEC,
/// E2BIG, ...; ENOEXEC for the program means it is binary or had no script_argv. A closed stdio fd
/// fails the Stdin or Stdout step, a file that cannot be opened OpenInput, OpenOutput or OpenError,
/// a folder that cannot be entered WorkingFolder: the child
/// exits with status 1 (reap it as any other), or, created by posix_spawn, never exists.
struct SpawnOutcome {
    pid_t pid = -1;  ///< the process; -1 when none is left to reap (see StartedChild::wait)
    int error = 0;
    SpawnStep failed_step = SpawnStep::Program;
};

/// Internal to the engine: the stack and plan of a child that runs in its parent's memory.
struct CloneChild;

/// A child that has been created and is on its way to exec.
class StartedChild {
public:
    StartedChild() = default;
    StartedChild(StartedChild&& other) noexcept;
    StartedChild& operator=(StartedChild&& other) noexcept;
    ~StartedChild();  ///< waits, like wait(): the child may still be reading the request

    /// The process, for waitpid and kill. It must be reaped even when its exec fails: it then
    /// exits by itself with status 127 (program not found), 126 (cannot execute), or 1 (its
    /// stdio could not be set up, as a shell's failed redirection). A request without a program
    /// gives a process that exits with its exit_status, or, with posix_spawn, none (pid -1): its
    /// files are then opened and closed by the caller's own process.
    pid_t pid() const { return pid_; }
    /// Whether wait() would return at once.
    bool settled() const;
    /// Waits until the child has exec'ed or has failed to. On failure the outcome's pid is the
    /// process to reap, or -1 when it has already been reaped (the posix_spawn path does that).
    SpawnOutcome wait();

private:
    friend StartedChild start_process(const SpawnRequest& request);
    StartedChild(pid_t pid, CloneChild* running) : pid_(pid), running_(running) {}
    explicit StartedChild(SpawnOutcome settled) : pid_(settled.pid), settled_outcome_(settled) {}
    pid_t pid_ = -1;
    CloneChild* running_ = nullptr;  ///< a child still using the caller's memory; null once settled
    SpawnOutcome settled_outcome_;
};

/// Creates the child and returns at once. Throws SystemError when the spawn could not even be
/// prepared (out of memory or fds), or, after retrying for about 1.3 s, when the system has no
/// process to spare (EAGAIN, as "fork").
StartedChild start_process(const SpawnRequest& request);

/// start_process, then wait; a child whose exec failed has been reaped (pid is -1).
SpawnOutcome spawn_process(const SpawnRequest& request);

}  // namespace pipex
