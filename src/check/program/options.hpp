// pipex-check's command line: pipex-check [OPTIONS] PATH/TO/pipex
#pragma once

#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace pipex::check {

// Exit statuses: every selected case passed, one failed, or the check itself could not run.
inline constexpr int kAllPassed = 0;
inline constexpr int kSomeFailed = 1;
inline constexpr int kCheckTrouble = 2;

struct Options {
    std::string program;
    std::vector<std::string> patterns;  // -k: a case runs when its name contains one of them
    std::optional<std::string> json_path;
    std::chrono::milliseconds timeout{5000};
    unsigned jobs = 0;  // 0: one per processor
    bool list = false;
    bool verbose = false;  // every case's notes, passed ones too
};

struct ParseResult {
    std::optional<Options> options;
    int exit_status = 0;
    std::string out;
    std::string err;
};

ParseResult parse_options(std::span<char* const> args);

}  // namespace pipex::check
