// Which fds are passed on purpose: the allow rules of `--allow RULE` and `--allow-file FILE`.
// A rule is one or more conditions, separated by spaces, that must all hold for a leak to be
// allowed; a leak is allowed when any rule matches it:
//   N or fd=N         the fd number
//   kind=KIND         what it is: pipe, socket, file, device, memfd, anonymous-inode, other
//   path=GLOB         what /proc shows it refers to (a file's path), matched by fnmatch(3)
//   program=GLOB      the program that received it: its path, or its name when GLOB has no '/'
// So the make jobserver can be allowed to make's children (`program=make kind=pipe`) while the
// same fd number leaked anywhere else is still found.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/checks/findings.hpp"

namespace pipex::audit {

struct AllowRule {
    std::string text;    // as the user wrote it
    std::string origin;  // "--allow", or "FILE:LINE" for a rule of an allow file
    std::optional<int> fd;
    std::optional<FdKind> kind;
    std::optional<std::string> path;     // a glob
    std::optional<std::string> program;  // a glob

    bool matches(const FdLeak& leak) const;
};

// A rule read from text, or why the text is not one (`error`, a phrase without the origin).
struct ParsedRule {
    std::optional<AllowRule> rule;
    std::string error;
};

ParsedRule parse_allow_rule(std::string_view text, std::string origin);

// Every rule of an allow file: one per line; blank lines and lines starting with '#' are
// skipped. On failure `error` is one line naming FILE (and LINE when a rule is wrong).
struct AllowFile {
    std::vector<AllowRule> rules;
    std::string error;
};

AllowFile read_allow_file(const std::string& path);

// The index of the first rule that allows `leak`, if one does.
std::optional<std::size_t> allowing_rule(const std::vector<AllowRule>& rules, const FdLeak& leak);

}  // namespace pipex::audit
