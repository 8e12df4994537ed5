// The command line of the node binary:
//
//   downstream-node [--config FILE]... [--log-level LEVEL] COMMAND [ARGS]
//
// with the original spellings too (--initdb, --whitelist FILE, --generate-chunk SIZE,
// --maintain MIN MAX TOTAL BASE, --cleandb, --clearchunks, --revoke-token TOKEN).
#pragma once

namespace downstream::node {

// Runs the command line and returns the process exit code (kExitOk, kExitFailure,
// kExitUsage). Never throws.
int run_cli(int argc, char** argv);

}  // namespace downstream::node
