// The reaping check: the unreaped children of a process that ends, and what is left running.
#include "audit/checks/reaping_audit.hpp"

#include "pipex/base/proc_fs.hpp"

namespace pipex::audit {
namespace {

enum class Verdict { Reaped, Zombie, Orphan };

// A child whose end pipex-audit has already been told about: its parent reaped it, unless it is
// still a zombie (of the parent, or of pipex-audit once the parent is gone).
Verdict verdict_for_ended(const ProcessRecord& child, pid_t parent_pid, pid_t self) {
    if (child.reaped_by_audit) return Verdict::Zombie;
    std::optional<proc::TaskState> state = proc::task_state(child.pid);
    if (state && proc::has_exited(state->state) &&
        (state->ppid == parent_pid || state->ppid == self))
        return Verdict::Zombie;
    return Verdict::Reaped;
}

Verdict verdict_for(const ProcessRecord& child, pid_t parent_pid, pid_t self) {
    if (child.phase == Phase::Dead) return verdict_for_ended(child, parent_pid, self);
    // Past its exit stop, or already a zombie whose end pipex-audit has not yet read: it has
    // exited, and its parent could not have reaped it. A leader shown as a zombie while other
    // threads of its process run is still running.
    if (child.phase == Phase::Exiting) return Verdict::Zombie;
    std::optional<proc::TaskState> state = proc::task_state(child.pid);
    if (state && proc::has_exited(state->state) && child.live_tasks <= 1) return Verdict::Zombie;
    return Verdict::Orphan;
}

}  // namespace

void check_children(ProcessTable& table, Findings& findings, std::size_t process, pid_t self) {
    if (table[process].children_checked) return;
    table[process].children_checked = true;
    const pid_t parent_pid = table[process].pid;
    // A parent that ignores SIGCHLD never leaves zombies: the kernel reaps its children for it
    // (under ptrace, only once pipex-audit has read their end).
    const bool auto_reaps = proc::ignores_sigchld(parent_pid);
    for (std::size_t child : table[process].children) {
        ProcessRecord& record = table[child];
        if (record.abandoned || record.released) continue;
        Verdict verdict = verdict_for(record, parent_pid, self);
        if (verdict == Verdict::Zombie && auto_reaps) verdict = Verdict::Reaped;
        switch (verdict) {
            case Verdict::Reaped:
                record.released = true;
                break;
            case Verdict::Zombie:
                record.abandoned = true;
                findings.zombies.push_back(Abandoned{child, process});
                break;
            case Verdict::Orphan:
                record.abandoned = true;
                findings.orphans.push_back(Abandoned{child, process});
                break;
        }
    }
}

void find_left_running(ProcessTable& table, Findings& findings) {
    for (std::size_t process : table.not_ended()) {
        ProcessRecord& record = table[process];
        if (record.phase != Phase::Running || record.left_running) continue;
        // Killed before COMMAND ended (--hang-after, a second signal): its end is on its way.
        if (record.killed_by_audit) continue;
        std::optional<proc::TaskState> state = proc::task_state(record.pid);
        if (state && proc::has_exited(state->state)) continue;  // ended; its report is on its way
        record.left_running = true;
        findings.left_running.push_back(process);
    }
}

}  // namespace pipex::audit
