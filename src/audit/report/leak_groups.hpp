// Leaks of the same fd received by several processes are one finding: a shell that hands its
// fd 5 to 40 children has one bug, not 40. Both reports group them the same way.
#pragma once

#include <cstddef>
#include <vector>

#include "audit/checks/findings.hpp"

namespace pipex::audit {

// The indices, into the list given, of leaks of one fd: the same number, the same open file
// (what /proc shows) and the same access, in the order they were found.
using LeakGroup = std::vector<std::size_t>;

// Every leak of `leaks` in exactly one group; groups in the order of their first leak.
std::vector<LeakGroup> group_leaks(const std::vector<FdLeak>& leaks);

}  // namespace pipex::audit
