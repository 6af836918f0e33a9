// Building a pipeline spec: the builder gathers, build() freezes.
#include <algorithm>
#include <stdexcept>

#include "pipex/command_words.hpp"
#include "pipex/here_doc.hpp"
#include "pipex/pipeline.hpp"

namespace pipex {

PipelineBuilder& PipelineBuilder::input_file(std::string path) {
    spec_.input = InputFile{std::move(path)};
    return *this;
}

PipelineBuilder& PipelineBuilder::input_fd(int fd) {
    spec_.input = InputFd{fd};
    return *this;
}

PipelineBuilder& PipelineBuilder::input_text(std::string_view text) {
    return input_owned(make_text_fd(text));
}

PipelineBuilder& PipelineBuilder::input_owned(UniqueFd fd) {
    spec_.input = InputOwnedFd{std::make_shared<const UniqueFd>(std::move(fd))};
    return *this;
}

PipelineBuilder& PipelineBuilder::input_stream(
    std::function<void(int fd, const StreamControl& control)> write_to) {
    spec_.input = InputStream{std::move(write_to)};
    return *this;
}

PipelineBuilder& PipelineBuilder::input_here_doc(int fd, std::string limiter) {
    spec_.input = InputHereDoc{fd, std::move(limiter)};
    return *this;
}

PipelineBuilder& PipelineBuilder::command(std::vector<std::string> words) {
    std::string text;
    for (const auto& word : words) text += (text.empty() ? "" : " ") + word;
    spec_.commands.push_back(Command{std::move(words), std::move(text)});
    own_stderr_.emplace_back();
    own_environment_.emplace_back();
    own_folder_.emplace_back();
    return *this;
}

PipelineBuilder& PipelineBuilder::command_line(std::string_view text) {
    spec_.commands.push_back(Command{split_command_words(text), std::string(text)});
    own_stderr_.emplace_back();
    own_environment_.emplace_back();
    own_folder_.emplace_back();
    return *this;
}

PipelineBuilder& PipelineBuilder::output_file(std::string path, OutputMode mode) {
    spec_.output = OutputFile{std::move(path), mode};
    return *this;
}

PipelineBuilder& PipelineBuilder::output_fd(int fd) {
    spec_.output = OutputFd{fd};
    return *this;
}

PipelineBuilder& PipelineBuilder::output_capture() {
    spec_.output = OutputCapture{};
    return *this;
}

PipelineBuilder& PipelineBuilder::output_to(std::function<void(std::string_view chunk)> sink) {
    spec_.output = OutputCallback{std::move(sink)};
    return *this;
}

PipelineBuilder& PipelineBuilder::stderr_to(StageStderr where) {
    if (own_stderr_.empty())
        default_stderr_ = where;
    else
        own_stderr_.back() = where;
    return *this;
}

namespace {

void check_variable_name(const std::string& name) {
    if (name.empty() || name.find('=') != std::string::npos)
        throw std::invalid_argument("environment variable name '" + name +
                                    "': empty or holding '='");
}

}  // namespace

EnvironmentChanges& PipelineBuilder::environment_changes() {
    return own_environment_.empty() ? spec_.environment : own_environment_.back();
}

PipelineBuilder& PipelineBuilder::set_env(std::string name, std::string value) {
    check_variable_name(name);
    environment_changes().changes.emplace_back(std::move(name), std::move(value));
    return *this;
}

PipelineBuilder& PipelineBuilder::unset_env(std::string name) {
    check_variable_name(name);
    environment_changes().changes.emplace_back(std::move(name), std::nullopt);
    return *this;
}

PipelineBuilder& PipelineBuilder::clear_env() {
    EnvironmentChanges& changes = environment_changes();
    changes.start_empty = true;
    changes.changes.clear();
    return *this;
}

PipelineBuilder& PipelineBuilder::working_folder(std::string folder) {
    if (folder.empty()) throw std::invalid_argument("working folder: an empty name");
    (own_folder_.empty() ? default_folder_ : own_folder_.back()) = std::move(folder);
    return *this;
}

PipelineSpec PipelineBuilder::build() const {
    if (spec_.commands.empty())
        throw std::invalid_argument("a pipeline needs at least one command");
    PipelineSpec spec = spec_;
    spec.stderr_of.clear();
    for (const std::optional<StageStderr>& own : own_stderr_)
        spec.stderr_of.push_back(own.value_or(default_stderr_));
    spec.stage_environment.clear();
    if (std::any_of(own_environment_.begin(), own_environment_.end(),
                    [](const EnvironmentChanges& own) { return !own.empty(); }))
        spec.stage_environment = own_environment_;
    spec.working_folder_of.clear();
    if (!default_folder_.empty() ||
        std::any_of(own_folder_.begin(), own_folder_.end(),
                    [](const std::string& own) { return !own.empty(); }))
        for (const std::string& own : own_folder_)
            spec.working_folder_of.push_back(own.empty() ? default_folder_ : own);
    return spec;
}

}  // namespace pipex
