// pipex-audit as a program: options, running COMMAND under the tracer, the reports, the exit
// status.
#pragma once

namespace pipex::audit {

int main(int argc, char** argv);

}  // namespace pipex::audit
