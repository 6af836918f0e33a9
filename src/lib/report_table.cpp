// The report for people: one aligned row per stage, then what containment found.
#include <algorithm>
#include <functional>
#include <string>
#include <vector>

#include "pipex/base/io.hpp"
#include "pipex/base/printable_name.hpp"
#include "pipex/base/signals.hpp"
#include "pipex/report.hpp"
#include "report_words.hpp"

namespace pipex {
namespace {

// Long enough for a real command line, short enough for a terminal's row; the JSON has it whole.
constexpr std::size_t kCommandWidth = 40;

// Integer arithmetic only: printf's floating point would page in its code for three digits.
std::string with_fraction(unsigned long long whole, unsigned fraction, std::size_t digits) {
    std::string tail = std::to_string(fraction);
    if (tail.size() < digits) tail.insert(0, digits - tail.size(), '0');
    return std::to_string(whole) + "." + tail;
}

// "1.003 s", rounded to the millisecond.
std::string seconds(std::chrono::nanoseconds time) {
    const auto ms = static_cast<unsigned long long>(
        std::max<long long>(0, (time.count() + 500'000) / 1'000'000));
    return with_fraction(ms / 1000, static_cast<unsigned>(ms % 1000), 3) + " s";
}

// 1024-based, as ls -h and free: "832 B", "8.0 KiB", "1.5 MiB", rounded to a tenth.
std::string bytes(unsigned long long count) {
    static constexpr const char* kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
    if (count < 1024) return std::to_string(count) + " B";
    std::size_t unit = 0;
    unsigned long long scale = 1;
    while (count / scale >= 1024 && unit + 1 < std::size(kUnits)) {
        scale *= 1024;
        ++unit;
    }
    const unsigned long long tenths = count / scale * 10 + (count % scale * 10 + scale / 2) / scale;
    return with_fraction(tenths / 10, static_cast<unsigned>(tenths % 10), 1) + " " + kUnits[unit];
}

std::string command_text(const Command& command) {
    std::string text = printable_name(command.text);
    if (text.size() <= kCommandWidth) return text;
    return text.substr(0, kCommandWidth - 3) + "...";
}

using Row = std::vector<std::string>;

Row stage_row(std::size_t index, const Command& command, const StageResult& stage) {
    Row row{std::to_string(index + 1), command_text(command),
            stage.started() ? std::to_string(stage.pid) : "-", stage_end(stage)};
    if (!stage.started()) {
        row.insert(row.end(), 6, "-");
        return row;
    }
    const StageUsage& usage = stage.usage;
    row.push_back(seconds(usage.wall));
    row.push_back(seconds(usage.user_cpu));
    row.push_back(seconds(usage.system_cpu));
    row.push_back(bytes(static_cast<unsigned long long>(usage.peak_memory_kib) * 1024));
    row.push_back(usage.bytes_read ? bytes(*usage.bytes_read) : "n/a");
    row.push_back(usage.bytes_written ? bytes(*usage.bytes_written) : "n/a");
    return row;
}

// A row's cells padded to the column widths, numbers to the right, the last column ragged.
std::string aligned_line(const Row& row, const std::vector<std::size_t>& widths) {
    std::string line = " ";
    for (std::size_t column = 0; column < row.size(); ++column) {
        const std::string& cell = row[column];
        const std::size_t pad = widths[column] - cell.size();
        const bool text_column = column == 1 || column == 3 || column + 1 == row.size();
        line += "  ";
        if (!text_column) line.append(pad, ' ');
        line += cell;
        if (text_column && column + 1 < row.size()) line.append(pad, ' ');
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    return line + '\n';
}

std::string header(const PipelineResult& result) {
    const std::size_t count = result.stages.size();
    std::string line = "pipex: report: " + std::to_string(count) +
                       (count == 1 ? " stage" : " stages") + " in " + seconds(result.wall) +
                       ", status " + std::to_string(result.status());
    if (result.pipefail) line += " (pipefail)";
    if (result.timed_out) line += ", timed out";
    if (result.interrupted_by) line += ", interrupted by " + signal_name(result.interrupted_by);
    if (!result.failure.empty()) line += ", failed: " + result.failure;
    return line + '\n';
}

std::string found_processes(const PipelineResult& result) {
    std::string out;
    if (!result.descendants.empty()) out += "  descendants still running when the stages ended:\n";
    for (const Descendant& descendant : result.descendants)
        out += "    " + describe_process(descendant.pid, descendant.program, descendant.stage) +
               ": " + fate_word(descendant.fate) + '\n';
    if (!result.holders.empty()) out += "  processes holding a pipe open after its writer ended:\n";
    for (const PipeHolder& holder : result.holders)
        out += "    " + describe_process(holder.pid, holder.program, holder.stage) +
               ": the pipe from " + stage_name(holder.pipe) + " to " + stage_name(holder.pipe + 1) +
               " (fd " + std::to_string(holder.fd) + "): " + fate_word(holder.fate) + '\n';
    return out;
}

// Said once, for the first stage that ran without its bytes.
std::string missing_bytes(const std::vector<StageResult>& stages) {
    for (std::size_t i = 0; i < stages.size(); ++i) {
        const StageUsage& usage = stages[i].usage;
        if (!stages[i].started() || usage.bytes_read) continue;
        const std::string why = usage.bytes_unavailable.empty()
                                    ? "not counted (RunOptions::count_bytes)"
                                    : usage.bytes_unavailable;
        return "  read, written n/a (" + stage_name(i) + "): " + why + '\n';
    }
    return "";
}

const Row kHeadings{"#",      "command", "pid",  "end",     "wall", "user",
                    "system", "peak",    "read", "written", ""};

// Row i + 1 is stage i's; row 0 the headings.
class Rows {
public:
    Rows(const PipelineSpec& spec, const PipelineResult& result)
        : spec_(spec),
          result_(result),
          slowest_(slowest_stage(result.stages)),
          biggest_(largest_memory_stage(result.stages)) {}

    std::size_t size() const { return result_.stages.size() + 1; }

    Row operator[](std::size_t row) const {
        if (row == 0) return kHeadings;
        const std::size_t i = row - 1;
        Row cells = stage_row(i, spec_.commands[i], result_.stages[i]);
        std::string marks;
        if (slowest_ == i) marks = "slowest";
        if (biggest_ == i) marks += marks.empty() ? "most memory" : ", most memory";
        cells.push_back(std::move(marks));
        return cells;
    }

private:
    const PipelineSpec& spec_;
    const PipelineResult& result_;
    std::optional<std::size_t> slowest_, biggest_;
};

// Two passes over the stages, the widths first, then each line as it is made: a run of
// thousands of stages is never held whole.
void write_table(const PipelineSpec& spec, const PipelineResult& result,
                 const std::function<void(std::string_view)>& sink) {
    const Rows rows(spec, result);
    std::vector<std::size_t> widths(kHeadings.size(), 0);
    for (std::size_t row = 0; row < rows.size(); ++row) {
        const Row cells = rows[row];
        for (std::size_t column = 0; column < cells.size(); ++column)
            widths[column] = std::max(widths[column], cells[column].size());
    }
    sink(header(result));
    for (std::size_t row = 0; row < rows.size(); ++row) sink(aligned_line(rows[row], widths));
    sink(missing_bytes(result.stages));
    sink(found_processes(result));
}

}  // namespace

[[gnu::cold]] std::string report_table(const PipelineSpec& spec, const PipelineResult& result) {
    std::string out;
    write_table(spec, result, [&](std::string_view text) { out += text; });
    return out;
}

[[gnu::cold]] int write_report_table(int fd, const PipelineSpec& spec,
                                     const PipelineResult& result) {
    // Lines gathered into blocks: one write for a usual table (a reader on a pipe is woken
    // once, not once a line), memory still bounded for thousands of stages.
    constexpr std::size_t kBlock = 64 * 1024;
    std::string block;
    int error = 0;
    const auto flush = [&] {
        if (error == 0 && !block.empty()) error = write_all(fd, block);
        block.clear();
    };
    write_table(spec, result, [&](std::string_view text) {
        block += text;
        if (block.size() >= kBlock) flush();
    });
    flush();
    return error;
}

}  // namespace pipex
