// Compiled without sanitizers or stack protector (CMakeLists.txt): their instrumentation calls
// into runtimes that keep per-thread state, which this child would share with its parent.
#include "exec_child.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/syscall.h>

#include <cerrno>

#include "pipex/spawn.hpp"
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

constexpr int kStatusNotFound = 127, kStatusNotExecutable = 126;  // as exit_status.hpp

// The kernel's struct sigaction, all zero: SIG_DFL, no flags, empty mask. Big enough for the
// layouts of both supported architectures.
struct KernelSigaction {
    unsigned long handler, flags, restorer, mask;
};
constexpr KernelSigaction kDefaultAction{0, 0, 0, 0};
constexpr unsigned long kEmptyMask = 0;
constexpr int kLastSignal = 64;

[[noreturn]] void fail(ExecPlan& plan, long negative_errno, ExecStep step) {
    const int error = static_cast<int>(-negative_errno);
    __atomic_store_n(&plan.failed_step, static_cast<int>(step), __ATOMIC_RELAXED);
    __atomic_store_n(&plan.error, error, __ATOMIC_RELEASE);
    const bool not_found = error == ENOENT && step == ExecStep::Program;
    for (;;) raw::call(SYS_exit_group, not_found ? kStatusNotFound : kStatusNotExecutable);
}

long move_to(int source, int target) {
    return source == target ? 0 : raw::call(SYS_dup3, source, target, 0);
}

// One close_range call whatever the highest fd; kernels before 5.9 get the loop it replaces.
long close_from_3() {
    long result = raw::call(SYS_close_range, 3, ~0U, 0);
    if (result != -ENOSYS) return result;
    rlimit limit{};
    result = raw::call(SYS_prlimit64, 0, RLIMIT_NOFILE, nullptr, &limit);
    if (result < 0) return result;
    for (rlim_t fd = 3; fd < limit.rlim_cur; ++fd) raw::call(SYS_close, fd);
    return 0;
}

// Handlers are the parent's code: run in the child they would write the parent's memory. All
// signals are blocked since before the clone, so every one is made default before any unblocks.
void default_dispositions_and_mask() {
    for (int signal = 1; signal <= kLastSignal; ++signal) {
        if (signal == SIGKILL || signal == SIGSTOP) continue;
        raw::call(SYS_rt_sigaction, signal, &kDefaultAction, nullptr, sizeof kEmptyMask);
    }
    raw::call(SYS_rt_sigprocmask, SIG_SETMASK, &kEmptyMask, nullptr, sizeof kEmptyMask);
}

}  // namespace

int run_exec_plan(void* argument) {
    ExecPlan& plan = *static_cast<ExecPlan*>(argument);
    long result;
    if ((result = move_to(plan.input, 0)) < 0 || (result = move_to(plan.output, 1)) < 0 ||
        (result = close_from_3()) < 0)
        fail(plan, result, ExecStep::Program);
    default_dispositions_and_mask();

    result = raw::call(SYS_execve, plan.path, plan.argv, plan.envp);
    if (result != -ENOEXEC || plan.script_argv == nullptr || looks_binary(plan.path))
        fail(plan, result, ExecStep::Program);
    result = raw::call(SYS_execve, plan.script_argv[0], plan.script_argv, plan.envp);
    fail(plan, result, ExecStep::Script);
}

}  // namespace pipex

#endif  // PIPEX_HAVE_RAW_SYSCALL
