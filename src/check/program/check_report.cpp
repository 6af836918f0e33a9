// pipex-check's reports: the lines a student reads, and the JSON a script reads.
#include "check/program/check_report.hpp"

#include <algorithm>

#include "check/cases/bash_line.hpp"
#include "check/cases/battery.hpp"
#include "pipex/base/json_writer.hpp"

namespace pipex::check {
namespace {

std::string shortened(const std::string& line, std::size_t limit = 100) {
    return line.size() <= limit ? line : line.substr(0, limit - 3) + "...";
}

std::string padded(const std::string& text, std::size_t width) {
    return text.size() >= width ? text + " " : text + std::string(width - text.size(), ' ');
}

// Continuation lines of a text, indented under its first.
std::string indented(const std::string& text, const std::string& indent) {
    std::string out;
    for (char c : text) {
        out += c;
        if (c == '\n') out += indent;
    }
    return out;
}

const char* verdict(const CaseResult& result) {
    if (!result.trouble.empty()) return "ERROR";
    return result.passed() ? "PASS " : "FAIL ";
}

}  // namespace

std::string case_text(const Case& c, const CaseResult& result, bool verbose) {
    std::string out = std::string(verdict(result)) + " " + padded(group_name(c.group), 10) +
                      padded(c.name, 28) + shortened(bash_equivalent(c).line) + "\n";
    const std::string indent = "        ";
    if (!result.trouble.empty()) out += indent + "not judged: " + result.trouble + "\n";
    for (const Failure& failure : result.failures)
        out +=
            indent + kind_word(failure.kind) + ": " + indented(failure.text, indent + "  ") + "\n";
    if (verbose || !result.passed())
        for (const std::string& note : result.notes) out += indent + "note: " + note + "\n";
    return out;
}

std::string summary_text(const std::vector<CaseResult>& results) {
    std::string out;
    // valgrind's notes are said once, for every case they concern.
    std::vector<std::string> valgrind_notes;
    for (const CaseResult& result : results)
        for (const std::string& note : result.notes)
            if (note.rfind("valgrind", 0) == 0 &&
                std::find(valgrind_notes.begin(), valgrind_notes.end(), note) ==
                    valgrind_notes.end())
                valgrind_notes.push_back(note);
    for (const std::string& note : valgrind_notes) out += "note: " + note + "\n";
    std::size_t passed_all = 0;
    for (Group group : {Group::Mandatory, Group::Bonus, Group::Beyond}) {
        std::size_t passed = 0, failed = 0;
        for (const CaseResult& result : results) {
            if (battery()[result.index].group != group) continue;
            ++(result.passed() ? passed : failed);
        }
        if (passed + failed == 0) continue;
        out += std::string(group_name(group)) + ": " + std::to_string(passed) + " passed, " +
               std::to_string(failed) + " failed\n";
        passed_all += passed;
    }
    return out + std::to_string(passed_all) + " passed, " +
           std::to_string(results.size() - passed_all) + " failed\n";
}

std::string list_text(const std::vector<std::size_t>& selected) {
    std::string out;
    for (std::size_t index : selected) {
        const Case& c = battery()[index];
        out += padded(std::string(group_name(c.group)) + "/" + c.name, 40) + padded(c.about, 56) +
               shortened(bash_equivalent(c).line, 80) + "\n";
    }
    return out;
}

std::string json_report(const std::string& program, const std::vector<CaseResult>& results) {
    JsonWriter json;
    std::size_t passed = 0;
    json.begin_object().key("schema_version").number(1).key("program").value(program);
    json.key("cases").begin_array();
    for (const CaseResult& result : results) {
        const Case& c = battery()[result.index];
        if (result.passed()) ++passed;
        json.begin_object()
            .key("name")
            .value(c.name)
            .key("group")
            .value(group_name(c.group))
            .key("about")
            .value(c.about)
            .key("bash_line")
            .value(bash_equivalent(c).line)
            .key("passed")
            .value(result.passed());
        if (!result.trouble.empty()) json.key("not_judged").value(result.trouble);
        json.key("failures").begin_array();
        for (const Failure& failure : result.failures)
            json.begin_object()
                .key("kind")
                .value(kind_word(failure.kind))
                .key("text")
                .value(failure.text)
                .end_object();
        json.end_array().key("notes").strings(result.notes);
        json.key("milliseconds").number(static_cast<long long>(result.seconds * 1000));
        json.end_object();
    }
    json.end_array();
    json.key("passed").number(passed).key("failed").number(results.size() - passed);
    return json.end_object().text();
}

}  // namespace pipex::check
