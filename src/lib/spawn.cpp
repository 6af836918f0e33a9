// The spawn sequence: from a SpawnRequest to a child on its way to exec, in the order it happens.
// The child's own steps are in exec_child.cpp; the two ways of creating it, clone_spawn.cpp and
// posix_spawn_fallback.cpp, both carry out the one ChildPlan built here (child_plan.hpp).
#include "pipex/spawn.hpp"

#include <sys/wait.h>

#include <cerrno>
#include <utility>

#include "child_plan.hpp"
#include "child_stdio.hpp"
#include "clone_spawn.hpp"
#include "pipex/base/exit_status.hpp"
#include "pipex/base/system_error.hpp"
#include "posix_spawn_fallback.hpp"

namespace pipex {

namespace {

ChildFile child_file(const StdioFile& file) {
    return ChildFile{.path = file.path, .flags = file.flags, .mode = file.mode};
}

}  // namespace

StartedChild start_process(const SpawnRequest& request) {
    const ChildStdio& stdio = request.stdio;
    // Copies of stdio sources a dup could clobber; closed on return, when the child holds its own.
    UniqueFd input_copy, output_copy, error_copy;

    // The caller's fds: a closed one is theirs to hear about, as a failed step, not the program's.
    // A file is the child's to open.
    int input = -1, output = -1;
    if (stdio.input_file.path == nullptr && (input = usable_source(stdio.input, 0, input_copy)) < 0)
        return StartedChild(SpawnOutcome{-1, errno, SpawnStep::Stdin});
    if (stdio.output_file.path == nullptr &&
        (output = usable_source(stdio.output, 1, output_copy)) < 0)
        return StartedChild(SpawnOutcome{-1, errno, SpawnStep::Stdout});
    int error = 2;
    if (!stdio.error_to_output && stdio.error_file.path == nullptr && stdio.error != 2 &&
        (error = usable_source(stdio.error, 2, error_copy)) < 0)
        return StartedChild(SpawnOutcome{-1, errno, SpawnStep::Stderr});

    // The plan, frozen: what the child does until its exec.
    const ChildPlan plan{.path = request.path,
                         .argv = request.argv,
                         .envp = request.envp,
                         .script_argv = request.script_argv,
                         .input = input,
                         .output = output,
                         .input_file = child_file(stdio.input_file),
                         .output_file = child_file(stdio.output_file),
                         .error = error,
                         .error_to_output = stdio.error_to_output,
                         .error_file = child_file(stdio.error_file),
                         .working_folder = request.working_folder,
                         .exit_status = request.exit_status};

    // clone(CLONE_VM): the child execs on another core while the caller goes on.
    if (clone_spawn_enabled()) {
        pid_t pid = -1;
        if (CloneChild* running = start_clone_child(plan, pid)) return StartedChild(pid, running);
    }

    // posix_spawn, where that clone is refused: it returns once the exec is done.
    return StartedChild(posix_spawn_plan(plan));
}

namespace {

// The child's exit statuses are the shell's.
static_assert(kChildSetupFailed == kStatusRedirectionFailed);
static_assert(kChildCannotExecute == kStatusNotExecutable);
static_assert(kChildNotFound == kStatusNotFound);

SpawnStep public_step(ChildStep step) {
    switch (step) {
        case ChildStep::Stdin:
            return SpawnStep::Stdin;
        case ChildStep::Stdout:
            return SpawnStep::Stdout;
        case ChildStep::Stderr:
            return SpawnStep::Stderr;
        case ChildStep::CloseFds:
            return SpawnStep::CloseFds;
        case ChildStep::OpenInput:
            return SpawnStep::OpenInput;
        case ChildStep::OpenOutput:
            return SpawnStep::OpenOutput;
        case ChildStep::OpenError:
            return SpawnStep::OpenError;
        case ChildStep::WorkingFolder:
            return SpawnStep::WorkingFolder;
        case ChildStep::Program:
            return SpawnStep::Program;
        case ChildStep::Script:
            break;
    }
    return SpawnStep::Script;
}

}  // namespace

bool StartedChild::settled() const { return running_ == nullptr || clone_child_settled(*running_); }

SpawnOutcome StartedChild::wait() {
    if (running_ == nullptr) return settled_outcome_;
    const ChildFailure failure = wait_clone_child(std::exchange(running_, nullptr));
    settled_outcome_ = SpawnOutcome{pid_, failure.error, public_step(failure.step)};
    return settled_outcome_;
}

StartedChild::StartedChild(StartedChild&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)),
      running_(std::exchange(other.running_, nullptr)),
      settled_outcome_(other.settled_outcome_) {}

StartedChild& StartedChild::operator=(StartedChild&& other) noexcept {
    if (this != &other) {
        if (running_ != nullptr) wait();
        pid_ = std::exchange(other.pid_, -1);
        running_ = std::exchange(other.running_, nullptr);
        settled_outcome_ = other.settled_outcome_;
    }
    return *this;
}

StartedChild::~StartedChild() {
    if (running_ != nullptr) wait();
}

SpawnOutcome spawn_process(const SpawnRequest& request) {
    StartedChild child = start_process(request);
    SpawnOutcome outcome = child.wait();
    if (outcome.error != 0 && outcome.pid > 0) {
        (void)retry_on_eintr([&] { return ::waitpid(outcome.pid, nullptr, 0); });
        outcome.pid = -1;
    }
    return outcome;
}

}  // namespace pipex
