// Every process of the traced tree, from its creation to its end, and the tasks (threads) that
// make it up. ptrace reports tasks; pipex-audit reports processes: this is where one becomes the
// other. A record is never removed, so the report can speak of processes long gone.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace pipex::audit {

enum class Phase {
    Running,
    Exiting,  // every task has passed its exit stop: it is about to become a zombie
    Dead,     // its end was reported to pipex-audit (the tracer), with its status
};

struct ProcessRecord {
    pid_t pid = 0;
    pid_t parent_pid = 0;               // the real parent when it started
    std::optional<std::size_t> parent;  // the parent's record, when the parent is traced too
    std::vector<std::size_t> children;  // the processes it started, in order
    std::string program;                // what it runs: inherited at fork, replaced at exec
    std::vector<std::string> argv;
    std::size_t execs = 0;
    Phase phase = Phase::Running;
    int live_tasks = 0;
    int exiting_tasks = 0;
    std::optional<int> wait_status;
    bool children_checked = false;  // its unreaped children have been looked for
    bool abandoned = false;         // its parent exited without reaping it
    bool released = false;          // known to be reaped: no longer anyone's zombie
    bool reaped_by_audit = false;   // reaped by pipex-audit, the subreaper, after its parent left
    bool left_running = false;
    bool killed_by_audit = false;
    // When it was seen first, first exec'd and ended, on the table's clock (ProcessTable::tick):
    // what happened before what, never how long it took.
    std::uint64_t created_at = 0;
    std::optional<std::uint64_t> first_exec_at;
    std::optional<std::uint64_t> ended_at;
};

class ProcessTable {
public:
    // The top command, pipex-audit's own child.
    std::size_t add_top(pid_t pid);
    std::size_t top() const { return 0; }

    // The process task `tid` belongs to, on a report of its own. A task seen for the first time
    // is registered from /proc (with its process, if that is new too).
    std::size_t task(pid_t tid);
    // Task `creator` reported creating task `tid` (its fork, vfork or clone event). The two
    // tasks' reports race: the new one's first stop, even its end, may come first, and then it
    // is known already and must not be registered twice. Otherwise it is registered, `creator`
    // standing in for /proc should it be gone already.
    void task_created(pid_t tid, pid_t creator);
    std::optional<std::size_t> find_task(pid_t tid) const;
    // The latest record of a pid, running or not.
    std::optional<std::size_t> find_pid(pid_t pid) const;

    // A task stopped at its exit: true when it is the last task of its process to do so.
    bool task_exiting(pid_t tid);
    // A task's end was reported. Returns its process when the process itself ended (its
    // leader's end is reported last).
    std::optional<std::size_t> task_ended(pid_t tid);
    // An exec by a thread other than the leader: the thread took the leader's pid.
    void task_replaced_leader(pid_t former_tid, std::size_t process);

    ProcessRecord& operator[](std::size_t index) { return records_[index]; }
    const ProcessRecord& operator[](std::size_t index) const { return records_[index]; }
    std::size_t size() const { return records_.size(); }
    // Records of processes that have not ended.
    std::vector<std::size_t> not_ended() const;

    // The clock of the records: one tick per report of the tracer, so two events of the tree
    // compare in the order ptrace reported them.
    void tick() { ++clock_; }
    std::uint64_t now() const { return clock_; }

private:
    std::size_t register_task(pid_t tid, pid_t creator);
    std::size_t add_process(pid_t pid, pid_t parent_pid, pid_t creator);
    void add_task(pid_t tid, std::size_t process);
    void forget_tasks_of(std::size_t process);

    std::vector<ProcessRecord> records_;
    std::unordered_map<pid_t, std::size_t> tasks_;   // live task -> its process
    std::unordered_map<pid_t, std::size_t> latest_;  // pid -> its latest record
    std::unordered_set<pid_t> exiting_;              // tasks past their exit stop
    std::unordered_set<pid_t> unannounced_;          // seen before their creator's report
    std::uint64_t clock_ = 0;
};

}  // namespace pipex::audit
