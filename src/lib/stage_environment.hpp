// A stage's environment (internal to the engine): the caller's, as the spec changes it, frozen
// into the NAME=value array a child is exec'ed with, and the PATH its command is looked for in.
#pragma once

#include <string>
#include <vector>

#include "pipex/launch.hpp"
#include "pipex/pipeline.hpp"

namespace pipex {

// The NAME=value entries of an environ-style array.
std::vector<std::string> environment_entries(char* const* envp);

// `entries` after each of `changes`, in order.
std::vector<std::string> changed_environment(std::vector<std::string> entries,
                                             const EnvironmentChanges& changes);

// Entries and the array that points into them: neither copied nor moved, so that the array a
// child reads stays valid for as long as the object lives.
class FrozenEnvironment {
public:
    explicit FrozenEnvironment(std::vector<std::string> entries);
    FrozenEnvironment(const FrozenEnvironment&) = delete;
    FrozenEnvironment& operator=(const FrozenEnvironment&) = delete;

    const std::vector<std::string>& entries() const { return entries_; }
    // envp, and PATH's value (nullopt when it is not set).
    LaunchContext context() const;

private:
    std::vector<std::string> entries_;
    std::vector<char*> pointers_;  // each entry, then null
};

}  // namespace pipex
