// The readable report on stderr: the tree with its statuses, then every finding, then a summary.
#include "audit/report/text_report.hpp"

#include "audit/report/text_format.hpp"
#include "audit/report/words.hpp"
#include "pipex/base/exit_status.hpp"
#include "pipex/base/signals.hpp"

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

void add_leak(std::string& out, const ProcessTable& table, const FdLeak& leak) {
    const ProcessRecord& record = table[leak.process];
    out += "  pid " + std::to_string(record.pid) + " (" + short_program(leak.argv, leak.program) +
           ", " + leak.program + ")";
    if (record.parent) out += ", child of " + process_name(table[*record.parent]);
    out += ": " + held_fd_text(leak.fd) + "\n";
    if (!leak.pipe_ends.empty())
        out += "      ends of " + leak.fd.target + ": " + pipe_ends_text(table, leak) + "\n";
    if (leak.reads_from_fd)
        out += "      it holds the write end of the pipe it reads from (fd " +
               std::to_string(*leak.reads_from_fd) +
               "): it will never see end-of-file while it holds it\n";
}

void add_abandoned(std::string& out, const ProcessTable& table, const std::vector<Abandoned>& list,
                   const char* what) {
    for (const Abandoned& a : list)
        out += "  " + process_name(table[a.child]) + what + process_name(table[a.parent]) +
               " exited\n";
}

template <class List>
std::string heading(const char* title, const List& list) {
    return std::string(title) + " (" + std::to_string(list.size()) + ")" +
           (list.empty() ? ": none\n" : ":\n");
}

void add_findings(std::string& out, const ProcessTable& table, const Findings& findings) {
    out += heading("fd leaks", findings.fd_leaks);
    for (const FdLeak& leak : findings.fd_leaks) add_leak(out, table, leak);
    out += heading("zombies", findings.zombies);
    add_abandoned(out, table, findings.zombies, " had exited and was not reaped when its parent ");
    out += heading("orphans", findings.orphans);
    add_abandoned(out, table, findings.orphans, " was still running when its parent ");
    out += heading("left running when COMMAND ended", findings.left_running);
    for (std::size_t process : findings.left_running)
        out += "  " + process_name(table[process]) + ": killed by pipex-audit\n";
}

}  // namespace

std::string summary_line(const ProcessTable& table, const Findings& findings) {
    return std::to_string(table.size()) + " processes, " + std::to_string(findings.execs) +
           " execs: " + std::to_string(findings.fd_leaks.size()) + " fd leaks, " +
           std::to_string(findings.zombies.size()) + " zombies, " +
           std::to_string(findings.orphans.size()) + " orphans";
}

std::string text_report(const ProcessTable& table, const Findings& findings,
                        const std::vector<std::string>& command) {
    std::string out = "pipex-audit: " + command_text(command, 200) + "\n";
    if (findings.received_signal)
        out += "pipex-audit received " + signal_name(findings.received_signal) +
               (findings.tree_killed ? " twice and killed the traced tree\n" : "\n");
    out += "processes (pid, command, exit status):\n";
    for (std::size_t process = 0; process < table.size(); ++process)
        if (!table[process].parent) add_tree(out, table, process, 0);
    if (!findings.caller_fds.empty()) {
        out += "fds COMMAND was started with (given by pipex-audit's caller, not counted):\n";
        for (const FdLeak& given : findings.caller_fds) out += "  " + held_fd_text(given.fd) + "\n";
    }
    add_findings(out, table, findings);
    return out + "pipex-audit: " + summary_line(table, findings) + "\n";
}

}  // namespace pipex::audit
