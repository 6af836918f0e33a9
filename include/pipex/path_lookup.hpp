/// @file
/// Path lookup: which file a command word names, found the way bash finds it.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "pipex/base/command_file.hpp"

namespace pipex {

/// bash's search path when PATH is unset (on this machine it ends with ".").
inline constexpr std::string_view kDefaultSearchPath =
    "/usr/local/bin:/usr/local/sbin:/usr/bin:/usr/sbin:/bin:/sbin:.";

/// Returns the file to execute for `name`, or nullopt for "command not found".
/// - A name containing '/' is returned as given: it is never searched.
/// - `search_path` is the value of PATH, nullopt when PATH is unset (kDefaultSearchPath applies).
///   An empty entry means the current folder. PATH set but empty means the current folder only,
///   and the name is returned as given so that a missing file reports "No such file or
///   directory", as bash does.
/// - The first executable regular file wins; folders are skipped; if only non-executable files
///   match, the first of them is returned, so that running it reports "Permission denied".
/// - `folder`, when given, is the folder the command will run in: relative entries and names are
///   looked at from there (as after `cd FOLDER`), and returned as they are, relative.
std::optional<std::string> find_command(std::string_view name,
                                        std::optional<std::string_view> search_path,
                                        const std::string& folder = {});

/// The file find_command returns, and what the search found it to be: Executable or
/// NotExecutable; nullopt for a name returned as given, which was not looked at.
struct LocatedCommand {
    std::string path;
    std::optional<CommandFile> file;
};
std::optional<LocatedCommand> locate_command(std::string_view name,
                                             std::optional<std::string_view> search_path,
                                             const std::string& folder = {});

}  // namespace pipex
