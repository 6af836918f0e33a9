// The fds a child's stdin and stdout come from (internal to the engine), made safe to dup onto 0
// and 1 in that order.
#pragma once

#include "pipex/base/unique_fd.hpp"

namespace pipex {

// The fd the child must dup onto `target` (0 or 1) to get `source` there, or -1 with errno EBADF
// when `source` is a std fd that is not open (a closed one above 2 is the child's dup to find).
// A source numbered 0-2 could be overwritten by the dup onto another
// target, and a source already numbered `target` would keep its close-on-exec flag (a dup onto
// itself does nothing), so such sources are first copied to a close-on-exec fd above 2, which
// `keep` owns until the child holds it. Throws SystemError when that copy fails.
int usable_source(int source, int target, UniqueFd& keep);

}  // namespace pipex
