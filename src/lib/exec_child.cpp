// The child's side of the spawn sequence: what a clone(CLONE_VM) child does, in its parent's
// memory and on a stack of its own, between its creation and its exec. Raw system calls only
// (raw_syscall.hpp); it writes nothing but its stack and the failure in CloneShared. Compiled
// without sanitizers or stack protector (CMakeLists.txt): their instrumentation calls into
// runtimes that keep per-thread state, which this child would share with its parent.
#include <fcntl.h>
#include <linux/magic.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/statfs.h>
#include <sys/syscall.h>

#include <cerrno>

#include "child_plan.hpp"
#include "raw_syscall.hpp"

namespace pipex {

// Raw system calls too: the child calls it between its two execs.
bool looks_binary(const char* path) {
    const long fd = raw::call(SYS_openat, AT_FDCWD, path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    char head[80];
    long got;
    do {
        got = raw::call(SYS_read, fd, head, sizeof head);
    } while (got == -EINTR);
    raw::call(SYS_close, fd);
    for (long i = 0; i < got && head[i] != '\n'; ++i)
        if (head[i] == '\0') return true;
    return false;
}

}  // namespace pipex

#if PIPEX_HAVE_RAW_SYSCALL

namespace pipex {
namespace {

// The kernel's struct sigaction; all zero, it is SIG_DFL with no flags and an empty mask. Big
// enough for the layouts of both supported architectures.
struct KernelSigaction {
    unsigned long handler, flags, restorer, mask;
};
constexpr KernelSigaction kDefaultAction{0, 0, 0, 0};
constexpr unsigned long kEmptyMask = 0;
constexpr int kLastSignal = 64;
constexpr long kMaxFdNumber = 1L << 31;       // beyond any fd: a name past it is no fd
constexpr unsigned long kIgnoredHandler = 1;  // SIG_IGN, as the kernel has it on every architecture

// The signals glibc keeps for its threads (below SIGRTMIN): no program sets them, yet some
// launchers (GNU make) pass them on ignored. Always default, as glibc's posix_spawn leaves them.
bool reserved_by_libc(int signal) { return signal == 32 || signal == 33; }

// An ignored signal stays ignored, but SIGPIPE and the C library's own.
bool stays_ignored(int signal) { return signal != SIGPIPE && !reserved_by_libc(signal); }

int exit_status_for(ChildStep step, int error) {
    switch (step) {
        case ChildStep::Stdin:
        case ChildStep::Stdout:
        case ChildStep::Stderr:
        case ChildStep::OpenInput:
        case ChildStep::OpenOutput:
        case ChildStep::OpenError:
        case ChildStep::WorkingFolder:
            return kChildSetupFailed;
        case ChildStep::Program:
            return error == ENOENT ? kChildNotFound : kChildCannotExecute;
        case ChildStep::CloseFds:
        case ChildStep::Script:
            break;
    }
    return kChildCannotExecute;
}

// The one way out when a step fails. The release store pairs with the parent's acquire load
// once the kernel has cleared the tid.
[[noreturn]] void fail(CloneShared& shared, ChildStep step, long negative_errno) {
    const int error = static_cast<int>(-negative_errno);
    shared.failure.step = step;
    __atomic_store_n(&shared.failure.error, error, __ATOMIC_RELEASE);
    for (;;) raw::call(SYS_exit_group, exit_status_for(step, error));
}

long move_to(int source, int target) {
    return source == target ? 0 : raw::call(SYS_dup3, source, target, 0);
}

// The kernel's struct linux_dirent64: getdents64 lays such entries end to end, each `length`
// bytes long, its name and padding included.
struct KernelDirent64 {
    unsigned long long inode;
    long long offset;
    unsigned short length;
    unsigned char type;
    char name[1];  // NUL-terminated, as long as the entry
};

// An entry's name as an fd number, or -1 for a name that is not one ("." and "..").
long fd_number(const char* name) {
    long fd = 0;
    for (; *name != '\0'; ++name) {
        if (*name < '0' || *name > '9' || fd > kMaxFdNumber) return -1;
        fd = fd * 10 + (*name - '0');
    }
    return fd;
}

// Closes every fd from 3 up that /proc/self/fd lists, as it lists them. The listing goes by fd
// number, and the child's table is its own (no CLONE_FILES), so nothing closed behind it, nor
// opened meanwhile, can be missed. The folder's own fd is skipped and closed last. A folder that
// is not procfs's would list something else: it is not trusted. Returns 0, or -errno when the
// folder cannot be opened or read (no /proc, or no fd left to open it with).
long close_listed_fds() {
    const long folder =
        raw::call(SYS_openat, AT_FDCWD, "/proc/self/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (folder < 0) return folder;
    struct statfs filesystem;
    long result = raw::call(SYS_fstatfs, folder, &filesystem);
    if (result == 0 && filesystem.f_type != PROC_SUPER_MAGIC) result = -ENOTDIR;
    alignas(KernelDirent64) char entries[1024];
    while (result == 0 &&
           (result = raw::call(SYS_getdents64, folder, entries, sizeof entries)) > 0) {
        for (long at = 0; at < result;) {
            const auto* entry = reinterpret_cast<const KernelDirent64*>(entries + at);
            const long fd = fd_number(entry->name);
            if (fd >= 3 && fd != folder) raw::call(SYS_close, fd);
            at += entry->length;
        }
        result = 0;
    }
    raw::call(SYS_close, folder);
    return result;
}

// The last resort, without /proc: one close per possible fd below the soft RLIMIT_NOFILE.
long close_below_limit() {
    rlimit limit{};
    const long result = raw::call(SYS_prlimit64, 0, RLIMIT_NOFILE, nullptr, &limit);
    if (result < 0) return result;
    for (rlim_t fd = 3; fd < limit.rlim_cur; ++fd) raw::call(SYS_close, fd);
    return 0;
}

// One close_range call whatever the highest fd. Kernels before 5.9 lack it (ENOSYS), and the
// seccomp profiles of container runtimes refuse the calls they do not know with EPERM: then the
// fds /proc lists are closed one by one, or, without /proc, every fd up to the limit.
long close_from_3() {
    const long result = raw::call(SYS_close_range, 3, ~0U, 0);
    if (result != -ENOSYS && result != -EPERM) return result;
    if (close_listed_fds() == 0) return 0;
    return close_below_limit();
}

// Opened without close-on-exec on the lowest free fd, which is `target` itself only when that
// was closed; anywhere else it is moved there. The open may wait (a FIFO): a signal then ends
// the child, its dispositions being the program's already. The child has no handler left to
// interrupt it, but EINTR is retried all the same, as everywhere else.
long open_onto(const ChildFile& file, int target) {
    long fd;
    do {
        fd = raw::call(SYS_openat, AT_FDCWD, file.path, file.flags, file.mode);
    } while (fd == -EINTR);
    if (fd < 0 || fd == target) return fd;
    const long moved = move_to(static_cast<int>(fd), target);
    raw::call(SYS_close, fd);
    return moved;
}

// Handlers are the parent's code: run in the child they would write the parent's memory, so
// each goes back to default. An ignored signal stays ignored, as a shell's children inherit the
// signals it was started with ignored (nohup), but SIGPIPE: pipex ignores it for itself, and a
// writer whose reader left must die of it quietly (`yes | head`). All signals are blocked since
// before the clone, so every one is settled before any unblocks.
void program_dispositions_and_mask() {
    for (int signal = 1; signal <= kLastSignal; ++signal) {
        if (signal == SIGKILL || signal == SIGSTOP) continue;
        KernelSigaction old{};
        if (raw::call(SYS_rt_sigaction, signal, nullptr, &old, sizeof kEmptyMask) < 0) continue;
        if (old.handler == 0 || (old.handler == kIgnoredHandler && stays_ignored(signal))) continue;
        raw::call(SYS_rt_sigaction, signal, &kDefaultAction, nullptr, sizeof kEmptyMask);
    }
    raw::call(SYS_rt_sigprocmask, SIG_SETMASK, &kEmptyMask, nullptr, sizeof kEmptyMask);
}

}  // namespace

int run_child_plan(void* argument) {
    CloneShared& shared = *static_cast<CloneShared*>(argument);
    const ChildPlan& plan = shared.plan;
    long result;

    // signals as a new program expects them, before anything that may wait
    program_dispositions_and_mask();

    // stdin, stdout and stderr: the caller's fds in place
    if (plan.input_file.path == nullptr && (result = move_to(plan.input, 0)) < 0)
        fail(shared, ChildStep::Stdin, result);
    if (plan.output_file.path == nullptr && (result = move_to(plan.output, 1)) < 0)
        fail(shared, ChildStep::Stdout, result);
    if (!plan.error_to_output && plan.error_file.path == nullptr && plan.error != 2 &&
        (result = move_to(plan.error, 2)) < 0)
        fail(shared, ChildStep::Stderr, result);

    // nothing else: every fd from 3 up, close-on-exec or not
    if ((result = close_from_3()) < 0) fail(shared, ChildStep::CloseFds, result);

    // the redirections, in a shell's order: one that fails leaves the next undone
    if (plan.input_file.path != nullptr && (result = open_onto(plan.input_file, 0)) < 0)
        fail(shared, ChildStep::OpenInput, result);
    if (plan.output_file.path != nullptr && (result = open_onto(plan.output_file, 1)) < 0)
        fail(shared, ChildStep::OpenOutput, result);
    if (plan.error_file.path != nullptr && (result = open_onto(plan.error_file, 2)) < 0)
        fail(shared, ChildStep::OpenError, result);
    // 2>&1, once fd 1 is what it will be
    if (plan.error_to_output && (result = move_to(1, 2)) < 0)
        fail(shared, ChildStep::Stderr, result);

    // a command that cannot be found: its redirections were all it had to do
    if (plan.path == nullptr)
        for (;;) raw::call(SYS_exit_group, plan.exit_status);

    // the command's own folder, once the files named from the caller's are open
    if (plan.working_folder != nullptr && (result = raw::call(SYS_chdir, plan.working_folder)) < 0)
        fail(shared, ChildStep::WorkingFolder, result);

    // the program, or, for a text file the kernel does not know how to run, /bin/sh on it
    result = raw::call(SYS_execve, plan.path, plan.argv, plan.envp);
    if (result != -ENOEXEC || plan.script_argv == nullptr || looks_binary(plan.path))
        fail(shared, ChildStep::Program, result);
    result = raw::call(SYS_execve, plan.script_argv[0], plan.script_argv, plan.envp);
    fail(shared, ChildStep::Script, result);
}

}  // namespace pipex

#endif  // PIPEX_HAVE_RAW_SYSCALL
