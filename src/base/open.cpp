// Opening files and folders close-on-exec, the errno returned rather than thrown.
#include "pipex/base/open.hpp"

#include <fcntl.h>

#include "pipex/base/system_error.hpp"

namespace pipex {

OpenResult open_file(const std::string& path, int flags, unsigned mode) {
    int fd = retry_on_eintr(
        [&] { return ::open(path.c_str(), flags | O_CLOEXEC, static_cast<mode_t>(mode)); });
    if (fd < 0) return OpenResult{UniqueFd(), errno};
    return OpenResult{UniqueFd(fd), 0};
}

FolderResult open_folder(const std::string& path) {
    OpenResult opened = open_file(path, O_RDONLY | O_DIRECTORY);
    if (!opened.fd) return FolderResult{UniqueDir(), opened.error};
    DIR* dir = ::fdopendir(opened.fd.get());
    if (!dir) return FolderResult{UniqueDir(), errno};
    opened.fd.release();  // the stream owns it now
    return FolderResult{UniqueDir(dir), 0};
}

}  // namespace pipex
