// Spawning by clone(CLONE_VM) without CLONE_VFORK: the child's memory, its creation, and the
// wait for the end of its use of the parent's memory.
#include "clone_spawn.hpp"

#include <linux/futex.h>
#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>

#include "pipex/base/system_error.hpp"
#include "raw_syscall.hpp"
#include "spawn_mode.hpp"
#include "spawn_retry.hpp"

namespace pipex {

// One mapping per child: a guard page, the child's stack, and CloneShared at the top. The parent
// unmaps it once the kernel has cleared shared.tid: the child has exec'ed (it now has memory of
// its own) or exited, and will never touch this memory again.
struct CloneChild {
    static constexpr std::size_t kMappingBytes = 64 << 10;  // the child uses well under 4 KiB
    static constexpr std::size_t kGuardBytes = 4 << 10;

    CloneShared shared;

    static CloneChild* map() {
        void* base = ::mmap(nullptr, kMappingBytes, PROT_READ | PROT_WRITE,
                            MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK | MAP_NORESERVE, -1, 0);
        if (base == MAP_FAILED) throw SystemError(errno, "mmap of a child's stack");
        // A stack overflow, were it possible, would fault instead of writing the parent's memory.
        if (::mprotect(base, kGuardBytes, PROT_NONE) != 0) {
            int error = errno;
            ::munmap(base, kMappingBytes);
            throw SystemError(error, "mprotect of a child's stack guard");
        }
        return ::new (static_cast<char*>(base) + kMappingBytes - sizeof(CloneChild)) CloneChild{};
    }

    void* stack_top() {
        return reinterpret_cast<void*>(reinterpret_cast<std::uintptr_t>(this) &
                                       ~std::uintptr_t{15});
    }

    void unmap() {
        ::munmap(reinterpret_cast<char*>(this) + sizeof(CloneChild) - kMappingBytes, kMappingBytes);
    }
};

namespace {

// valgrind supports clone only as fork, vfork or a thread, and ends the program on any other use
// instead of failing the call; the only trace it leaves is its preloaded library.
bool under_valgrind() {
    const char* preload = std::getenv("LD_PRELOAD");
    return preload != nullptr && std::strstr(preload, "/vgpreload_") != nullptr;
}

const bool g_clone_available = PIPEX_HAVE_RAW_SYSCALL != 0 && !under_valgrind();
std::atomic<bool> g_clone_works{g_clone_available};  // false once refused

// Every signal blocked, glibc's own included, for as long as the object lives: a child created
// meanwhile starts with all of them blocked and unblocks them only once they are all at default.
class AllSignalsBlocked {
public:
    AllSignalsBlocked() {
        const unsigned long all = ~0UL;
        if (::syscall(SYS_rt_sigprocmask, SIG_SETMASK, &all, &saved_, sizeof saved_) != 0)
            throw SystemError(errno, "rt_sigprocmask");
    }
    ~AllSignalsBlocked() {
        ::syscall(SYS_rt_sigprocmask, SIG_SETMASK, &saved_, nullptr, sizeof saved_);
    }
    AllSignalsBlocked(const AllSignalsBlocked&) = delete;
    AllSignalsBlocked& operator=(const AllSignalsBlocked&) = delete;

private:
    unsigned long saved_ = 0;
};

// CLONE_PARENT_SETTID stores the tid before the child runs; CLONE_CHILD_CLEARTID zeroes it and
// wakes a futex when the child execs or exits: the end of its use of this memory.
int clone_into(CloneChild& child, pid_t& pid) {
#if PIPEX_HAVE_RAW_SYSCALL
    const int flags = CLONE_VM | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID | SIGCHLD;
    return create_with_retries([&] {
        AllSignalsBlocked blocked;
        pid = ::clone(run_child_plan, child.stack_top(), flags, &child.shared, &child.shared.tid,
                      nullptr, &child.shared.tid);
        return pid < 0 ? errno : 0;
    });
#else
    (void)child, (void)pid;
    return ENOSYS;
#endif
}

bool refused(int error) { return error == EINVAL || error == ENOSYS || error == EPERM; }

}  // namespace

bool clone_spawn_enabled() { return g_clone_works.load(std::memory_order_relaxed); }

CloneChild* start_clone_child(const ChildPlan& plan, pid_t& pid) {
    CloneChild* child = CloneChild::map();
    child->shared =
        CloneShared{.plan = plan, .failure = {.error = 0, .step = ChildStep::Program}, .tid = 0};
    int error = 0;
    try {
        error = clone_into(*child, pid);
    } catch (...) {  // no child: the memory is nobody's
        child->unmap();
        throw;
    }
    if (error == 0) return child;
    child->unmap();
    if (!refused(error)) throw SystemError(error, "clone");
    g_clone_works.store(false, std::memory_order_relaxed);
    return nullptr;
}

bool clone_child_settled(const CloneChild& child) {
    return __atomic_load_n(&child.shared.tid, __ATOMIC_ACQUIRE) == 0;
}

ChildFailure wait_clone_child(CloneChild* child) {
    // The kernel wakes a shared (not private) futex when it clears the tid.
    while (pid_t tid = __atomic_load_n(&child->shared.tid, __ATOMIC_ACQUIRE))
        ::syscall(SYS_futex, &child->shared.tid, FUTEX_WAIT, tid, nullptr, nullptr, 0);
    ChildFailure failure{.error = __atomic_load_n(&child->shared.failure.error, __ATOMIC_ACQUIRE),
                         .step = child->shared.failure.step};
    child->unmap();
    return failure;
}

SpawnMode spawn_mode() {
    return clone_spawn_enabled() ? SpawnMode::CloneVm : SpawnMode::PosixSpawn;
}

void set_spawn_mode(SpawnMode mode) {
    g_clone_works.store(mode == SpawnMode::CloneVm && g_clone_available);
}

}  // namespace pipex
