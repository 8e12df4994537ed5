// downstream-node: hands the command line to the CLI (app/node/cli.h).
#include "node/cli.h"

int main(int argc, char** argv) { return downstream::node::run_cli(argc, argv); }
