// Runs the real node binary ($DOWNSTREAM_NODE_BINARY, else build/downstream-node) for the CLI
// tests, capturing its output and exit status.
#pragma once

#include <string>
#include <sys/types.h>
#include <vector>

namespace downstream::testing {

struct NodeRun {
    int exit_code = -1;  // -1: killed by a signal or timed out
    std::string out;
    std::string err;
};

// A scratch directory for this test run ($DOWNSTREAM_TEST_SCRATCH, else /tmp/...), created.
std::string scratch_dir();

// Runs `downstream-node ARGS...` to its end (killed after `timeout_s`).
NodeRun run_node(const std::vector<std::string>& args, int timeout_s = 120);

// A node process left running (e.g. maintain), to signal and wait for.
class RunningNode {
public:
    explicit RunningNode(const std::vector<std::string>& args);
    ~RunningNode();
    RunningNode(const RunningNode&) = delete;
    RunningNode& operator=(const RunningNode&) = delete;

    void signal(int signal_number);
    // Waits up to `timeout_ms` for the process to end; false if it is still running.
    bool wait(int timeout_ms);
    NodeRun result() const;  // after wait() returned true

private:
    pid_t pid_ = -1;
    int status_ = 0;
    bool ended_ = false;
    std::string out_path_;
    std::string err_path_;
};

}  // namespace downstream::testing
