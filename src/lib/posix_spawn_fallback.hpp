// The posix_spawn way of carrying out a child plan (internal to the engine), used where
// clone(CLONE_VM) is refused: valgrind, some sandboxes, architectures without raw system calls.
#pragma once

#include "child_plan.hpp"
#include "pipex/spawn.hpp"

namespace pipex {

// The same child as exec_child.cpp makes, from the same plan, but created with CLONE_VFORK: this
// returns once the exec has succeeded or failed, and a child whose exec failed has been reaped
// (pid -1). A plan without a program creates no process: its files are opened and closed here.
// Throws SystemError when the spawn cannot be prepared or no process can be created.
SpawnOutcome posix_spawn_plan(const ChildPlan& plan);

}  // namespace pipex
