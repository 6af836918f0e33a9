// A command's file examined: missing, a folder, executable or not.
#include "pipex/base/command_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace pipex {

std::string seen_from(const std::string& folder, const std::string& path) {
    if (folder.empty() || path.starts_with('/')) return path;
    return folder + "/" + path;
}

CommandFile examine_command_file(const std::string& named, const std::string& folder) {
    const std::string path = seen_from(folder, named);
    struct stat st;
    if (::stat(path.c_str(), &st) != 0) return CommandFile::Missing;
    if (S_ISDIR(st.st_mode)) return CommandFile::Folder;
    if (::faccessat(AT_FDCWD, path.c_str(), X_OK, AT_EACCESS) != 0)
        return CommandFile::NotExecutable;
    return CommandFile::Executable;
}

}  // namespace pipex
