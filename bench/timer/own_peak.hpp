// A launcher's own peak memory, not its children's.
//
// wait4's ru_maxrss cannot give it: it is the largest of the process and of every descendant it
// reaped, and a child started with vfork or posix_spawn even carries the parent's peak across its
// exec. So the child is traced (ptrace, exit events only) and, when it is about to exit but
// still holds its memory, its VmHWM is read from /proc: the peak resident size of that process's
// last program alone. Its children are not traced and run at full speed.
#pragma once

#include <sys/types.h>

namespace bench {

struct TracedEnd {
    int wait_status = 0;
    long own_peak_kib = -1;  // -1 when the exit stop was never seen
};

// The child must have stopped itself after PTRACE_TRACEME (see child.hpp). Resumes it, forwards
// the signals it receives, and waits until it has ended.
TracedEnd follow_until_exit(pid_t pid);

}  // namespace bench
