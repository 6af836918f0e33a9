// The report for programs: the run as one JSON object, schema in docs/report-json.md.
#include <string>

#include "pipex/base/io.hpp"
#include "pipex/base/json_writer.hpp"
#include "pipex/base/signals.hpp"
#include "pipex/report.hpp"
#include "report_words.hpp"

namespace pipex {
namespace {

void key_number_or_null(JsonWriter& json, std::string_view key,
                        const std::optional<long long>& number) {
    json.key(key);
    if (number)
        json.value(*number);
    else
        json.null();
}

void key_text_or_null(JsonWriter& json, std::string_view key, const std::string& text) {
    json.key(key);
    if (text.empty())
        json.null();
    else
        json.value(text);
}

long long microseconds(std::chrono::nanoseconds time) {
    return std::chrono::duration_cast<std::chrono::microseconds>(time).count();
}

// How the stage ended; a signal by its name, as the table says it ("SIGPIPE").
void end_object(JsonWriter& json, const StageResult& stage) {
    json.key("end").begin_object();
    json.key("kind").value(!stage.started() ? "not_started" : stage.signal ? "signal" : "exit");
    key_number_or_null(json, "exit_code",
                       stage.started() && stage.signal == 0 ? std::optional<long long>(stage.status)
                                                            : std::nullopt);
    key_text_or_null(json, "signal", stage.signal ? signal_name(stage.signal) : "");
    json.key("benign_sigpipe").value(stage.benign_sigpipe);
    json.end_object();
}

void usage_fields(JsonWriter& json, const StageResult& stage) {
    const bool ran = stage.started();
    const StageUsage& usage = stage.usage;
    auto figure = [&](std::string_view key, long long value) {
        key_number_or_null(json, key, ran ? std::optional<long long>(value) : std::nullopt);
    };
    figure("wall_us", microseconds(usage.wall));
    figure("user_cpu_us", usage.user_cpu.count());
    figure("system_cpu_us", usage.system_cpu.count());
    figure("peak_memory_kib", usage.peak_memory_kib);
    auto count = [&](std::string_view key, const std::optional<unsigned long long>& bytes) {
        key_number_or_null(
            json, key,
            bytes ? std::optional<long long>(static_cast<long long>(*bytes)) : std::nullopt);
    };
    count("bytes_read", usage.bytes_read);
    count("bytes_written", usage.bytes_written);
    key_text_or_null(json, "bytes_unavailable",
                     ran && !usage.bytes_read && usage.bytes_unavailable.empty()
                         ? "not counted"
                         : usage.bytes_unavailable);
}

// The stages marked slowest and largest, found once for the whole document.
struct Marks {
    std::optional<std::size_t> slowest, most_memory;
};

void stage_object(JsonWriter& json, std::size_t index, const Command& command,
                  const StageResult& stage, const Marks& marks) {
    json.begin_object();
    json.key("index").number(index + 1);
    json.key("command").value(command.text);
    json.key("words").strings(command.words);
    key_number_or_null(json, "pid",
                       stage.started() ? std::optional<long long>(stage.pid) : std::nullopt);
    json.key("status").value(static_cast<long long>(stage.status));
    key_text_or_null(json, "error", stage.error);
    end_object(json, stage);
    usage_fields(json, stage);
    json.key("slowest").value(marks.slowest == index);
    json.key("most_memory").value(marks.most_memory == index);
    json.end_object();
}

// Stages are numbered from 1 in the document, as in the table and the messages.
void stage_reference(JsonWriter& json, const std::optional<int>& stage) {
    key_number_or_null(json, "stage", stage ? std::optional<long long>(*stage + 1) : std::nullopt);
}

void found_processes(JsonWriter& json, const PipelineResult& result) {
    json.key("descendants").begin_array();
    for (const Descendant& descendant : result.descendants) {
        json.begin_object();
        json.key("pid").number(descendant.pid);
        json.key("program").value(descendant.program);
        stage_reference(json, descendant.stage);
        json.key("fate").value(fate_word(descendant.fate));
        json.end_object();
    }
    json.end_array();
    json.key("holders").begin_array();
    for (const PipeHolder& holder : result.holders) {
        json.begin_object();
        json.key("pid").number(holder.pid);
        json.key("program").value(holder.program);
        json.key("fd").number(holder.fd);
        json.key("pipe_from_stage").number(holder.pipe + 1);
        stage_reference(json, holder.stage);
        json.key("fate").value(fate_word(holder.fate));
        json.end_object();
    }
    json.end_array();
}

void write_document(JsonWriter& json, const PipelineSpec& spec, const PipelineResult& result) {
    json.begin_object();
    json.key("schema_version").number(kReportSchemaVersion);
    json.key("status").value(static_cast<long long>(result.status()));
    json.key("pipefail").value(result.pipefail);
    json.key("timed_out").value(result.timed_out);
    key_text_or_null(json, "interrupted_by",
                     result.interrupted_by ? signal_name(result.interrupted_by) : "");
    key_text_or_null(json, "failure", result.failure);
    json.key("wall_us").value(microseconds(result.wall));
    json.key("stages").begin_array();
    const Marks marks{slowest_stage(result.stages), largest_memory_stage(result.stages)};
    for (std::size_t i = 0; i < result.stages.size(); ++i)
        stage_object(json, i, spec.commands[i], result.stages[i], marks);
    json.end_array();
    found_processes(json, result);
    json.end_object();
}

}  // namespace

[[gnu::cold]] std::string report_json(const PipelineSpec& spec, const PipelineResult& result) {
    JsonWriter json;
    write_document(json, spec, result);
    return json.text();
}

[[gnu::cold]] int write_report_json(int fd, const PipelineSpec& spec,
                                    const PipelineResult& result) {
    int error = 0;
    JsonWriter json([&](std::string_view text) {
        if (error == 0) error = write_all(fd, text);
    });
    write_document(json, spec, result);
    json.finish();
    return error;
}

}  // namespace pipex
