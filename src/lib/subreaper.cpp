// Taking the child subreaper role for the length of a run, and giving it back.
#include "subreaper.hpp"

#include <sys/prctl.h>

#include <cerrno>

#include "pipex/base/system_error.hpp"

namespace pipex {

SubreaperScope::SubreaperScope() {
    int current = 0;
    if (::prctl(PR_GET_CHILD_SUBREAPER, &current, 0, 0, 0) != 0)
        throw SystemError(errno, "prctl(PR_GET_CHILD_SUBREAPER)");
    was_subreaper_ = current != 0;
    if (!was_subreaper_ && ::prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0)
        throw SystemError(errno, "prctl(PR_SET_CHILD_SUBREAPER)");
}

SubreaperScope::~SubreaperScope() {
    if (!was_subreaper_) ::prctl(PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0);
}

}  // namespace pipex
