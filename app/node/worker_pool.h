// The master process: forks the workers, replaces the ones that die, reloads, drains.
//
//   * `workers` processes run a WorkerMain on the shared listening socket; one that dies
//     unexpectedly (crash, kill -9) is replaced, after a backoff when it keeps dying early
//     (node/restart_backoff.h). Only its in-flight requests fail (nginx answers them 502);
//     connections waiting in the listen backlog are taken by the other workers.
//   * SIGTERM or SIGINT: every worker is told to stop (SIGTERM), finishes its in-flight
//     requests and exits; run() returns when all are gone. A worker still busy after
//     `drain_timeout` is killed. A second SIGTERM/SIGINT kills the workers at once.
//   * SIGHUP: the reload hook re-reads the configuration (in the master, so new workers
//     inherit it through fork); then workers are replaced one by one, each new worker
//     reporting ready before an old one is told to stop (node/worker_plan.h). A reload
//     whose hook fails changes nothing.
// Signals reach the master through a signalfd (no code runs in signal context). The master
// is single-threaded: it must be, to fork safely.
//
// Inside a worker, SIGTERM/SIGINT are blocked and waited for by one thread that makes
// WorkerContext::stop_fd() readable; SIGHUP is ignored (the master handles reloads); the
// worker gets SIGTERM if the master dies (PR_SET_PDEATHSIG).
#pragma once

#include "base/result.h"
#include "node/restart_backoff.h"

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

namespace downstream::node {

// Counters shared by the master and every worker (one anonymous shared memory page), so a
// worker's metrics route can report pool-wide figures.
struct PoolCounters {
    std::atomic<std::uint64_t> worker_restarts{0};  // replacements of dead workers
    std::atomic<std::uint64_t> worker_starts{0};    // every fork, restarts and reloads included
    std::atomic<std::uint64_t> reloads{0};          // successful SIGHUP reloads
    std::atomic<std::uint64_t> workers_running{0};  // worker processes alive now (gauge)
};

// What a worker process gets from the pool.
class WorkerContext {
public:
    WorkerContext(int listen_fd, int stop_fd, int ready_fd, int generation,
                  const PoolCounters& counters)
        : listen_fd_(listen_fd), stop_fd_(stop_fd), ready_fd_(ready_fd),
          generation_(generation), counters_(counters) {}

    // The listening socket (shared by all workers; never shut it down).
    int listen_fd() const { return listen_fd_; }
    // Becomes readable (and stays so) when the worker must stop: stop accepting, finish the
    // requests in flight, return from WorkerMain.
    int stop_fd() const { return stop_fd_; }
    // Tells the master this worker now accepts requests. Call once, after startup work
    // (e.g. from FcgiServer::serve's on_ready); a worker that never does is killed after
    // the ready timeout.
    void ready();
    // 1 for the first set of workers, +1 per reload.
    int generation() const { return generation_; }
    // Live pool-wide counters.
    const PoolCounters& counters() const { return counters_; }

private:
    int listen_fd_;
    int stop_fd_;
    int ready_fd_;
    int generation_;
    const PoolCounters& counters_;
};

// A worker's body: serve until ctx.stop_fd() is readable; the return value is its exit code.
using WorkerMain = std::function<int(WorkerContext&)>;

// Re-reads the configuration in the master on SIGHUP: the number of workers to run from
// now on, or an error (logged; the running workers are kept).
using ReloadHook = std::function<Result<int>()>;

struct WorkerPoolOptions {
    // Config `workers`.
    int workers = 2;
    // How long a stopping worker may take to finish its in-flight requests.
    std::chrono::milliseconds drain_timeout{30000};
    // How long a new worker may take to report ready.
    std::chrono::milliseconds ready_timeout{30000};
    RestartBackoff::Policy backoff;
};

class WorkerPool {
public:
    // `listen_fd` stays owned by the caller and open for the pool's lifetime.
    WorkerPool(int listen_fd, WorkerPoolOptions options, WorkerMain worker_main,
               ReloadHook reload = {});
    ~WorkerPool();
    WorkerPool(const WorkerPool&) = delete;
    WorkerPool& operator=(const WorkerPool&) = delete;

    // Runs the master until SIGTERM/SIGINT has stopped every worker. Blocks SIGCHLD, SIGTERM,
    // SIGINT and SIGHUP in the calling thread while it runs (call it from the main thread of
    // a single-threaded process). Returns 0, or 1 when a worker had to be killed.
    int run();

    const PoolCounters& counters() const { return *counters_; }

private:
    struct Worker;
    struct SharedCounters;

    void fork_worker();
    [[noreturn]] void run_child(int ready_fd);
    void reap();
    void read_signals();
    void read_ready_pipes(const std::vector<int>& fds);
    void begin_shutdown(bool force);
    void stop_worker(Worker& worker);
    void enforce_deadlines();
    void reconcile();
    int poll_timeout_ms() const;

    int listen_fd_;
    WorkerPoolOptions options_;
    WorkerMain worker_main_;
    ReloadHook reload_;
    RestartBackoff backoff_;
    std::unique_ptr<SharedCounters> shared_;
    PoolCounters* counters_ = nullptr;

    int signal_fd_ = -1;
    int generation_ = 1;
    int target_ = 0;
    bool shutting_down_ = false;
    bool killed_any_ = false;
    std::chrono::steady_clock::time_point next_start_{};
    std::vector<Worker> workers_;
};

}  // namespace downstream::node
