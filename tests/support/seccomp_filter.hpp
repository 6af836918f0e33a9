// Test support: a seccomp filter that refuses close_range with EPERM, as the profiles of some
// container runtimes refuse the system calls they do not know.
#pragma once

#include <string>

namespace testsupport {

// Installs the filter on the calling process (it is inherited by every child and kept across
// exec) and checks that close_range is now refused. Returns an empty string, or why the filter
// could not be had (no seccomp in this kernel, an unknown architecture).
std::string refuse_close_range();

}  // namespace testsupport
