// What bench-timer is asked to do: which commands to time, how often, and how.
//
//   bench-timer [--runs N] [--warmup N] [--own-peak] [--user UID:GID]
//               -- NAME [<FILE] [>FILE] [2>FILE] PROGRAM [ARG...] [:: NAME ... ]
//
// The commands are run in turn, A B C, B C A, C A B, ..., so that a slow spell of the machine
// touches every command alike instead of falling on one of them.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

namespace bench {

struct CommandSpec {
    std::string name;                  // how the results name it ("pipex", "dash", ...)
    std::string input = "/dev/null";   // becomes fd 0
    std::string output = "/dev/null";  // becomes fd 1, truncated at every run
    std::string errors{};              // becomes fd 2 when set (truncated); else bench-timer's
    std::vector<std::string> argv;     // argv[0] is an absolute path: no PATH search
};

struct Identity {
    uid_t uid;
    gid_t gid;
};

struct Plan {
    int runs = 5;
    int warmup = 1;
    bool own_peak = false;         // report the launcher's own peak memory (slower: ptrace)
    std::optional<Identity> user;  // run the commands as this user instead of ours
    std::vector<CommandSpec> commands;
};

// Throws std::invalid_argument with a message naming what is wrong.
Plan parse_plan(int argc, char** argv);

}  // namespace bench
