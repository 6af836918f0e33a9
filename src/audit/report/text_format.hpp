// How processes and commands are written in the readable report.
#pragma once

#include <string>
#include <vector>

#include "audit/trace/process_table.hpp"

namespace pipex::audit {

// A word as a shell would need it written: as is when it is plain, else in single quotes.
std::string shell_quote(const std::string& word);

// The words joined with spaces, each quoted as needed; cut with "..." past `limit` characters.
std::string command_text(const std::vector<std::string>& words, std::size_t limit = 80);

// The command's first word without its folder ("cat"), or the program's when there are no words.
std::string short_program(const std::vector<std::string>& argv, const std::string& program);

// "pid 42 (cat)", with the program the process runs last.
std::string process_name(const ProcessRecord& record);

}  // namespace pipex::audit
