#include "cli.hpp"

int main(int argc, char** argv) { return audit::main(argc, argv); }
