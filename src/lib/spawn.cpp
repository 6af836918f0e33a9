#include "pipex/spawn.hpp"

#include <fcntl.h>
#include <linux/futex.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>
#include <utility>

#include "exec_child.hpp"
#include "pipex/unique_fd.hpp"
#include "raw_syscall.hpp"
#include "spawn_mode.hpp"

namespace pipex {
namespace {

// ---- What both ways of spawning share ----------------------------------------------------------

// Where the child's fd `target` must come from. A source numbered 0-2 could be overwritten by
// the dup onto another target, and a source already numbered `target` would keep its
// close-on-exec flag (dup onto itself does nothing), so such sources are first copied to a
// close-on-exec fd above 2. `keep` owns that copy until the child holds it.
int usable_source(int source, int target, UniqueFd& keep) {
    if (source == target && (::fcntl(source, F_GETFD) & FD_CLOEXEC) == 0) return source;
    if (source > 2) return source;
    keep = duplicate_above_stdio(source);
    return keep.get();
}

constexpr int kSpawnAttempts = 8;  // pauses of 10 to 640 ms, 1.3 s in all, before giving up

void pause_before_retry(int attempt) {
    timespec delay{0, (10L << attempt) * 1000000L};  // 10, 20, 40, ... ms
    while (::nanosleep(&delay, &delay) != 0 && errno == EINTR) {
    }
}

// When the system has no process to spare, waiting a little often finds one (a pipeline's earlier
// stages exit). `create` returns 0 or an errno.
template <typename Create>
int create_with_retries(Create create) {
    for (int attempt = 0;; ++attempt) {
        int error = create();
        if (error != EAGAIN) return error;
        if (attempt + 1 == kSpawnAttempts) throw SystemError(EAGAIN, "fork");
        pause_before_retry(attempt);
    }
}

// ---- posix_spawn, where clone(CLONE_VM) is refused ---------------------------------------------

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

// The same child as exec_child.cpp makes, built from posix_spawn's actions. glibc reports the
// exec's errno through its CLONE_VFORK handshake, and reaps a child whose exec failed.
SpawnOutcome posix_spawn_program(const char* path, char* const* argv, char* const* envp, int input,
                                 int output) {
    FileActions actions;
    add_dup2(actions, input, 0);
    add_dup2(actions, output, 1);
    // Last: run earlier it would close the sources of the dup2s.
    check(posix_spawn_file_actions_addclosefrom_np(actions.get(), 3),
          "posix_spawn_file_actions_addclosefrom_np");

    SpawnAttributes attributes;
    sigset_t all, none;
    sigfillset(&all);
    add_glibc_internal_signals(all);
    sigemptyset(&none);
    check(posix_spawnattr_setsigdefault(attributes.get(), &all), "posix_spawnattr_setsigdefault");
    check(posix_spawnattr_setsigmask(attributes.get(), &none), "posix_spawnattr_setsigmask");
    check(posix_spawnattr_setflags(attributes.get(), POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK),
          "posix_spawnattr_setflags");

    SpawnOutcome outcome;
    outcome.error = create_with_retries(
        [&] { return posix_spawn(&outcome.pid, path, actions.get(), attributes.get(), argv, envp); });
    if (outcome.error != 0) outcome.pid = -1;
    return outcome;
}

SpawnOutcome posix_spawn_request(const SpawnRequest& request, int input, int output) {
    SpawnOutcome outcome = posix_spawn_program(request.path, request.argv, request.envp, input, output);
    if (outcome.error != ENOEXEC || request.script_argv == nullptr || looks_binary(request.path))
        return outcome;
    outcome = posix_spawn_program(request.script_argv[0], request.script_argv, request.envp, input, output);
    if (outcome.error != 0) outcome.failed_step = ExecStep::Script;
    return outcome;
}

// valgrind supports clone only as fork, vfork or a thread, and ends the program on any other use
// instead of failing the call; the only trace it leaves is its preloaded library.
bool under_valgrind() {
    const char* preload = std::getenv("LD_PRELOAD");
    return preload != nullptr && std::strstr(preload, "/vgpreload_") != nullptr;
}

const bool g_clone_available = PIPEX_HAVE_RAW_SYSCALL != 0 && !under_valgrind();
// Whether clone(CLONE_VM) without CLONE_VFORK is used; false once refused (seccomp filters).
std::atomic<bool> g_clone_works{g_clone_available};

}  // namespace

SpawnMode spawn_mode() { return g_clone_works.load() ? SpawnMode::CloneVm : SpawnMode::PosixSpawn; }

void set_spawn_mode(SpawnMode mode) { g_clone_works.store(mode == SpawnMode::CloneVm && g_clone_available); }

// ---- clone(CLONE_VM): the child execs while the parent goes on -----------------------------------

// One mapping per child: a guard page, the child's stack, and its ExecPlan at the top. The parent
// unmaps it once the kernel has cleared plan.tid: the child has exec'ed (it now has memory of its
// own) or exited, and will never touch this memory again.
struct StartedChild::Memory {
    static constexpr std::size_t kMappingBytes = 64 << 10;  // the child uses well under 4 KiB
    static constexpr std::size_t kGuardBytes = 4 << 10;

    ExecPlan plan;

    static Memory* map() {
        void* base = ::mmap(nullptr, kMappingBytes, PROT_READ | PROT_WRITE,
                            MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK | MAP_NORESERVE, -1, 0);
        if (base == MAP_FAILED) throw SystemError(errno, "mmap of a child's stack");
        // A stack overflow, were it possible, would fault instead of writing the parent's memory.
        if (::mprotect(base, kGuardBytes, PROT_NONE) != 0) {
            int error = errno;
            ::munmap(base, kMappingBytes);
            throw SystemError(error, "mprotect of a child's stack guard");
        }
        return ::new (static_cast<char*>(base) + kMappingBytes - sizeof(Memory)) Memory{};
    }

    void* stack_top() {
        return reinterpret_cast<void*>(reinterpret_cast<std::uintptr_t>(this) & ~std::uintptr_t{15});
    }

    void unmap() {
        ::munmap(reinterpret_cast<char*>(this) + sizeof(Memory) - kMappingBytes, kMappingBytes);
    }
};

namespace {

// Every signal blocked, glibc's own included, for as long as the object lives: a child created
// meanwhile starts with all of them blocked and unblocks them only once they are all at default.
class AllSignalsBlocked {
public:
    AllSignalsBlocked() {
        const unsigned long all = ~0UL;
        if (::syscall(SYS_rt_sigprocmask, SIG_SETMASK, &all, &saved_, sizeof saved_) != 0)
            throw SystemError(errno, "rt_sigprocmask");
    }
    ~AllSignalsBlocked() { ::syscall(SYS_rt_sigprocmask, SIG_SETMASK, &saved_, nullptr, sizeof saved_); }
    AllSignalsBlocked(const AllSignalsBlocked&) = delete;
    AllSignalsBlocked& operator=(const AllSignalsBlocked&) = delete;

private:
    unsigned long saved_ = 0;
};

}  // namespace

StartedChild start_process(const SpawnRequest& request) {
    UniqueFd input_copy, output_copy;  // closed on return: the child has its own fd table by then
    const int input = usable_source(request.stdio.input, 0, input_copy);
    const int output = usable_source(request.stdio.output, 1, output_copy);

    StartedChild child;
#if PIPEX_HAVE_RAW_SYSCALL
    if (g_clone_works.load(std::memory_order_relaxed)) {
        StartedChild::Memory* memory = StartedChild::Memory::map();
        memory->plan = ExecPlan{request.path, request.argv, request.envp, request.script_argv,
                                input, output, 0, 0, 0};
        // CLONE_PARENT_SETTID stores the tid before the child runs; CLONE_CHILD_CLEARTID zeroes it
        // and wakes a futex when the child execs or exits: the end of its use of this memory.
        const int flags = CLONE_VM | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID | SIGCHLD;
        pid_t pid = -1;
        int error = 0;
        try {
            error = create_with_retries([&] {
                AllSignalsBlocked blocked;
                pid = ::clone(run_exec_plan, memory->stack_top(), flags, &memory->plan,
                              &memory->plan.tid, nullptr, &memory->plan.tid);
                return pid < 0 ? errno : 0;
            });
        } catch (...) {  // no child: the memory is nobody's
            memory->unmap();
            throw;
        }
        if (error == 0) {
            child.pid_ = pid;
            child.memory_ = memory;
            return child;
        }
        memory->unmap();
        if (error != EINVAL && error != ENOSYS && error != EPERM) throw SystemError(error, "clone");
        g_clone_works.store(false, std::memory_order_relaxed);
    }
#endif
    child.settled_outcome_ = posix_spawn_request(request, input, output);
    child.pid_ = child.settled_outcome_.pid;
    return child;
}

bool StartedChild::settled() const {
    return memory_ == nullptr || __atomic_load_n(&memory_->plan.tid, __ATOMIC_ACQUIRE) == 0;
}

SpawnOutcome StartedChild::wait() {
    if (memory_ == nullptr) return settled_outcome_;
    // The kernel wakes a shared (not private) futex when it clears the tid.
    while (pid_t tid = __atomic_load_n(&memory_->plan.tid, __ATOMIC_ACQUIRE))
        ::syscall(SYS_futex, &memory_->plan.tid, FUTEX_WAIT, tid, nullptr, nullptr, 0);
    settled_outcome_.pid = pid_;
    settled_outcome_.error = __atomic_load_n(&memory_->plan.error, __ATOMIC_ACQUIRE);
    settled_outcome_.failed_step = static_cast<ExecStep>(memory_->plan.failed_step);
    memory_->unmap();
    memory_ = nullptr;
    return settled_outcome_;
}

StartedChild::StartedChild(StartedChild&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)),
      memory_(std::exchange(other.memory_, nullptr)),
      settled_outcome_(other.settled_outcome_) {}

StartedChild& StartedChild::operator=(StartedChild&& other) noexcept {
    if (this != &other) {
        if (memory_ != nullptr) wait();
        pid_ = std::exchange(other.pid_, -1);
        memory_ = std::exchange(other.memory_, nullptr);
        settled_outcome_ = other.settled_outcome_;
    }
    return *this;
}

StartedChild::~StartedChild() {
    if (memory_ != nullptr) wait();
}

SpawnOutcome spawn_process(const SpawnRequest& request) {
    StartedChild child = start_process(request);
    SpawnOutcome outcome = child.wait();
    if (outcome.error != 0 && outcome.pid > 0) {
        while (::waitpid(outcome.pid, nullptr, 0) < 0 && errno == EINTR) {
        }
        outcome.pid = -1;
    }
    return outcome;
}

}  // namespace pipex
