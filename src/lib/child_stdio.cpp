// Stdio sources for a child: moved out of the way of the dups.
#include "child_stdio.hpp"

#include <fcntl.h>

#include <cerrno>

#include "pipex/base/system_error.hpp"

namespace pipex {

int usable_source(int source, int target, UniqueFd& keep) {
    // Above 2, a source is used as it is, unchecked: a closed one fails the child's dup, which
    // reports it as that step's failure, and a pipeline's stages pay no system call for it.
    if (source > 2) return source;
    if (source == target) {
        const int flags = ::fcntl(source, F_GETFD);
        if (flags < 0) return -1;
        if ((flags & FD_CLOEXEC) == 0) return source;
    }
    try {
        keep = duplicate_above_stdio(source);
    } catch (const SystemError& error) {
        if (error.code().value() != EBADF) throw;
        errno = EBADF;
        return -1;
    }
    return keep.get();
}

}  // namespace pipex
