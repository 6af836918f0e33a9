// The words for stages, processes and their ends, said once for messages and reports alike.
#include "report_words.hpp"

#include "pipex/base/signals.hpp"

namespace pipex {
namespace {

template <class Measure>
std::optional<std::size_t> largest(const std::vector<StageResult>& stages, Measure measure) {
    std::optional<std::size_t> best;
    std::size_t ran = 0;
    for (std::size_t i = 0; i < stages.size(); ++i) {
        if (!stages[i].started()) continue;
        ++ran;
        if (!best || measure(stages[i]) > measure(stages[*best])) best = i;
    }
    return ran >= 2 ? best : std::nullopt;
}

}  // namespace

std::string stage_name(std::size_t index) { return "stage " + std::to_string(index + 1); }

std::string describe_process(pid_t pid, const std::string& program,
                             const std::optional<int>& stage) {
    std::string text = program + " (pid " + std::to_string(pid);
    if (stage) text += ", started by " + stage_name(static_cast<std::size_t>(*stage));
    return text + ")";
}

const char* fate_word(Fate fate) {
    switch (fate) {
        case Fate::Ended:
            return "ended";
        case Fate::Terminated:
            return "terminated";
        case Fate::Killed:
            return "killed";
        case Fate::Kept:
            return "kept";
    }
    return "?";
}

std::string stage_end(const StageResult& stage) {
    if (!stage.started()) return "not started (" + std::to_string(stage.status) + ")";
    if (stage.signal == 0) return "exit " + std::to_string(stage.status);
    return signal_name(stage.signal) + (stage.benign_sigpipe ? " (benign)" : "");
}

std::optional<std::size_t> slowest_stage(const std::vector<StageResult>& stages) {
    return largest(stages, [](const StageResult& stage) { return stage.usage.wall; });
}

std::optional<std::size_t> largest_memory_stage(const std::vector<StageResult>& stages) {
    return largest(stages, [](const StageResult& stage) { return stage.usage.peak_memory_kib; });
}

}  // namespace pipex
