// Findings of the tracer turned into failures that teach.
#include "check/verdict/hygiene.hpp"

#include <sys/wait.h>

#include <algorithm>

#include "audit/report/leak_groups.hpp"
#include "audit/report/text_format.hpp"
#include "audit/report/text_report.hpp"
#include "pipex/containment.hpp"

namespace pipex::check {
namespace {

using audit::FdAccess;
using audit::FdKind;
using audit::FdLeak;
using audit::ProcessRecord;
using audit::ProcessTable;

const char* const kPipeAdvice =
    "\nFix: close both pipe ends in every child after dup2 (and in the parent once the "
    "children have them), or create the pipes with O_CLOEXEC (pipe2).";

// The program's stages: the children of the program that ran a command, in the order made.
std::vector<std::size_t> stages_of(const ProcessTable& table) {
    std::vector<std::size_t> stages;
    for (std::size_t child : table[table.top()].children)
        if (table[child].execs > 0) stages.push_back(child);
    return stages;
}

// "`wc` (stage 2)", "`cat` (started by stage 1)", "`pipex` (the program)".
std::string who(const ProcessTable& table, std::size_t process) {
    const ProcessRecord& record = table[process];
    std::string name = "`" + audit::short_program(record.argv, record.program) + "`";
    if (process == table.top()) return name + " (the program itself)";
    if (record.parent == table.top() && record.execs == 0)
        return "a child of the program (pid " + std::to_string(record.pid) +
               ", which ran no command)";
    std::vector<std::size_t> stages = stages_of(table);
    for (std::optional<std::size_t> at = process; at; at = table[*at].parent) {
        auto found = std::find(stages.begin(), stages.end(), *at);
        if (found == stages.end()) continue;
        std::string stage = "stage " + std::to_string(found - stages.begin() + 1);
        return name + (*at == process ? " (" + stage + ")" : " (started by " + stage + ")");
    }
    return name + " (pid " + std::to_string(record.pid) + ")";
}

std::string relative_to(const std::string& path, const std::string& folder) {
    if (path.rfind(folder + "/", 0) == 0) return path.substr(folder.size() + 1);
    return path;
}

bool holds_pipe_on(const FdLeak& leak, int fd) {
    return std::any_of(
        leak.pipe_ends.begin(), leak.pipe_ends.end(),
        [&](const audit::PipeEnd& end) { return end.process == leak.process && end.fd == fd; });
}

// What a leaked fd is, and why it hurts.
std::string leak_meaning(const FdLeak& leak, const HygieneInput& input) {
    const audit::HeldFd& fd = leak.fd;
    if (fd.kind == FdKind::Pipe) {
        const std::string end = fd.access == FdAccess::Write ? "the write end" : "the read end";
        if (leak.reads_from_fd)
            return end +
                   " of the pipe it reads from.\nIt will never see end-of-file, since it "
                   "holds a write end itself: it waits forever once the stage before it "
                   "exits." +
                   kPipeAdvice;
        std::string which = holds_pipe_on(leak, 1)   ? " of the pipe it writes to"
                            : holds_pipe_on(leak, 0) ? " of the pipe it reads from"
                                                     : " of another stage's pipe";
        return end + which +
               ".\nA pipe end a command does not use keeps that pipe open: a reader waits for "
               "end-of-file as long as the command runs, and a writer is not told that its "
               "reader left." +
               kPipeAdvice;
    }
    if (fd.target.find("/inherited.txt") != std::string::npos)
        return "an fd the program's caller left open (inherited.txt).\nFix: a program that "
               "starts others closes what it did not open for them (close_range(3, ~0U, 0) in "
               "the child, or mark them close-on-exec at start).";
    if (fd.kind == FdKind::File)
        return "open on " + relative_to(fd.target, input.folder) +
               ".\nFix: close the file in every child once dup2 has copied it, or open it with "
               "O_CLOEXEC.";
    return "open on " + fd.target + ".\nFix: close it before exec, or create it close-on-exec.";
}

// " (the program's own fd 4)" when the program held the same pipe end at that exec: the fd the
// child kept is a copy of it.
std::string also_held_by_program(const FdLeak& leak, const ProcessTable& table) {
    for (const audit::PipeEnd& end : leak.pipe_ends)
        if (end.process == table.top() && end.access == leak.fd.access)
            return " (a copy of the program's own fd " + std::to_string(end.fd) + ")";
    return "";
}

void check_leaks(const HygieneInput& input, Failures& failures) {
    const ProcessTable& table = input.run.table;
    const std::vector<FdLeak>& leaks = input.run.findings.fd_leaks;
    for (const audit::LeakGroup& group : audit::group_leaks(leaks)) {
        const FdLeak& first = leaks[group.front()];
        std::string receivers;
        for (std::size_t i = 0; i < group.size() && i < 3; ++i)
            receivers += (i == 0 ? "" : ", ") + who(table, leaks[group[i]].process);
        if (group.size() > 3) receivers += " and " + std::to_string(group.size() - 3) + " others";
        failures.push_back({FailureKind::FdLeak, receivers + " received fd " +
                                                     std::to_string(first.fd.fd) +
                                                     also_held_by_program(first, table) + ", " +
                                                     leak_meaning(first, input)});
    }
}

void check_waits(const HygieneInput& input, Failures& failures) {
    const ProcessTable& table = input.run.table;
    auto report = [&](const audit::Abandoned& a, const char* how) {
        failures.push_back({FailureKind::NotWaited,
                            who(table, a.child) + " " + how + " " + who(table, a.parent) +
                                " exited without waiting for it.\nFix: wait for every child "
                                "you start (waitpid on each pid), not only the last."});
    };
    for (const audit::Abandoned& a : input.run.findings.zombies)
        report(a, "had exited, a zombie nobody reaped, when");
    for (const audit::Abandoned& a : input.run.findings.orphans)
        report(a, "was still running, an orphan, when");
    for (std::size_t process : input.run.findings.left_running)
        failures.push_back({FailureKind::LeftRunning,
                            who(table, process) +
                                " was still running when the program ended (pipex-check "
                                "killed it): nothing a pipeline starts may outlive it."});
}

// A stage created only after the one before it ended: the program waited for each before
// starting the next, so `sleep 1 | sleep 1` takes two seconds, and a stage writing more than a
// pipe holds never ends.
void check_overlap(const HygieneInput& input, Failures& failures) {
    const ProcessTable& table = input.run.table;
    std::vector<std::size_t> stages = stages_of(table);
    for (std::size_t i = 1; i < stages.size(); ++i) {
        const ProcessRecord& before = table[stages[i - 1]];
        const ProcessRecord& after = table[stages[i]];
        if (!before.ended_at || after.created_at < *before.ended_at) continue;
        failures.push_back({FailureKind::OneAtATime,
                            "stage " + std::to_string(i + 1) + " was started only after stage " +
                                std::to_string(i) +
                                " had ended: the stages ran one after the "
                                "other, and a stage that writes more than a pipe holds "
                                "(64 KiB) would never end.\nFix: start every stage first, "
                                "then wait for them all."});
        return;
    }
}

void check_exit_fds(const HygieneInput& input, Failures& failures) {
    for (const audit::HeldFd& fd : input.run.findings.top_exit_fds) {
        if (fd.target.find("/inherited.txt") != std::string::npos) continue;  // not its own
        failures.push_back(
            {FailureKind::OpenAtExit,
             input.program_name + " still held fd " + std::to_string(fd.fd) + " (" +
                 relative_to(fd.target, input.folder) +
                 ") when it exited.\nFix: close every fd once its children have it."});
    }
}

void check_tmp(const HygieneInput& input, Failures& failures) {
    for (const std::string& name : input.tmp_left)
        failures.push_back(
            {FailureKind::TempFile, "/tmp/" + name +
                                        " was left behind.\nFix: remove a here-doc's "
                                        "temporary file, or better, feed the first stage "
                                        "through a pipe."});
    if (!input.second_tmp_created || !input.run.tmp_created) return;
    for (const std::string& name : *input.run.tmp_created) {
        const std::vector<std::string>& again = *input.second_tmp_created;
        if (std::find(again.begin(), again.end(), name) == again.end()) continue;
        failures.push_back({FailureKind::TempFile,
                            "/tmp/" + name +
                                " is made under the same name on every run: in a "
                                "folder every user can write, anyone can put a symlink there "
                                "first and have the program write where they want (or read its "
                                "text).\nFix: use a pipe, or mkstemp."});
    }
}

bool program_holds_awaited_end(const ProgramRun& run) {
    for (const audit::HangSnapshot& snapshot : run.findings.hangs)
        for (const audit::PipeWait& wait : snapshot.waits)
            for (const audit::OtherEnd& end : wait.other_ends)
                if (end.process == run.table.top()) return true;
    return false;
}

}  // namespace

Failures check_hygiene(const Case& c, const HygieneInput& input) {
    Failures failures;
    const ProgramRun& run = input.run;
    if (run.timed_out) {
        std::string text = "still running after " + format_duration(input.timeout) +
                           " (the timeout): pipex-check ended it. What each process waited for:";
        for (const audit::HangSnapshot& snapshot : run.findings.hangs)
            for (const audit::PipeWait& wait : snapshot.waits)
                text += "\n  " + audit::wait_text(run.table, wait);
        if (run.findings.hangs.empty() || run.findings.hangs.front().waits.empty())
            text += "\n  no process was blocked on a pipe";
        else if (program_holds_awaited_end(run))
            text +=
                "\nThe program itself holds an end another process waits on.\nFix: close "
                "every pipe end in the parent as soon as the children that need it have it.";
        failures.push_back({FailureKind::Hang, text});
    }
    check_leaks(input, failures);
    check_waits(input, failures);
    if (c.stages_overlap) check_overlap(input, failures);
    if (!run.timed_out) check_exit_fds(input, failures);
    check_tmp(input, failures);
    return failures;
}

}  // namespace pipex::check
