// Files in memory (memfd): the input a run reads and the output it writes, never a name in a
// folder the program could see or list.
#pragma once

#include <string>
#include <string_view>

#include "pipex/base/unique_fd.hpp"

namespace pipex::check {

// A close-on-exec memfd holding `bytes`, its offset at the start. Throws SystemError.
UniqueFd memory_file(const char* name, std::string_view bytes);

// An empty memfd for output, in append mode: processes writing it through the same open file
// each add at its end. (A memfd's offset is not updated atomically between processes as a
// regular file's is: without O_APPEND two stages' error lines can land on the same bytes.)
UniqueFd output_memory_file(const char* name);

}  // namespace pipex::check
