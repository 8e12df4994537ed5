// The Ops* suites run against a complete node stack (scripts/node-stack.sh) started by
// scripts/test-ops.sh: real `serve`, nginx, MariaDB. Where it is (environment):
//
//   DOWNSTREAM_HTTP_URL        nginx, e.g. http://127.0.0.1:18150 (integration/http/stack_client.h)
//   DOWNSTREAM_HTTP_PID_FILE   the pool master's pid file (DIR/run/serve.pid)
//   DOWNSTREAM_OPS_DIR         the stack's folder (node.conf, mariadb/, log/serve.log)
//   DOWNSTREAM_OPS_CONFIG      a config file layered over DIR/node.conf that tests rewrite
//                              before a SIGHUP
//   DOWNSTREAM_OPS_WORKERS     the number of workers the stack runs
#pragma once

#include "support/prometheus_page.h"

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace downstream::testing {

std::string ops_dir();
int ops_workers();

// Runs the node's CLI with the stack's configuration; returns its stdout and stderr; a
// non-zero exit fails the test.
std::string run_node_cli(const std::string& arguments);

// Runs a shell command from the repository root; returns its exit code.
int run_shell(const std::string& command);

// Replaces the layered config file's text.
void write_ops_config(const std::string& text);

// GET /metrics through nginx, checked to be a valid page.
PromPage scrape_metrics();

struct HealthReply {
    int status = 0;
    std::string body;
    long pid = 0;
    int generation = 0;
};
// GET /health through nginx.
HealthReply health();

// The pids of the workers answering /health: asks until `ops_workers()` distinct pids of
// `generation` (any when 0) answered and the last 20 answers came from them only. Requests
// that fail are counted in `failures` when given, else they fail the test.
std::set<long> answering_workers(int generation, long* failures = nullptr,
                                 std::chrono::seconds within = std::chrono::seconds(20));

// A new token for `address` (GET /new; the stack does not require signatures).
std::string new_token(const std::string& address);

// A client sending cheap requests (GET /api/downstream/v1/) from `threads` threads until
// finished, counting answers that were not 200 {"msg":"ok"}.
class SteadyClient {
public:
    explicit SteadyClient(int threads);
    ~SteadyClient();
    SteadyClient(const SteadyClient&) = delete;
    SteadyClient& operator=(const SteadyClient&) = delete;
    void finish();
    long ok() const;
    long failed() const;
    std::vector<std::string> failures() const;  // what the first few failures were

private:
    struct State;
    std::unique_ptr<State> state_;
};

// True when `pid` has exited (or is a zombie).
bool process_gone(pid_t pid);

}  // namespace downstream::testing
