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

    BashRun bash = run_bash(sandbox, bash_equivalent(c), env, signals, config.timeout);
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
