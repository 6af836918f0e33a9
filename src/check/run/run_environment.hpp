// The environment both runs of a case get: the same for bash and the program, and the same on
// every machine, so that only the program can make a difference.
//
//   PATH=/usr/local/bin:/usr/bin:/bin   (or unset, or empty, as the case says)
//   HOME=the worker's folder   LC_ALL=C   TERM=dumb
//   ASAN_OPTIONS=the caller's, with detect_leaks=0   UBSAN_OPTIONS=the caller's
//
// The standard PATH holds no "." and no empty entry: a program found in the current folder
// without a '/' was found there by mistake.
#pragma once

#include <string>
#include <vector>

#include "check/cases/check_case.hpp"

namespace pipex::check {

inline constexpr const char* kStandardPath = "/usr/local/bin:/usr/bin:/bin";

class RunEnvironment {
public:
    RunEnvironment(const Case& c, const std::string& home);
    RunEnvironment(const RunEnvironment&) = delete;
    RunEnvironment& operator=(const RunEnvironment&) = delete;

    char* const* envp() const { return pointers_.data(); }

private:
    std::vector<std::string> strings_;
    std::vector<char*> pointers_;
};

}  // namespace pipex::check
