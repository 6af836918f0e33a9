// The fallback spawn: a child plan translated into posix_spawn's file actions and attributes.
#include "posix_spawn_fallback.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <optional>
#include <utility>

#include "pipex/base/open.hpp"
#include "pipex/base/system_error.hpp"
#include "spawn_retry.hpp"

namespace pipex {
namespace {

void check(int error, const char* call) {
    if (error != 0) throw SystemError(error, call);
}

// A posix_spawn object (file actions or attributes), initialised and destroyed by its owner.
template <typename Object, int (*init)(Object*), int (*destroy)(Object*)>
class SpawnObject {
public:
    explicit SpawnObject(const char* init_name) { check(init(&object_), init_name); }
    ~SpawnObject() { destroy(&object_); }
    SpawnObject(const SpawnObject&) = delete;
    SpawnObject& operator=(const SpawnObject&) = delete;
    Object* get() { return &object_; }

private:
    Object object_;
};

using FileActions = SpawnObject<posix_spawn_file_actions_t, posix_spawn_file_actions_init,
                                posix_spawn_file_actions_destroy>;
using SpawnAttributes =
    SpawnObject<posix_spawnattr_t, posix_spawnattr_init, posix_spawnattr_destroy>;

void add_dup2(FileActions& actions, int source, int target) {
    if (source == target) return;  // already in place and inheritable
    check(posix_spawn_file_actions_adddup2(actions.get(), source, target),
          "posix_spawn_file_actions_adddup2");
}

// glibc closes `target` first, so the file lands there.
void add_open(FileActions& actions, const ChildFile& file, int target) {
    check(posix_spawn_file_actions_addopen(actions.get(), target, file.path, file.flags,
                                           static_cast<mode_t>(file.mode)),
          "posix_spawn_file_actions_addopen");
}

// glibc's sigfillset leaves out the two signals glibc keeps for itself (32 and 33, below
// SIGRTMIN), and its posix_spawn then sets them to SIG_IGN in the child, an ignore that exec keeps.
// Naming them in the set of signals to reset gives the program their default disposition.
void add_glibc_internal_signals(sigset_t& set) {
    constexpr unsigned long kSignal32 = 1UL << 31, kSignal33 = 1UL << 32;
    set.__val[0] |= kSignal32 | kSignal33;
}

// The rule of exec_child.cpp: what the parent ignores stays ignored, but SIGPIPE; the rest is
// made default (glibc's own two signals, which no caller can ignore, included).
sigset_t signals_to_default() {
    sigset_t set;
    sigemptyset(&set);
    for (int signal = 1; signal < NSIG; ++signal) {
        struct sigaction old {};
        const bool ignored = ::sigaction(signal, nullptr, &old) == 0 && old.sa_handler == SIG_IGN;
        if (!ignored || signal == SIGPIPE) sigaddset(&set, signal);  // refuses 32 and 33
    }
    add_glibc_internal_signals(set);
    return set;
}

// The plan's steps as posix_spawn's: glibc reports the exec's errno through its CLONE_VFORK
// handshake, and reaps a child whose exec failed. A failed dup2 would come back the same way, as
// if the exec had failed: posix_spawn_plan checks both sources first, so that it does not. The
// files are opened after closefrom, as exec_child.cpp opens them, with one fd to spare.
SpawnOutcome spawn_program(const ChildPlan& plan, const char* path, char* const* argv) {
    FileActions actions("posix_spawn_file_actions_init");
    if (plan.input_file.path == nullptr) add_dup2(actions, plan.input, 0);
    if (plan.output_file.path == nullptr) add_dup2(actions, plan.output, 1);
    if (!plan.error_to_output && plan.error_file.path == nullptr && plan.error != 2)
        add_dup2(actions, plan.error, 2);
    // After the dup2s: run earlier it would close their sources. glibc carries it out with
    // close_range, and on any failure of that call (a seccomp profile's EPERM included) closes
    // what /proc/self/fd lists, as exec_child.cpp does; without /proc the spawn fails, so a
    // program never runs holding more than its three fds. glibc has had both since 2.34, the
    // first release with this action.
    check(posix_spawn_file_actions_addclosefrom_np(actions.get(), 3),
          "posix_spawn_file_actions_addclosefrom_np");
    if (plan.input_file.path != nullptr) add_open(actions, plan.input_file, 0);
    if (plan.output_file.path != nullptr) add_open(actions, plan.output_file, 1);
    if (plan.error_file.path != nullptr) add_open(actions, plan.error_file, 2);
    if (plan.error_to_output) add_dup2(actions, 1, 2);
    if (plan.working_folder != nullptr)
        check(posix_spawn_file_actions_addchdir_np(actions.get(), plan.working_folder),
              "posix_spawn_file_actions_addchdir_np");

    SpawnAttributes attributes("posix_spawnattr_init");
    const sigset_t to_default = signals_to_default();
    sigset_t none;
    sigemptyset(&none);
    check(posix_spawnattr_setsigdefault(attributes.get(), &to_default),
          "posix_spawnattr_setsigdefault");
    check(posix_spawnattr_setsigmask(attributes.get(), &none), "posix_spawnattr_setsigmask");
    check(
        posix_spawnattr_setflags(attributes.get(), POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK),
        "posix_spawnattr_setflags");

    SpawnOutcome outcome;
    outcome.error = create_with_retries([&] {
        return posix_spawn(&outcome.pid, path, actions.get(), attributes.get(), argv, plan.envp);
    });
    if (outcome.error != 0) outcome.pid = -1;
    return outcome;
}

// The errno the child's open of `file` would fail with, or 0 when it would open: tried here
// without truncating (the child's own open does that) or waiting, and, unless `create`, without
// creating. A FIFO is not opened, which would wake its other end for nothing: its permission is
// what can refuse it.
int open_error(const ChildFile& file, bool create) {
    struct stat status {};
    if (::stat(file.path, &status) == 0 && S_ISFIFO(status.st_mode)) {
        const int access = file.flags & O_ACCMODE;
        const int wanted = access == O_RDONLY ? R_OK : access == O_WRONLY ? W_OK : R_OK | W_OK;
        return ::faccessat(AT_FDCWD, file.path, wanted, AT_EACCESS) == 0 ? 0 : errno;
    }
    int flags = (file.flags & ~(O_TRUNC | O_EXCL)) | O_NONBLOCK | O_NOCTTY;
    if (!create || (file.flags & O_EXCL) != 0) flags &= ~O_CREAT;  // then the child's to create
    const OpenResult probe = open_file(file.path, flags, file.mode);
    return probe.fd ? 0 : probe.error;
}

// The errno of a chdir into `folder`, or 0 when it would succeed.
int enter_error(const char* folder) {
    struct stat status {};
    if (::stat(folder, &status) != 0) return errno;
    if (!S_ISDIR(status.st_mode)) return ENOTDIR;
    return ::access(folder, X_OK) == 0 ? 0 : errno;
}

// A file or folder that cannot be opened or entered now fails its step here, in the child's
// order, and no child is made: one would fail the same step and exit as a copy of the caller,
// which valgrind (whose children are all created this way) reports as holding the caller's
// memory. The child's own open and chdir still decide when this lets them through.
std::optional<SpawnOutcome> refused_before_spawn(const ChildPlan& plan) {
    const std::pair<const ChildFile*, SpawnStep> files[] = {
        {&plan.input_file, SpawnStep::OpenInput},
        {&plan.output_file, SpawnStep::OpenOutput},
        {&plan.error_file, SpawnStep::OpenError}};
    for (const auto& [file, step] : files)
        if (file->path != nullptr)
            if (const int error = open_error(*file, true); error != 0)
                return SpawnOutcome{-1, error, step};
    if (plan.working_folder != nullptr)
        if (const int error = enter_error(plan.working_folder); error != 0)
            return SpawnOutcome{-1, error, SpawnStep::WorkingFolder};
    return std::nullopt;
}

// posix_spawn reports a file action that failed as it reports a failed exec, by its errno alone.
// Which one it was is found by trying the opens again: when one still fails, it was that open
// (a file changed meanwhile could mislead this; the clone way knows, its child says which step).
void find_failed_open(const ChildPlan& plan, SpawnOutcome& outcome) {
    auto fails = [](const ChildFile& file) {
        return file.path != nullptr && open_error(file, false) != 0;
    };
    if (fails(plan.input_file))
        outcome.failed_step = SpawnStep::OpenInput;
    else if (fails(plan.output_file))
        outcome.failed_step = SpawnStep::OpenOutput;
    else if (fails(plan.error_file))
        outcome.failed_step = SpawnStep::OpenError;
    else if (plan.working_folder != nullptr && enter_error(plan.working_folder) != 0)
        outcome.failed_step = SpawnStep::WorkingFolder;
}

// posix_spawn cannot create a process that only opens its files: for a plan without a program,
// they are opened and closed here, in the same order and with the same effects (created,
// truncated). Like posix_spawn's child, which has every signal blocked, this open waits through
// signals for a FIFO's other end.
SpawnOutcome open_files_only(const ChildPlan& plan) {
    const std::pair<const ChildFile*, SpawnStep> files[] = {
        {&plan.input_file, SpawnStep::OpenInput},
        {&plan.output_file, SpawnStep::OpenOutput},
        {&plan.error_file, SpawnStep::OpenError}};
    for (const auto& [file, step] : files) {
        if (file->path == nullptr) continue;
        const OpenResult opened = open_file(file->path, file->flags | O_NOCTTY, file->mode);
        if (!opened.fd) return SpawnOutcome{-1, opened.error, step};
    }
    return SpawnOutcome{-1, 0, SpawnStep::Program};
}

}  // namespace

SpawnOutcome posix_spawn_plan(const ChildPlan& plan) {
    if (plan.input_file.path == nullptr && ::fcntl(plan.input, F_GETFD) < 0)
        return SpawnOutcome{-1, errno, SpawnStep::Stdin};
    if (plan.output_file.path == nullptr && ::fcntl(plan.output, F_GETFD) < 0)
        return SpawnOutcome{-1, errno, SpawnStep::Stdout};
    if (!plan.error_to_output && plan.error_file.path == nullptr && plan.error != 2 &&
        ::fcntl(plan.error, F_GETFD) < 0)
        return SpawnOutcome{-1, errno, SpawnStep::Stderr};
    if (plan.path == nullptr) return open_files_only(plan);
    if (std::optional<SpawnOutcome> refused = refused_before_spawn(plan)) return *refused;
    SpawnOutcome outcome = spawn_program(plan, plan.path, plan.argv);
    // No open fails with ENOEXEC. The script's spawn opens the files again: the same effects for
    // a regular file, another wait for a FIFO's other end.
    if (outcome.error != ENOEXEC) {
        if (outcome.error != 0) find_failed_open(plan, outcome);
        return outcome;
    }
    if (plan.script_argv == nullptr || looks_binary(plan.path)) return outcome;
    outcome = spawn_program(plan, plan.script_argv[0], plan.script_argv);
    if (outcome.error == 0) return outcome;
    outcome.failed_step = SpawnStep::Script;
    find_failed_open(plan, outcome);
    return outcome;
}

}  // namespace pipex
