// Stdio sources for a child: checked open, and moved out of the way of the dups.
#include "child_stdio.hpp"

#include <fcntl.h>

#include <cerrno>

namespace pipex {

int usable_source(int source, int target, UniqueFd& keep) {
    const int flags = ::fcntl(source, F_GETFD);
    if (flags < 0) return -1;
    if (source == target && (flags & FD_CLOEXEC) == 0) return source;
    if (source > 2) return source;
    keep = duplicate_above_stdio(source);
    return keep.get();
}

}  // namespace pipex
