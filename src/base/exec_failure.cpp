// bash's report of a failed exec: what the file turned out to be, and the status that follows.
#include "pipex/base/exec_failure.hpp"

#include <fcntl.h>

#include <cerrno>
#include <cstring>
#include <optional>

#include "pipex/base/command_file.hpp"
#include "pipex/base/exit_status.hpp"
#include "pipex/base/io.hpp"
#include "pipex/base/open.hpp"
#include "pipex/base/printable_name.hpp"

namespace pipex {
namespace {

ExecFailure failure(const std::string& object, const std::string& reason, int status) {
    return ExecFailure{status, object + ": " + reason};
}

// The first 80 bytes of a file, as much as bash looks at to judge what a file is.
std::string read_head(const std::string& path) {
    OpenResult file = open_file(path, O_RDONLY);
    if (!file.fd) return {};
    char sample[80];
    ssize_t got = read_some(file.fd.get(), sample, sizeof sample);
    return got > 0 ? std::string(sample, static_cast<std::size_t>(got)) : std::string();
}

// The interpreter named by a "#!" line, or nullopt when the file does not start with one.
std::optional<std::string> interpreter_of(const std::string& path) {
    std::string head = read_head(path);
    if (head.rfind("#!", 0) != 0) return std::nullopt;
    std::size_t start = head.find_first_not_of(" \t", 2);
    if (start == std::string::npos) return std::string();
    return head.substr(start, head.find_first_of(" \t\n", start) - start);
}

}  // namespace

ExecFailure command_not_found(std::string_view name) {
    return failure(printable_name(name), "command not found", kStatusNotFound);
}

// The same reasoning, in the same order, as bash's report of a failed execve.
ExecFailure explain_exec_failure(const std::string& path, int error, const std::string& folder) {
    const CommandFile file = examine_command_file(path, folder);
    if (file == CommandFile::Folder)
        return failure(path, std::strerror(EISDIR), kStatusNotExecutable);
    const int status = error == ENOENT ? kStatusNotFound : kStatusNotExecutable;
    if (file != CommandFile::Executable) return failure(path, std::strerror(error), status);
    // The file is there and executable: what fails is its format, its interpreter or its loader.
    if (error == ENOEXEC)
        return failure(path, "cannot execute binary file: Exec format error", kStatusNotExecutable);
    if (error == ENOENT) return failure(path, "cannot execute: required file not found", status);
    if (std::optional<std::string> interpreter = interpreter_of(seen_from(folder, path)))
        return failure(path, *interpreter + ": bad interpreter: " + std::strerror(error), status);
    return failure(path, std::strerror(error), status);
}

}  // namespace pipex
