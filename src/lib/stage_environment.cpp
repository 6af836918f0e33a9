// Assembling a stage's environment from the caller's and the spec's changes.
#include "stage_environment.hpp"

#include <optional>
#include <utility>

namespace pipex {

namespace {

bool names(const std::string& entry, const std::string& name) {
    return entry.size() > name.size() && entry.compare(0, name.size(), name) == 0 &&
           entry[name.size()] == '=';
}

}  // namespace

std::vector<std::string> environment_entries(char* const* envp) {
    std::vector<std::string> entries;
    for (char* const* entry = envp; entry != nullptr && *entry != nullptr; ++entry)
        entries.emplace_back(*entry);
    return entries;
}

std::vector<std::string> changed_environment(std::vector<std::string> entries,
                                             const EnvironmentChanges& changes) {
    if (changes.start_empty) entries.clear();
    for (const auto& [name, value] : changes.changes) {
        std::erase_if(entries, [&](const std::string& entry) { return names(entry, name); });
        if (value) entries.push_back(name + "=" + *value);
    }
    return entries;
}

FrozenEnvironment::FrozenEnvironment(std::vector<std::string> entries)
    : entries_(std::move(entries)) {
    pointers_.reserve(entries_.size() + 1);
    for (std::string& entry : entries_) pointers_.push_back(entry.data());
    pointers_.push_back(nullptr);
}

LaunchContext FrozenEnvironment::context() const {
    std::optional<std::string> path;
    // The first, as getenv finds it (a changed PATH is the only one left).
    for (const std::string& entry : entries_)
        if (entry.starts_with("PATH=")) {
            path = entry.substr(5);
            break;
        }
    return LaunchContext{pointers_.data(), std::move(path), {}};
}

}  // namespace pipex
