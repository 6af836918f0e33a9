#include "pipex/spawn.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <time.h>

#include <cerrno>

#include "pipex/unique_fd.hpp"

namespace pipex {
namespace {

void check(int error, const char* call) {
    if (error != 0) throw SystemError(error, call);
}

class FileActions {
public:
    FileActions() { check(posix_spawn_file_actions_init(&actions_), "posix_spawn_file_actions_init"); }
    ~FileActions() { posix_spawn_file_actions_destroy(&actions_); }
    FileActions(const FileActions&) = delete;
    FileActions& operator=(const FileActions&) = delete;
    posix_spawn_file_actions_t* get() { return &actions_; }

private:
    posix_spawn_file_actions_t actions_;
};

class SpawnAttributes {
public:
    SpawnAttributes() { check(posix_spawnattr_init(&attr_), "posix_spawnattr_init"); }
    ~SpawnAttributes() { posix_spawnattr_destroy(&attr_); }
    SpawnAttributes(const SpawnAttributes&) = delete;
    SpawnAttributes& operator=(const SpawnAttributes&) = delete;
    posix_spawnattr_t* get() { return &attr_; }

private:
    posix_spawnattr_t attr_;
};

// Where the child's fd `target` must come from. A source numbered 0-2 could be overwritten by
// the dup2 onto another target, and a source already numbered `target` would keep its
// close-on-exec flag (dup2 onto itself does nothing), so such sources are first copied to a
// close-on-exec fd above 2. `keep` owns that copy until the child holds it.
int usable_source(int source, int target, UniqueFd& keep) {
    if (source == target && (::fcntl(source, F_GETFD) & FD_CLOEXEC) == 0) return source;
    if (source > 2) return source;
    keep = duplicate_above_stdio(source);
    return keep.get();
}

void add_dup2(FileActions& actions, int source, int target) {
    if (source == target) return;  // already in place and inheritable
    check(posix_spawn_file_actions_adddup2(actions.get(), source, target),
          "posix_spawn_file_actions_adddup2");
}

// glibc's sigfillset leaves out the two signals glibc keeps for itself (32 and 33, below
// SIGRTMIN), and its posix_spawn then sets them to SIG_IGN in the child, an ignore that exec keeps.
// Naming them in the set of signals to reset gives the program every disposition at default.
void add_glibc_internal_signals(sigset_t& set) {
    constexpr unsigned long kSignal32 = 1UL << 31, kSignal33 = 1UL << 32;
    set.__val[0] |= kSignal32 | kSignal33;
}

bool retryable(int error) { return error == EAGAIN; }

void pause_before_retry(int attempt) {
    timespec delay{0, (10L << attempt) * 1000000L};  // 10, 20, 40, ... ms
    while (::nanosleep(&delay, &delay) != 0 && errno == EINTR) {
    }
}

constexpr int kSpawnAttempts = 8;  // pauses of 10 to 640 ms, 1.3 s in all, before giving up

}  // namespace

SpawnOutcome spawn_process(const SpawnRequest& request) {
    UniqueFd input_copy, output_copy;
    int input = usable_source(request.stdio.input, 0, input_copy);
    int output = usable_source(request.stdio.output, 1, output_copy);

    // The actions run in the child in this order. closefrom comes last: run earlier it would
    // close the sources of the dup2s. It is one close_range call, whatever the highest fd.
    FileActions actions;
    add_dup2(actions, input, 0);
    add_dup2(actions, output, 1);
    check(posix_spawn_file_actions_addclosefrom_np(actions.get(), 3),
          "posix_spawn_file_actions_addclosefrom_np");

    // Dispositions and mask are inherited through exec; a child must not start with SIGPIPE
    // ignored (it would print "Broken pipe" errors instead of dying quietly) or signals blocked.
    SpawnAttributes attributes;
    sigset_t all, none;
    sigfillset(&all);
    add_glibc_internal_signals(all);
    sigemptyset(&none);
    check(posix_spawnattr_setsigdefault(attributes.get(), &all), "posix_spawnattr_setsigdefault");
    check(posix_spawnattr_setsigmask(attributes.get(), &none), "posix_spawnattr_setsigmask");
    check(posix_spawnattr_setflags(attributes.get(), POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK),
          "posix_spawnattr_setflags");

    // glibc reports the exec's errno through the CLONE_VFORK handshake, so an exec failure is
    // an errno here, never text printed by the child.
    SpawnOutcome outcome;
    for (int attempt = 0;; ++attempt) {
        outcome.error = posix_spawn(&outcome.pid, request.path, actions.get(), attributes.get(),
                                    request.argv, request.envp);
        if (outcome.error == 0 || !retryable(outcome.error) || attempt + 1 == kSpawnAttempts) break;
        pause_before_retry(attempt);
    }
    if (outcome.error != 0) outcome.pid = -1;
    return outcome;
}

}  // namespace pipex
