// The JSON report (--json FILE): the same facts as the readable one, for tools.
#include "audit/report/json_report.hpp"

#include <sys/wait.h>

#include "audit/report/leak_groups.hpp"
#include "audit/report/words.hpp"
#include "pipex/base/exit_status.hpp"
#include "pipex/base/json_writer.hpp"
#include "pipex/base/signals.hpp"

namespace pipex::audit {
namespace {

void optional_number(JsonWriter& json, std::string_view key, std::optional<long long> number) {
    json.key(key);
    number ? json.value(*number) : json.null();
}

void write_status(JsonWriter& json, std::optional<int> wait_status) {
    optional_number(
        json, "status",
        wait_status ? std::optional<long long>(shell_status(*wait_status)) : std::nullopt);
    json.key("signal");
    if (wait_status && WIFSIGNALED(*wait_status))
        json.value(signal_name(WTERMSIG(*wait_status)));
    else
        json.null();
}

void write_process(JsonWriter& json, const ProcessTable& table, const Findings& findings,
                   std::size_t process) {
    const ProcessRecord& record = table[process];
    json.begin_object();
    json.key("pid").number(record.pid);
    json.key("parent_pid").number(record.parent_pid);
    json.key("traced_parent");
    record.parent ? json.number(table[*record.parent].pid) : json.null();
    json.key("program").value(record.program);
    json.key("argv").strings(record.argv);
    json.key("execs").number(record.execs);
    write_status(json, record.wait_status);
    std::optional<Abandonment> abandoned = findings.abandonment(process);
    json.key("abandoned");
    abandoned ? json.value(to_text(*abandoned)) : json.null();
    json.key("left_running").value(record.left_running);
    json.key("killed_by_audit").value(record.killed_by_audit);
    json.end_object();
}

void write_held_fd(JsonWriter& json, const HeldFd& fd) {
    json.key("fd").number(fd.fd);
    json.key("target").value(fd.target);
    json.key("kind").value(to_text(fd.kind));
    json.key("access").value(to_text(fd.access, fd.kind));
    optional_number(json, "pipe_inode",
                    fd.pipe_inode ? std::optional<long long>(static_cast<long long>(*fd.pipe_inode))
                                  : std::nullopt);
}

void write_origin(JsonWriter& json, const ProcessTable& table, const FdLeak& leak) {
    json.key("origin");
    if (!leak.origin) {
        json.null();
    } else {
        const FdOrigin& origin = *leak.origin;
        json.begin_object();
        json.key("pid").number(table[origin.creator].pid);
        json.key("program").value(origin.creator_program);
        json.key("call");
        origin.call.empty() ? json.null() : json.value(origin.call);
        json.key("cloexec_at_creation").value(origin.cloexec_at_creation);
        optional_number(json, "copy_of_fd", origin.copy_of);
        json.key("copy_of_call");
        origin.copy_of_call.empty() ? json.null() : json.value(origin.copy_of_call);
        json.key("made_inheritable_by");
        origin.inheritable_in ? json.value(origin.inheritable_by) : json.null();
        json.key("passed_through").begin_array();
        for (std::size_t process : origin.passed_through) json.number(table[process].pid);
        json.end_array();
        json.end_object();
    }
    json.key("origin_unknown");
    leak.origin_unknown.empty() ? json.null() : json.value(leak.origin_unknown);
}

void write_leak(JsonWriter& json, const ProcessTable& table, const FdLeak& leak,
                std::size_t group) {
    const ProcessRecord& record = table[leak.process];
    json.begin_object();
    json.key("group").number(group);
    json.key("pid").number(record.pid);
    json.key("program").value(leak.program);
    json.key("argv").strings(leak.argv);
    json.key("parent_pid").number(record.parent_pid);
    write_held_fd(json, leak.fd);
    json.key("pipe_ends").begin_array();
    for (const PipeEnd& end : leak.pipe_ends) {
        json.begin_object();
        json.key("pid").number(table[end.process].pid);
        json.key("program").value(table[end.process].program);
        json.key("fd").number(end.fd);
        json.key("access").value(to_text(end.access, FdKind::Pipe));
        json.end_object();
    }
    json.end_array();
    optional_number(json, "reads_from_fd", leak.reads_from_fd);
    write_origin(json, table, leak);
    if (leak.allowed_by) json.key("allowed_by").number(*leak.allowed_by);
    json.end_object();
}

// The leaks in the order they were found, each with the index of its group (leak_groups.hpp):
// the leaks of one group are the same fd, received by several processes.
void write_leaks(JsonWriter& json, const ProcessTable& table, const std::vector<FdLeak>& leaks) {
    std::vector<std::size_t> group_of(leaks.size());
    const std::vector<LeakGroup> groups = group_leaks(leaks);
    for (std::size_t group = 0; group < groups.size(); ++group)
        for (std::size_t leak : groups[group]) group_of[leak] = group;
    json.begin_array();
    for (std::size_t leak = 0; leak < leaks.size(); ++leak)
        write_leak(json, table, leaks[leak], group_of[leak]);
    json.end_array();
}

void write_rules(JsonWriter& json, const std::vector<AllowRule>& rules) {
    json.key("allow_rules").begin_array();
    for (const AllowRule& rule : rules) {
        json.begin_object();
        json.key("rule").value(rule.text);
        json.key("origin").value(rule.origin);
        optional_number(json, "fd", rule.fd);
        json.key("kind");
        rule.kind ? json.value(to_text(*rule.kind)) : json.null();
        json.key("path");
        rule.path ? json.value(*rule.path) : json.null();
        json.key("program");
        rule.program ? json.value(*rule.program) : json.null();
        json.end_object();
    }
    json.end_array();
}

void write_abandoned(JsonWriter& json, const ProcessTable& table,
                     const std::vector<Abandoned>& list) {
    json.begin_array();
    for (const Abandoned& a : list) {
        json.begin_object();
        json.key("pid").number(table[a.child].pid);
        json.key("program").value(table[a.child].program);
        json.key("parent_pid").number(table[a.parent].pid);
        json.key("parent_program").value(table[a.parent].program);
        json.end_object();
    }
    json.end_array();
}

std::string_view moment_word(HangMoment moment) {
    switch (moment) {
        case HangMoment::HangAfter:
            return "hang_after";
        case HangMoment::Signal:
            return "signal";
        case HangMoment::CommandEnded:
            break;
    }
    return "command_ended";
}

void write_wait(JsonWriter& json, const ProcessTable& table, const PipeWait& wait) {
    json.begin_object();
    json.key("pid").number(table[wait.process].pid);
    json.key("program").value(table[wait.process].program);
    json.key("fd").number(wait.fd);
    json.key("pipe").value(wait.pipe);
    json.key("pipe_inode").number(static_cast<long long>(wait.inode));
    json.key("waits_for").value(wait.reading ? "end_of_file" : "room");
    json.key("other_ends").begin_array();
    for (const OtherEnd& end : wait.other_ends) {
        json.begin_object();
        json.key("pid").number(table[end.process].pid);
        json.key("program").value(table[end.process].program);
        json.key("fd").number(end.fd);
        json.key("own").value(end.own);
        json.key("leaked").value(end.leaked);
        json.end_object();
    }
    json.end_array();
    json.end_object();
}

void write_hangs(JsonWriter& json, const ProcessTable& table, const Findings& findings) {
    optional_number(json, "hang_after_ms",
                    findings.hang_after ? std::optional<long long>(findings.hang_after->count())
                                        : std::nullopt);
    json.key("hang_after_expired").value(findings.hang_after_expired);
    json.key("hangs").begin_array();
    for (const HangSnapshot& snapshot : findings.hangs) {
        json.begin_object();
        json.key("moment").value(moment_word(snapshot.moment));
        json.key("signal");
        snapshot.signal ? json.value(signal_name(snapshot.signal)) : json.null();
        json.key("waits").begin_array();
        for (const PipeWait& wait : snapshot.waits) write_wait(json, table, wait);
        json.end_array();
        json.end_object();
    }
    json.end_array();
}

void write_summary(JsonWriter& json, const ProcessTable& table, const Findings& findings) {
    json.key("summary").begin_object();
    json.key("processes").number(table.size());
    json.key("execs").number(findings.execs);
    json.key("fd_leaks").number(findings.fd_leaks.size());
    json.key("fd_leak_findings").number(group_leaks(findings.fd_leaks).size());
    json.key("allowed_leaks").number(findings.allowed_leaks.size());
    json.key("zombies").number(findings.zombies.size());
    json.key("orphans").number(findings.orphans.size());
    json.key("left_running").number(findings.left_running.size());
    json.end_object();
    json.key("clean").value(findings.clean());
}

void write_run(JsonWriter& json, const Findings& findings, const JsonContext& context) {
    json.key("schema_version").number(kAuditSchemaVersion);
    json.key("command").strings(context.command);
    write_status(json, context.command_wait_status);
    write_rules(json, context.allow_rules);
    json.key("provenance").value(findings.provenance);
    json.key("provenance_off");
    findings.provenance_off.empty() ? json.null() : json.value(findings.provenance_off);
    json.key("received_signal");
    findings.received_signal ? json.value(signal_name(findings.received_signal)) : json.null();
    json.key("tree_killed").value(findings.tree_killed);
}

void write_findings(JsonWriter& json, const ProcessTable& table, const Findings& findings) {
    json.key("fd_leaks");
    write_leaks(json, table, findings.fd_leaks);
    json.key("allowed_leaks");
    write_leaks(json, table, findings.allowed_leaks);
    json.key("zombies");
    write_abandoned(json, table, findings.zombies);
    json.key("orphans");
    write_abandoned(json, table, findings.orphans);
    json.key("left_running").begin_array();
    for (std::size_t process : findings.left_running) {
        json.begin_object();
        json.key("pid").number(table[process].pid);
        json.key("program").value(table[process].program);
        json.end_object();
    }
    json.end_array();
    write_hangs(json, table, findings);
    json.key("late_cloexec").begin_array();
    for (const LateCloexec& late : findings.late_cloexec) {
        json.begin_object();
        json.key("pid").number(table[late.process].pid);
        json.key("program").value(late.program);
        json.key("fd").number(late.fd);
        json.key("created_by").value(late.created_by);
        json.key("set_by").value(late.set_by);
        json.end_object();
    }
    json.end_array();
}

}  // namespace

std::string json_report(const ProcessTable& table, const Findings& findings,
                        const JsonContext& context) {
    JsonWriter json;
    json.begin_object();
    write_run(json, findings, context);
    write_summary(json, table, findings);
    json.key("processes").begin_array();
    for (std::size_t process = 0; process < table.size(); ++process)
        write_process(json, table, findings, process);
    json.end_array();
    json.key("caller_fds").begin_array();
    for (const FdLeak& given : findings.caller_fds) {
        json.begin_object();
        write_held_fd(json, given.fd);
        json.end_object();
    }
    json.end_array();
    write_findings(json, table, findings);
    json.end_object();
    return json.text();
}

}  // namespace pipex::audit
