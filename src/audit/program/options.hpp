// pipex-audit's command line: pipex-audit [OPTIONS] [--] COMMAND [ARGS...]
#pragma once

#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "audit/checks/allow_rules.hpp"

namespace pipex::audit {

struct Options {
    std::vector<std::string> command;
    std::optional<std::string> json_path;
    std::optional<std::string> report_path;  // --report FILE: the readable report goes there
    std::vector<AllowRule> allow_rules;      // --allow and --allow-file, in their order
    std::optional<std::chrono::milliseconds> hang_after;
    bool provenance = false;
    bool quiet = false;
    bool command_status = false;  // --status
};

// What parsing decided: options to run with, or an exit right away (help, version, usage error)
// with the text to print first.
struct ParseResult {
    std::optional<Options> options;
    int exit_status = 0;
    std::string out;  // for stdout
    std::string err;  // for stderr
};

ParseResult parse_options(std::span<char* const> args);

}  // namespace pipex::audit
