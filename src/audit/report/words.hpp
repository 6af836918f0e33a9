// The words both reports use for the typed facts of a finding. The readable report and the JSON
// document print the very same words, so they are written here once: a tool reading the JSON
// and a person reading stderr see one vocabulary.
#pragma once

#include <string_view>

#include "audit/checks/findings.hpp"

namespace pipex::audit {

// "pipe", "socket", "anonymous inode", "memfd", "device", "file" or "other".
std::string_view to_text(FdKind kind);

// "read", "write", "read-write" or "unknown"; for an fd of kind Pipe, "read end" or
// "write end" in place of "read" and "write".
std::string_view to_text(FdAccess access, FdKind kind);

// "zombie" or "orphan".
std::string_view to_text(Abandonment abandonment);

}  // namespace pipex::audit
