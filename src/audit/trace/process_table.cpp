// Tasks reported by ptrace, gathered into the processes they make up, from creation to end.
#include "audit/trace/process_table.hpp"

#include <unistd.h>

#include "pipex/base/proc_fs.hpp"

namespace pipex::audit {

std::size_t ProcessTable::add_top(pid_t pid) {
    ProcessRecord record;
    record.pid = pid;
    record.parent_pid = ::getpid();
    records_.push_back(std::move(record));
    latest_[pid] = records_.size() - 1;
    add_task(pid, records_.size() - 1);
    return records_.size() - 1;
}

std::size_t ProcessTable::task(pid_t tid) {
    if (std::optional<std::size_t> known = find_task(tid)) return *known;
    unannounced_.insert(tid);
    return register_task(tid, 0);
}

void ProcessTable::task_created(pid_t tid, pid_t creator) {
    if (unannounced_.erase(tid) > 0 || find_task(tid)) return;
    register_task(tid, creator);
}

std::size_t ProcessTable::register_task(pid_t tid, pid_t creator) {
    std::optional<proc::TaskIds> ids = proc::task_ids(tid);
    if (ids && ids->tgid != tid) {
        std::optional<std::size_t> known = find_task(ids->tgid);
        std::size_t process = known ? *known : register_task(ids->tgid, creator);
        add_task(tid, process);
        return process;
    }
    pid_t parent_pid = 0;
    if (ids) {
        parent_pid = ids->ppid;
    } else if (std::optional<std::size_t> by = find_task(creator)) {
        parent_pid = records_[*by].pid;  // it died before it could be looked at: its creator's
    }
    return add_process(tid, parent_pid, creator);
}

std::optional<std::size_t> ProcessTable::find_task(pid_t tid) const {
    auto found = tasks_.find(tid);
    if (found == tasks_.end()) return std::nullopt;
    return found->second;
}

std::optional<std::size_t> ProcessTable::find_pid(pid_t pid) const {
    auto found = latest_.find(pid);
    if (found == latest_.end()) return std::nullopt;
    return found->second;
}

bool ProcessTable::task_exiting(pid_t tid) {
    std::optional<std::size_t> process = find_task(tid);
    if (!process) return false;
    ProcessRecord& record = records_[*process];
    if (exiting_.insert(tid).second) ++record.exiting_tasks;
    return record.exiting_tasks >= record.live_tasks;
}

std::optional<std::size_t> ProcessTable::task_ended(pid_t tid) {
    auto found = tasks_.find(tid);
    if (found == tasks_.end()) return std::nullopt;
    std::size_t process = found->second;
    ProcessRecord& record = records_[process];
    tasks_.erase(found);
    --record.live_tasks;
    if (exiting_.erase(tid) > 0) --record.exiting_tasks;
    // The kernel reports a leader's end only once all its threads are gone.
    if (tid != record.pid) return std::nullopt;
    if (record.live_tasks > 0) forget_tasks_of(process);
    return process;
}

void ProcessTable::task_replaced_leader(pid_t former_tid, std::size_t process) {
    ProcessRecord& record = records_[process];
    if (former_tid == record.pid || tasks_.erase(former_tid) == 0) return;
    // The leader's task entry now stands for the thread that exec'd; the old leader is gone.
    --record.live_tasks;
    if (exiting_.erase(former_tid) > 0) --record.exiting_tasks;
    if (exiting_.erase(record.pid) > 0) --record.exiting_tasks;
}

std::vector<std::size_t> ProcessTable::not_ended() const {
    std::vector<std::size_t> found;
    for (std::size_t i = 0; i < records_.size(); ++i)
        if (records_[i].phase != Phase::Dead) found.push_back(i);
    return found;
}

std::size_t ProcessTable::add_process(pid_t pid, pid_t parent_pid, pid_t creator) {
    ProcessRecord record;
    record.pid = pid;
    record.parent_pid = parent_pid;
    record.created_at = clock_;
    if (std::optional<std::size_t> parent = find_pid(parent_pid);
        parent && records_[*parent].phase != Phase::Dead)
        record.parent = parent;
    // Until it execs, a new process runs the program of the task that created it.
    std::optional<std::size_t> image = find_task(creator);
    if (!image) image = record.parent;
    if (image) {
        record.program = records_[*image].program;
        record.argv = records_[*image].argv;
    }
    // A pid is given again only once its process has been reaped.
    if (std::optional<std::size_t> previous = find_pid(pid)) records_[*previous].released = true;

    std::size_t index = records_.size();
    records_.push_back(std::move(record));
    if (std::optional<std::size_t> parent = records_[index].parent)
        records_[*parent].children.push_back(index);
    latest_[pid] = index;
    add_task(pid, index);
    return index;
}

void ProcessTable::add_task(pid_t tid, std::size_t process) {
    tasks_[tid] = process;
    ++records_[process].live_tasks;
}

void ProcessTable::forget_tasks_of(std::size_t process) {
    for (auto it = tasks_.begin(); it != tasks_.end();) {
        if (it->second == process) {
            exiting_.erase(it->first);
            it = tasks_.erase(it);
        } else {
            ++it;
        }
    }
    records_[process].live_tasks = 0;
    records_[process].exiting_tasks = 0;
}

}  // namespace pipex::audit
