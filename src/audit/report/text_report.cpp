// The readable report on stderr: the tree with its statuses, then every finding, then a summary.
#include "audit/report/text_report.hpp"

#include <algorithm>
#include <set>

#include "audit/report/leak_groups.hpp"
#include "audit/report/text_format.hpp"
#include "audit/report/words.hpp"
#include "pipex/base/exit_status.hpp"
#include "pipex/base/signals.hpp"
#include "pipex/containment.hpp"

namespace pipex::audit {
namespace {

std::string fate_of(const ProcessRecord& record) {
    std::string fate =
        record.wait_status ? describe_wait_status(*record.wait_status) : "still running";
    if (record.left_running) fate += ", left running";
    if (record.killed_by_audit) fate += ", killed by pipex-audit";
    return fate;
}

void add_tree(std::string& out, const ProcessTable& table, std::size_t process, std::size_t depth) {
    const ProcessRecord& record = table[process];
    std::string line(2 + 2 * depth, ' ');
    line += std::to_string(record.pid) + " " + command_text(record.argv, 70);
    out += line + "  -> " + fate_of(record) + "\n";
    for (std::size_t child : record.children) add_tree(out, table, child, depth + 1);
}

std::string held_fd_text(const HeldFd& fd) {
    std::string text = "fd " + std::to_string(fd.fd) + " -> " + fd.target + " (";
    text += to_text(fd.kind);
    text += ", ";
    text += to_text(fd.access, fd.kind);
    return text + ")";
}

std::string pipe_ends_text(const ProcessTable& table, const FdLeak& leak) {
    std::string text;
    std::size_t current = table.size();
    for (const PipeEnd& end : leak.pipe_ends) {
        if (end.process != current) {
            text += (text.empty() ? "" : "; ") + process_name(table[end.process]);
            current = end.process;
        } else {
            text += ",";
        }
        text += " fd " + std::to_string(end.fd) + " ";
        text += to_text(end.access, FdKind::Pipe);
    }
    return text;
}

// A count with its noun in the right number: "1 process", "2 processes".
std::string counted(std::size_t count, std::string_view one, std::string_view many) {
    return std::to_string(count) + " " + std::string(count == 1 ? one : many);
}

std::string receiver_text(const ProcessTable& table, const FdLeak& leak) {
    const ProcessRecord& record = table[leak.process];
    std::string text = "pid " + std::to_string(record.pid) + " (" +
                       short_program(leak.argv, leak.program) + ", " + leak.program + ")";
    if (record.parent) text += ", child of " + process_name(table[*record.parent]);
    return text;
}

std::string reads_from_text(const FdLeak& leak) {
    if (!leak.reads_from_fd) return {};
    return "      it holds the write end of the pipe it reads from (fd " +
           std::to_string(*leak.reads_from_fd) +
           "): it will never see end-of-file while it holds it\n";
}

std::string allowed_text(const std::vector<AllowRule>& rules, const FdLeak& leak) {
    if (!leak.allowed_by) return {};
    const AllowRule& rule = rules[*leak.allowed_by];
    return ", allowed by '" + rule.text + "' (" + rule.origin + ")";
}

std::string program_base(const std::string& program) {
    std::size_t slash = program.rfind('/');
    return slash == std::string::npos ? program : program.substr(slash + 1);
}

// "passed down through pid 11 (bash), pid 12 (sh)", after `lead`; "" when it came straight.
std::string passed_text(const ProcessTable& table, const FdOrigin& origin, const char* lead) {
    std::string text;
    for (std::size_t i = 0; i < origin.passed_through.size(); ++i)
        text += (i == 0 ? std::string(lead) + "passed down through " : std::string(", ")) +
                process_name(table[origin.passed_through[i]]);
    return text;
}

// "created without O_CLOEXEC by openat in pid 10 (bash); passed down through pid 11 (bash)"
std::string origin_text(const ProcessTable& table, const FdLeak& leak) {
    if (!leak.origin)
        return leak.origin_unknown.empty()
                   ? std::string()
                   : "      where it was born is unknown: " + leak.origin_unknown + "\n";
    const FdOrigin& origin = *leak.origin;
    const std::string where = " in pid " + std::to_string(table[origin.creator].pid) + " (" +
                              program_base(origin.creator_program) + ")";
    if (origin.call.empty())  // made with O_CLOEXEC by a call the filter lets run unstopped
        return "      created with O_CLOEXEC, then made inheritable by " + origin.inheritable_by +
               where + passed_text(table, origin, "; ") + "\n";
    std::string text = "      ";
    if (origin.copy_of) {
        text += "a copy of fd " + std::to_string(*origin.copy_of);
        if (!origin.copy_of_call.empty()) text += " (made by " + origin.copy_of_call + ")";
        text += " ";
    }
    text += origin.copy_of ? "made " : "created ";
    text += origin.cloexec_at_creation ? "with O_CLOEXEC" : "without O_CLOEXEC";
    text += " by " + origin.call + where;
    if (origin.inheritable_in)
        text += origin.cloexec_at_creation
                    ? ", then made inheritable by " + origin.inheritable_by
                    : ", given it later, then made inheritable again by " + origin.inheritable_by;
    return text + passed_text(table, origin, "; ") + "\n";
}

bool same_origin(const FdLeak& a, const FdLeak& b) {
    if (a.origin.has_value() != b.origin.has_value()) return false;
    if (!a.origin) return a.origin_unknown == b.origin_unknown;
    return a.origin->creator == b.origin->creator && a.origin->call == b.origin->call &&
           a.origin->inheritable_in == b.origin->inheritable_in;
}

// A big tree repeats a leak in every child: the first receivers are named, the count says the
// rest (the JSON document lists every one).
constexpr std::size_t kReceiversShown = 10;

// One finding: a fd leaked to one process on one line; to several, the fd first, then each
// receiver. A pipe's ends, as they were when its first receiver started, are shown once in the
// list, under the first finding on that pipe (`shown_pipes`).
void add_group(std::string& out, const ProcessTable& table, const std::vector<FdLeak>& leaks,
               const LeakGroup& group, const std::vector<AllowRule>& rules,
               std::set<unsigned long>& shown_pipes) {
    const FdLeak& first = leaks[group.front()];
    if (group.size() == 1) {
        out += "  " + receiver_text(table, first) + ": " + held_fd_text(first.fd) +
               allowed_text(rules, first) + "\n";
        out += origin_text(table, first);
        out += reads_from_text(first);
    } else {
        out += "  " + held_fd_text(first.fd) + allowed_text(rules, first) + ", received by " +
               counted(group.size(), "process", "processes") + ":\n";
        // One birth for all receivers is said once; different ones under each receiver.
        const bool one_origin = std::all_of(group.begin(), group.end(), [&](std::size_t leak) {
            return same_origin(leaks[leak], first);
        });
        if (one_origin) out += origin_text(table, first);
        for (std::size_t i = 0; i < group.size() && i < kReceiversShown; ++i) {
            const FdLeak& leak = leaks[group[i]];
            out += "    " + receiver_text(table, leak);
            if (one_origin && leak.origin) out += passed_text(table, *leak.origin, ", ");
            out += "\n";
            if (!one_origin) out += origin_text(table, leak);
            out += reads_from_text(leaks[group[i]]);
        }
        if (group.size() > kReceiversShown)
            out += "    and " + counted(group.size() - kReceiversShown, "other", "others") +
                   " (the JSON report lists every one)\n";
    }
    if (!first.pipe_ends.empty() && shown_pipes.insert(first.fd.pipe_inode.value_or(0)).second)
        out += "      ends of " + first.fd.target + ": " + pipe_ends_text(table, first) + "\n";
}

void add_leaks(std::string& out, const ProcessTable& table, const std::vector<FdLeak>& leaks,
               const char* title, const std::vector<AllowRule>& rules) {
    const std::vector<LeakGroup> groups = group_leaks(leaks);
    out += std::string(title) + " (" + std::to_string(leaks.size());
    if (groups.size() != leaks.size()) out += ", " + counted(groups.size(), "finding", "findings");
    out += leaks.empty() ? "): none\n" : "):\n";
    std::set<unsigned long> shown_pipes;
    for (const LeakGroup& group : groups) add_group(out, table, leaks, group, rules, shown_pipes);
}

void add_abandoned(std::string& out, const ProcessTable& table, const std::vector<Abandoned>& list,
                   const char* what) {
    for (const Abandoned& a : list)
        out += "  " + process_name(table[a.child]) + what + process_name(table[a.parent]) +
               " exited\n";
}

std::string moment_text(const Findings& findings, const HangSnapshot& snapshot) {
    switch (snapshot.moment) {
        case HangMoment::HangAfter:
            return "still running after --hang-after " +
                   format_duration(findings.hang_after.value_or(Duration{})) +
                   " (pipex-audit then killed the tree)";
        case HangMoment::Signal:
            return "when pipex-audit received " + signal_name(snapshot.signal);
        case HangMoment::CommandEnded:
            break;
    }
    return "when COMMAND ended, in the processes left running";
}

std::string other_end_text(const ProcessTable& table, const OtherEnd& end) {
    std::string text = process_name(table[end.process]) + " fd " + std::to_string(end.fd);
    if (end.own) return text + " (itself)";
    const std::optional<std::size_t> parent = table[end.process].parent;
    if (end.leaked)
        text += ", leaked to it" + (parent ? " by " + process_name(table[*parent]) : std::string());
    return text;
}

}  // namespace

std::string wait_text(const ProcessTable& table, const PipeWait& wait) {
    std::string text =
        process_name(table[wait.process]) +
        (wait.reading ? " waits for data or end-of-file on " : " waits for room in ") + wait.pipe +
        " (its fd " + std::to_string(wait.fd) + "); its " + (wait.reading ? "write" : "read") +
        " end is held by ";
    if (wait.other_ends.empty()) return text + "no process of the tree";
    for (std::size_t i = 0; i < wait.other_ends.size(); ++i)
        text += (i == 0 ? "" : "; ") + other_end_text(table, wait.other_ends[i]);
    return text;
}

namespace {

void add_hangs(std::string& out, const ProcessTable& table, const Findings& findings) {
    for (const HangSnapshot& snapshot : findings.hangs) {
        out += "what the tree waited for, " + moment_text(findings, snapshot) + ":\n";
        if (snapshot.waits.empty())
            out += "  no process of the tree was blocked reading or writing a pipe\n";
        for (const PipeWait& wait : snapshot.waits) out += "  " + wait_text(table, wait) + "\n";
    }
}

template <class List>
std::string heading(const char* title, const List& list) {
    return std::string(title) + " (" + std::to_string(list.size()) + ")" +
           (list.empty() ? ": none\n" : ":\n");
}

void add_findings(std::string& out, const ProcessTable& table, const Findings& findings,
                  const std::vector<AllowRule>& rules) {
    add_leaks(out, table, findings.fd_leaks, "fd leaks", rules);
    if (!findings.allowed_leaks.empty())
        add_leaks(out, table, findings.allowed_leaks,
                  "fds passed on purpose (allowed, not counted)", rules);
    out += heading("zombies", findings.zombies);
    add_abandoned(out, table, findings.zombies, " had exited and was not reaped when its parent ");
    out += heading("orphans", findings.orphans);
    add_abandoned(out, table, findings.orphans, " was still running when its parent ");
    out += heading("left running when COMMAND ended", findings.left_running);
    for (std::size_t process : findings.left_running)
        out += "  " + process_name(table[process]) + ": killed by pipex-audit\n";
    add_hangs(out, table, findings);
    if (!findings.late_cloexec.empty())
        out += "close-on-exec set late (a race, not counted) (" +
               std::to_string(findings.late_cloexec.size()) + "):\n";
    for (const LateCloexec& late : findings.late_cloexec)
        out += "  pid " + std::to_string(table[late.process].pid) + " (" +
               program_base(late.program) + ") fd " + std::to_string(late.fd) + ": created by " +
               late.created_by + " without O_CLOEXEC, given it by " + late.set_by +
               " afterwards: a fork and exec in another thread in between would leak it (create "
               "it with O_CLOEXEC)\n";
}

}  // namespace

std::string summary_line(const ProcessTable& table, const Findings& findings) {
    std::string line = counted(table.size(), "process", "processes") + ", " +
                       counted(findings.execs, "exec", "execs") + ": " +
                       counted(findings.fd_leaks.size(), "fd leak", "fd leaks") + ", " +
                       counted(findings.zombies.size(), "zombie", "zombies") + ", " +
                       counted(findings.orphans.size(), "orphan", "orphans");
    if (!findings.left_running.empty())
        line +=
            ", " + counted(findings.left_running.size(), "process", "processes") + " left running";
    if (findings.hang_after_expired)
        line += ", still running after --hang-after " +
                format_duration(findings.hang_after.value_or(Duration{}));
    if (!findings.allowed_leaks.empty())
        line += " (" + counted(findings.allowed_leaks.size(), "fd", "fds") + " allowed)";
    return line;
}

std::string text_report(const ProcessTable& table, const Findings& findings,
                        const std::vector<std::string>& command,
                        const std::vector<AllowRule>& rules) {
    std::string out = "pipex-audit: " + command_text(command, 200) + "\n";
    if (findings.received_signal)
        out += "pipex-audit received " + signal_name(findings.received_signal) +
               (findings.tree_killed ? " twice and killed the traced tree\n" : "\n");
    if (!findings.provenance_off.empty())
        out += "provenance is off: " + findings.provenance_off + "\n";
    out += "processes (pid, command, exit status):\n";
    for (std::size_t process = 0; process < table.size(); ++process)
        if (!table[process].parent) add_tree(out, table, process, 0);
    if (!findings.caller_fds.empty()) {
        out += "fds COMMAND was started with (given by pipex-audit's caller, not counted):\n";
        for (const FdLeak& given : findings.caller_fds) out += "  " + held_fd_text(given.fd) + "\n";
    }
    add_findings(out, table, findings, rules);
    return out + "pipex-audit: " + summary_line(table, findings) + "\n";
}

}  // namespace pipex::audit
