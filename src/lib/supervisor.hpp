// The supervisor of a running pipeline (internal to the engine): the one loop that waits, for the
// whole run. It reaps every process of the tree as it ends (stages in any order, orphans
// re-parented to pipex as its subreaper), passes forwarded signals on to the whole tree, keeps the
// deadlines (timeout, wait delay, kill-after), and once every stage has ended, ends or keeps what
// is left (containment.hpp).
#pragma once

#include <sys/resource.h>
#include <sys/types.h>

#include <chrono>
#include <cstddef>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "output_drains.hpp"
#include "pipex/base/proc_fs.hpp"
#include "pipex/pipeline.hpp"
#include "process_tree.hpp"
#include "signal_forwarding.hpp"
#include "subreaper.hpp"

namespace pipex {

class Supervisor {
public:
    // `stage_pids` is indexed by stage, -1 where no process runs; the supervisor withdraws each
    // pid once reaped. `result` receives the descendants and holders found, and each stage's end.
    Supervisor(const RunOptions& options, std::vector<pid_t>& stage_pids, PipelineResult& result);
    // Unless the run was finished: every process of the tree is killed and reaped, so that an
    // exception leaves nothing behind.
    ~Supervisor();
    Supervisor(const Supervisor&) = delete;
    Supervisor& operator=(const Supervisor&) = delete;

    void started(std::size_t index, pid_t pid);
    // The pipeline's pipes and files, to name the stage a process was started by.
    PipelineEnds& ends() { return ends_; }
    // The outputs given to callbacks: read whenever the supervisor waits, and to their end by
    // finish().
    OutputDrains& drains() { return drains_; }

    // For an input stream's writer (StreamControl): whether to give up, and how to wait for its
    // input, or for room in its pipe, while the tree is looked after.
    bool stop_requested() const;
    bool wait_readable(int fd);
    bool wait_writable(int fd);

    // A pipeline that could not be built whole: its stages and all below them are ended.
    void end_tree();
    // Waits for every stage, then deals with the descendants left (ContainmentOptions).
    void finish();

    int received_signal() const { return signals_.received(); }
    bool timed_out() const { return timed_out_; }

private:
    using Clock = std::chrono::steady_clock;
    struct HolderEpisode;

    template <class Done>
    bool wait_until(Done done, int fd = -1, short events = POLLIN);
    std::optional<Clock::duration> next_wakeup(Clock::time_point now) const;

    // Reaping
    struct Reaped {
        pid_t pid;
        int status;
        rusage usage;
        proc::IoCounts io;  // read before the reaping, for a stage (RunOptions::count_bytes)
    };
    void reap_ended();
    std::optional<Reaped> reap_one();
    std::optional<Reaped> reap(pid_t pid);
    std::optional<std::size_t> running_stage(pid_t pid);
    void stage_ended(std::size_t index, const Reaped& reaped);
    bool reader_gone(std::size_t index) const;
    bool has_children() const;

    // Reacting to signals and deadlines
    void react();
    void pass_on_signal();
    void signal_tree(int signal, bool include_stages, bool skip_own_group);
    void signal_newcomers();
    void kill_tree();
    void report_holders_of_stuck_pipes();

    // The descendants left once every stage ended
    void end_descendants();
    void step_descendants(Clock::time_point now);
    void look_at_descendants(bool kill);
    void report_descendants();

    // Holders of a pipe past the wait delay
    void end_holders(HolderEpisode& episode);
    void report_holders(HolderEpisode& episode);
    bool being_ended_as_holder(pid_t pid) const;
    void step_holders(Clock::time_point now);

    std::vector<TreeProcess> tree() const;
    std::optional<int> stage_of(const TreeProcess& process);
    void say(const std::string& line) const;

    const RunOptions& options_;
    const ContainmentOptions& policy_;
    std::vector<pid_t>& stage_pids_;
    PipelineResult& result_;
    std::size_t first_running_ = 0;  // no stage before it runs
    std::size_t live_stages_ = 0;
    std::vector<bool> stage_done_;
    std::vector<Clock::time_point> started_at_;  // by stage
    std::set<pid_t> callers_children_;           // children from before the run: never reaped here
    std::unordered_map<pid_t, std::optional<int>> root_stage_;  // attribution, by root
    PipelineEnds ends_;
    OutputDrains drains_;
    std::vector<pollfd> poll_entries_;  // the drains', then the fd waited for

    SubreaperScope subreaper_;
    RunSignalsBlocked child_ended_blocked_{RunSignalsBlocked::Which::ChildEnded};
    SignalForwarding signals_;
    unsigned long signals_handled_ = 0;
    bool timed_out_ = false;
    std::optional<Clock::time_point> tree_kill_at_;  // the whole tree is being ended
    // The signal the whole tree is being sent, and who has it already: a process orphaned or
    // forked after one look at the tree gets it at the next.
    struct TreeSignal {
        int signal = 0;
        bool skip_own_group = false;
        std::set<pid_t> sent;
        Clock::time_point next_look{};
    };
    TreeSignal tree_signal_;

    bool ending_descendants_ = false;
    std::optional<Clock::time_point> descendants_kill_at_;
    std::unordered_map<pid_t, std::size_t> descendant_index_;  // into result_.descendants
    Clock::time_point next_descendants_look_{};

    struct HolderEpisode {
        std::size_t pipe;
        Clock::time_point check_at;                // the wait delay's end
        std::optional<Clock::time_point> kill_at;  // once the holders were sent SIGTERM
        std::vector<std::size_t> holders;          // into result_.holders
        bool done = false;
    };
    std::vector<HolderEpisode> episodes_;
    bool finished_ = false;
};

}  // namespace pipex
