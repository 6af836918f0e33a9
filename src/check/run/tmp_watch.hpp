// The names created in the worker's private /tmp while the program runs, seen by inotify even
// when the program removes its file before it ends: a here-doc kept in a temporary file there.
#pragma once

#include <string>
#include <vector>

#include "pipex/base/unique_fd.hpp"

namespace pipex::check {

class TmpWatch {
public:
    // Watches `folder` (the private /tmp), ignoring `own` (the checker's folder in it). Throws
    // SystemError.
    TmpWatch(const std::string& folder, std::string own);

    // The names created since the watch began (or since the last call), in order, each once.
    std::vector<std::string> created();

private:
    UniqueFd inotify_;
    std::string own_;
    std::vector<std::string> seen_;
};

}  // namespace pipex::check
