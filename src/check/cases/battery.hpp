// pipex-check's battery: every case, in the order they are listed and reported.
#pragma once

#include <vector>

#include "check/cases/check_case.hpp"

namespace pipex::check {

const std::vector<Case>& battery();

}  // namespace pipex::check
