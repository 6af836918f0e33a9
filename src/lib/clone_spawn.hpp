// The clone(CLONE_VM) way of carrying out a child plan (internal to the engine): the child runs
// exec_child.cpp on a small stack of its own in its parent's memory, and the parent goes on while
// the kernel loads the program.
#pragma once

#include <sys/types.h>

#include "child_plan.hpp"

namespace pipex {

struct CloneChild;  // the child's stack and shared state, one mapping

// Whether this way is used: not under valgrind (which ends a program that clones this way), not
// on an architecture without raw system calls, and not once refused (a seccomp filter).
bool clone_spawn_enabled();

// Creates the child and returns at once, with its pid in `pid`; nullptr when the kernel refuses
// this clone (EINVAL, ENOSYS, EPERM), which also turns this way off for good. Throws SystemError
// for any other failure, retries on EAGAIN included.
CloneChild* start_clone_child(const ChildPlan& plan, pid_t& pid);

// Whether the child has exec'ed or exited, so that wait_clone_child would return at once.
bool clone_child_settled(const CloneChild& child);

// Waits until the child has exec'ed (error 0) or failed a step, then frees its memory.
ChildFailure wait_clone_child(CloneChild* child);

}  // namespace pipex
