/// @file
/// What a file named as a command is, judged as bash judges it before and after an exec.
#pragma once

#include <string>

namespace pipex {

enum class CommandFile {
    Missing,        ///< nothing there (or it cannot be looked at)
    Folder,         ///< never run, never found by a PATH search
    NotExecutable,  ///< a file the caller may not execute
    Executable,
};

/// stat(2), then access(X_OK) with the effective ids, as bash tests a candidate. A relative
/// `path` is named from `folder` when one is given (a program that will run there).
CommandFile examine_command_file(const std::string& path, const std::string& folder = {});

/// `path` as the calling process reaches it when a process in `folder` names it: `path` itself
/// when it is absolute or `folder` is empty, else FOLDER/PATH.
std::string seen_from(const std::string& folder, const std::string& path);

}  // namespace pipex
