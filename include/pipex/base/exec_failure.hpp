/// @file
/// Why a program could not start, worded as bash words it, with the status bash gives: the one
/// explanation of a failed exec that every pipex program prints.
#pragma once

#include <string>
#include <string_view>

namespace pipex {

struct ExecFailure {
    int status = 0;       ///< 126 or 127 (exit_status.hpp)
    std::string message;  ///< "OBJECT: REASON", ready to follow "pipex: "
};

/// "NAME: command not found", 127. A name with bytes a terminal would not show is written in
/// bash's $'...' form (printable_name).
ExecFailure command_not_found(std::string_view name);

/// The failed execve of `path` with `error`, judged the way bash judges it, by looking at the file:
/// "/tmp: Is a directory", "./tool: Permission denied", "./tool: cannot execute: required file not
/// found" (an interpreter or loader is missing), "./tool: /no/sh: bad interpreter: No such file or
/// directory", "./tool: cannot execute binary file: Exec format error" (ENOEXEC). A relative
/// `path` is looked at from `folder`, the program's working folder, when one is given.
ExecFailure explain_exec_failure(const std::string& path, int error,
                                 const std::string& folder = {});

}  // namespace pipex
