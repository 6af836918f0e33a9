#include "pipex/path_lookup.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace pipex {
namespace {

enum class Candidate { Missing, NotExecutable, Executable };

Candidate examine(const std::string& path) {
    struct stat st;
    if (::stat(path.c_str(), &st) != 0 || S_ISDIR(st.st_mode)) return Candidate::Missing;
    if (::faccessat(AT_FDCWD, path.c_str(), X_OK, AT_EACCESS) != 0) return Candidate::NotExecutable;
    return Candidate::Executable;
}

std::string join(std::string_view folder, std::string_view name) {
    std::string path(folder.empty() ? std::string_view(".") : folder);
    path += '/';
    path += name;
    return path;
}

}  // namespace

std::optional<std::string> find_command(std::string_view name,
                                        std::optional<std::string_view> search_path) {
    if (name.find('/') != std::string_view::npos) return std::string(name);
    if (search_path && search_path->empty()) return std::string(name);
    std::string_view folders = search_path.value_or(kDefaultSearchPath);

    std::optional<std::string> first_unexecutable;
    for (;;) {
        std::size_t colon = folders.find(':');
        std::string candidate = join(folders.substr(0, colon), name);
        switch (examine(candidate)) {
            case Candidate::Executable:
                return candidate;
            case Candidate::NotExecutable:
                if (!first_unexecutable) first_unexecutable = std::move(candidate);
                break;
            case Candidate::Missing:
                break;
        }
        if (colon == std::string_view::npos) return first_unexecutable;
        folders.remove_prefix(colon + 1);
    }
}

}  // namespace pipex
