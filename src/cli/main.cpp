// pipex's entry point.
#include "cli.hpp"

int main(int argc, char** argv) { return pipex::cli::main(argc, argv); }
