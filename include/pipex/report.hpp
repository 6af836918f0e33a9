/// @file
/// Reports of a finished run, from its PipelineResult and the spec it ran: a table for people
/// (pipex --report) and JSON for programs (pipex --report-json FILE).
///
///   pipex::RunOptions options;
///   options.count_bytes = true;                    // the bytes columns, from /proc/PID/io
///   pipex::PipelineResult result = pipex::run_pipeline(spec, options);
///   std::fputs(pipex::report_table(spec, result).c_str(), stderr);
///
/// A figure that could not be had is said to be missing ("n/a" and the reason, null in JSON),
/// never printed as 0.
#pragma once

#include <string>

#include "pipex/pipeline.hpp"

namespace pipex {

/// The JSON document's schema_version: raised whenever a field changes meaning or goes away
/// (docs/report-json.md; adding a field keeps it).
inline constexpr int kReportSchemaVersion = 1;

/// One row per stage, aligned: the command, pid, how it ended (exit code or signal name, a benign
/// SIGPIPE marked), wall time, user and system CPU, peak memory, bytes read and written; the
/// slowest stage and the largest peak memory marked; then the descendants containment found and
/// the pipe holders, each with its fate. Lines end with `'\n'`; the first starts "pipex: report".
std::string report_table(const PipelineSpec& spec, const PipelineResult& result);
/// The same table written to `fd` line by line. Returns 0, or the errno of the write that failed.
int write_report_table(int fd, const PipelineSpec& spec, const PipelineResult& result);

/// The same facts as one JSON object (docs/report-json.md), ending with `'\n'`.
std::string report_json(const PipelineSpec& spec, const PipelineResult& result);
/// The same document written to `fd` as it is made, a few KiB at a time: never held whole in
/// memory (a run of thousands of stages). Returns 0, or the errno of the write that failed.
int write_report_json(int fd, const PipelineSpec& spec, const PipelineResult& result);

}  // namespace pipex
