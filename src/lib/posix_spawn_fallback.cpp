// The fallback spawn: a child plan translated into posix_spawn's file actions and attributes.
#include "posix_spawn_fallback.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>

#include <cerrno>

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

// glibc's sigfillset leaves out the two signals glibc keeps for itself (32 and 33, below
// SIGRTMIN), and its posix_spawn then sets them to SIG_IGN in the child, an ignore that exec keeps.
// Naming them in the set of signals to reset gives the program every disposition at default.
void add_glibc_internal_signals(sigset_t& set) {
    constexpr unsigned long kSignal32 = 1UL << 31, kSignal33 = 1UL << 32;
    set.__val[0] |= kSignal32 | kSignal33;
}

// The plan's steps as posix_spawn's: glibc reports the exec's errno through its CLONE_VFORK
// handshake, and reaps a child whose exec failed. A failed dup2 would come back the same way, as
// if the exec had failed: posix_spawn_plan checks both sources first, so that it does not.
SpawnOutcome spawn_program(const ChildPlan& plan, const char* path, char* const* argv) {
    FileActions actions("posix_spawn_file_actions_init");
    add_dup2(actions, plan.input, 0);
    add_dup2(actions, plan.output, 1);
    // Last: run earlier it would close the sources of the dup2s. glibc carries it out with
    // close_range, and on any failure of that call (a seccomp profile's EPERM included) closes
    // what /proc/self/fd lists, as exec_child.cpp does; without /proc the spawn fails, so a
    // program never runs holding more than its three fds. glibc has had both since 2.34, the
    // first release with this action.
    check(posix_spawn_file_actions_addclosefrom_np(actions.get(), 3),
          "posix_spawn_file_actions_addclosefrom_np");

    SpawnAttributes attributes("posix_spawnattr_init");
    sigset_t all, none;
    sigfillset(&all);
    add_glibc_internal_signals(all);
    sigemptyset(&none);
    check(posix_spawnattr_setsigdefault(attributes.get(), &all), "posix_spawnattr_setsigdefault");
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

}  // namespace

SpawnOutcome posix_spawn_plan(const ChildPlan& plan) {
    if (::fcntl(plan.input, F_GETFD) < 0) return SpawnOutcome{-1, errno, SpawnStep::Stdin};
    if (::fcntl(plan.output, F_GETFD) < 0) return SpawnOutcome{-1, errno, SpawnStep::Stdout};
    SpawnOutcome outcome = spawn_program(plan, plan.path, plan.argv);
    if (outcome.error != ENOEXEC || plan.script_argv == nullptr || looks_binary(plan.path))
        return outcome;
    outcome = spawn_program(plan, plan.script_argv[0], plan.script_argv);
    if (outcome.error != 0) outcome.failed_step = SpawnStep::Script;
    return outcome;
}

}  // namespace pipex
