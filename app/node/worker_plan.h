// The master's decision, as a pure function: which workers to start and which to stop.
//
// Workers belong to a generation (bumped by every successful reload). The plan keeps
// `target` workers of the current generation and retires older ones without ever dropping
// below the capacity that is ready:
//   * no old workers: start every missing worker at once (startup, crash replacement);
//   * old workers present (a reload is rolling): start one new worker at a time, and stop
//     an old one only when a new one is ready -- so the new worker is up before the old
//     one is told to stop, one by one;
//   * surplus workers (a reload lowered the count) are stopped, not-yet-ready ones first.
#pragma once

#include <vector>

namespace downstream::node {

struct WorkerView {
    int id = 0;           // the caller's handle (e.g. the pid)
    int generation = 0;
    bool ready = false;   // has reported that it accepts requests
    bool stopping = false;
};

struct WorkerPlan {
    int start = 0;             // new workers of the current generation to fork now
    std::vector<int> stop;     // ids to tell to stop (SIGTERM)
};

// `may_start` is false while a crash backoff is running.
WorkerPlan plan_workers(const std::vector<WorkerView>& workers, int generation, int target,
                        bool may_start);

}  // namespace downstream::node
