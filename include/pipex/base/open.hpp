/// @file
/// Opening files and folders. A file that cannot be opened is an ordinary outcome (an INFILE that
/// does not exist, a process that has just ended and left /proc), so the errno is returned, not
/// thrown.
#pragma once

#include <string>

#include "pipex/base/unique_fd.hpp"

namespace pipex {

struct OpenResult {
    UniqueFd fd;    ///< empty on failure
    int error = 0;  ///< the errno of the failure, 0 on success
};

/// open(2) with O_CLOEXEC added, retried on EINTR.
OpenResult open_file(const std::string& path, int flags, unsigned mode = 0666);

/// A folder opened for reading its entries, close-on-exec. Empty, with the errno, on failure.
struct FolderResult {
    UniqueDir dir;
    int error = 0;
};
FolderResult open_folder(const std::string& path);

}  // namespace pipex
