// The pipex command line: arguments to a PipelineSpec, errors to stderr as "pipex: WHAT: WHY",
// and the pipeline's status (or its signal) as pipex's own.
#pragma once

namespace pipex::cli {

int main(int argc, char** argv);

}  // namespace pipex::cli
