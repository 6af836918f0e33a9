// pipex-audit's entry point.
#include "audit/program/cli.hpp"

int main(int argc, char** argv) { return pipex::audit::main(argc, argv); }
