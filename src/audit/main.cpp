// pipex-audit's entry point.
#include "cli.hpp"

int main(int argc, char** argv) { return pipex::audit::main(argc, argv); }
