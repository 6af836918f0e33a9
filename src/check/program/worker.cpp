// A worker: one case from its sandbox to its result.
#include "check/program/worker.hpp"

#include <linux/close_range.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <exception>

#include "audit/trace/launcher.hpp"
#include "check/cases/bash_line.hpp"
#include "check/program/case_result.hpp"
#include "check/run/bash_run.hpp"
#include "check/run/program_run.hpp"
#include "check/run/sandbox.hpp"
#include "check/run/valgrind_run.hpp"
#include "check/verdict/behaviour.hpp"
#include "check/verdict/hygiene.hpp"
#include "pipex/base/io.hpp"
#include "pipex/base/system_error.hpp"

namespace pipex::check {
namespace {

std::vector<std::string> still_in_tmp(const std::optional<std::vector<std::string>>& names) {
    std::vector<std::string> left;
    if (!names) return left;
    struct stat st {};
    for (const std::string& name : *names)
        if (::lstat(("/tmp/" + name).c_str(), &st) == 0) left.push_back(name);
    return left;
}

void check_with_valgrind(const Sandbox& sandbox, const Case& c, const RunEnvironment& env,
                         const audit::SignalGate& signals, const WorkerConfig& config,
                         CaseResult& result) {
    lay_out_twins(sandbox, c);
    ValgrindResult valgrind = run_under_valgrind(sandbox, c, env, signals, config.timeout);
    if (!valgrind.skipped.empty()) {
        result.notes.push_back(valgrind.skipped);
    } else if (valgrind.timed_out) {
        result.notes.push_back("valgrind: the run did not end in time: leaks not checked");
    } else if (!valgrind.summarised) {
        result.notes.push_back(
            "valgrind could not run the program (built with a sanitizer?): leaks not checked");
    } else if (!valgrind.saw_allocations) {
        result.notes.push_back(
            "valgrind saw no allocation at all (a static program, or one built with a "
            "sanitizer): leaks not checked");
    } else if (valgrind.definitely_lost > 0) {
        result.failures.push_back(
            {FailureKind::MemoryLeak,
             "valgrind: " + std::to_string(valgrind.definitely_lost) + " bytes in " +
                 std::to_string(valgrind.lost_blocks) + " blocks definitely lost by " +
                 sandbox.program_name +
                 " (its own process; children are not followed).\n"
                 "Fix: free what you allocate before every exit, error paths included."});
    }
}

CaseResult judge(const Case& c, const WorkerConfig& config, const audit::SignalGate& signals) {
    CaseResult result;
    Sandbox sandbox = enter_sandbox(config.program);
    // If pipex-check dies, so does the worker, and with it (PTRACE_O_EXITKILL) the traced tree.
    // Set after the sandbox: a change of user clears it.
    if (::prctl(PR_SET_PDEATHSIG, SIGKILL) != 0)
        throw SystemError(errno, "prctl(PR_SET_PDEATHSIG)");
    if (!sandbox.private_tmp)
        result.notes.push_back("/tmp not checked (no private /tmp: " + sandbox.private_tmp_off +
                               ")");
    if (!c.note.empty()) result.notes.push_back(c.note);
    lay_out_twins(sandbox, c);
    RunEnvironment env(c, sandbox.root);

    BashRun bash =
        run_bash(sandbox, bash_equivalent(c), env, signals, config.timeout, c.signal_after_start);
    if (bash.interrupted) throw std::runtime_error("interrupted");
    if (bash.timed_out) {
        result.trouble = "bash itself did not end within the timeout: not judged";
        leave_sandbox(sandbox);
        return result;
    }
    const auto start = std::chrono::steady_clock::now();
    ProgramRun program = run_program(sandbox, c, env, signals, config.timeout);
    result.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (program.findings.received_signal) throw std::runtime_error("interrupted");
    if (!program.outcome.top_started) {
        result.trouble = "the program could not be started (errno " +
                         std::to_string(program.outcome.exec_error) + ")";
        leave_sandbox(sandbox);
        return result;
    }
    HygieneInput hygiene{program,        sandbox.program_name, sandbox.program_folder(),
                         config.timeout, std::nullopt,         still_in_tmp(program.tmp_created)};
    FolderState bash_files = folder_state(sandbox.bash_folder());
    FolderState program_files = folder_state(sandbox.program_folder());
    // Files made in /tmp: a second run tells a fixed name from a fresh one.
    if (program.tmp_created && !program.tmp_created->empty() && !program.timed_out) {
        for (const std::string& name : hygiene.tmp_left) ::unlink(("/tmp/" + name).c_str());
        lay_out_twins(sandbox, c);
        hygiene.second_tmp_created =
            run_program(sandbox, c, env, signals, config.timeout).tmp_created;
    }
    if (!program.timed_out)
        result.failures =
            compare_behaviour(c, {bash, program, bash_files, program_files, sandbox.program_name});
    for (Failure& failure : check_hygiene(c, hygiene))
        result.failures.push_back(std::move(failure));
    if (c.valgrind && !program.timed_out)
        check_with_valgrind(sandbox, c, env, signals, config, result);
    leave_sandbox(sandbox);
    return result;
}

}  // namespace

void run_worker(const Case& c, std::size_t index, const WorkerConfig& config,
                int result_fd) noexcept {
    CaseResult result;
    result.index = index;
    int status = 0;
    try {
        // The runs start with 0, 1 and 2 alone: what pipex-check's caller left open is not
        // theirs (and would be blamed on the program).
        if (::close_range(3, ~0U, CLOSE_RANGE_CLOEXEC) != 0)
            throw SystemError(errno, "close_range");
        // The runs must start with the caller's mask, not pipex-check's.
        ::sigprocmask(SIG_SETMASK, &config.caller_mask, nullptr);
        // Orphans of the runs come here, where the tracer and end_leftovers reap them.
        if (::prctl(PR_SET_CHILD_SUBREAPER, 1) != 0)
            throw SystemError(errno, "prctl(PR_SET_CHILD_SUBREAPER)");
        audit::SignalGate signals;
        result = judge(c, config, signals);
        result.index = index;
    } catch (const audit::TraceImpossible& error) {
        result.trouble = error.what();
    } catch (const std::exception& error) {
        result.trouble = error.what();
        status = 1;
    }
    (void)write_all(result_fd, encode_result(result));
    ::_exit(status);
}

}  // namespace pipex::check
