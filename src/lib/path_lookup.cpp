// PATH search, as bash searches.
#include "pipex/path_lookup.hpp"

#include "pipex/base/command_file.hpp"

namespace pipex {
namespace {

std::string join(std::string_view folder, std::string_view name) {
    std::string path(folder.empty() ? std::string_view(".") : folder);
    path += '/';
    path += name;
    return path;
}

}  // namespace

std::optional<LocatedCommand> locate_command(std::string_view name,
                                             std::optional<std::string_view> search_path,
                                             const std::string& folder) {
    if (name.find('/') != std::string_view::npos || (search_path && search_path->empty()))
        return LocatedCommand{std::string(name), std::nullopt};
    std::string_view folders = search_path.value_or(kDefaultSearchPath);

    std::optional<LocatedCommand> first_unexecutable;
    for (;;) {
        std::size_t colon = folders.find(':');
        std::string candidate = join(folders.substr(0, colon), name);
        switch (examine_command_file(candidate, folder)) {
            case CommandFile::Executable:
                return LocatedCommand{std::move(candidate), CommandFile::Executable};
            case CommandFile::NotExecutable:
                if (!first_unexecutable)
                    first_unexecutable =
                        LocatedCommand{std::move(candidate), CommandFile::NotExecutable};
                break;
            case CommandFile::Missing:
            case CommandFile::Folder:
                break;
        }
        if (colon == std::string_view::npos) return first_unexecutable;
        folders.remove_prefix(colon + 1);
    }
}

std::optional<std::string> find_command(std::string_view name,
                                        std::optional<std::string_view> search_path,
                                        const std::string& folder) {
    std::optional<LocatedCommand> located = locate_command(name, search_path, folder);
    if (!located) return std::nullopt;
    return std::move(located->path);
}

}  // namespace pipex
