#include "node/worker_plan.h"

namespace downstream::node {

WorkerPlan plan_workers(const std::vector<WorkerView>& workers, int generation, int target,
                        bool may_start) {
    WorkerPlan plan;
    std::vector<const WorkerView*> current_ready, current_starting, old;
    for (const auto& w : workers) {
        if (w.stopping) continue;
        if (w.generation != generation) {
            old.push_back(&w);
        } else if (w.ready) {
            current_ready.push_back(&w);
        } else {
            current_starting.push_back(&w);
        }
    }
    // Too many of the current generation (the target went down): starting ones go first.
    int current = static_cast<int>(current_ready.size() + current_starting.size());
    while (current > target) {
        if (!current_starting.empty()) {
            plan.stop.push_back(current_starting.back()->id);
            current_starting.pop_back();
        } else {
            plan.stop.push_back(current_ready.back()->id);
            current_ready.pop_back();
        }
        --current;
    }
    // Retire old workers as ready new ones take over their capacity.
    const int ready = static_cast<int>(current_ready.size());
    std::size_t retire = 0;
    while (retire < old.size() && ready + static_cast<int>(old.size() - retire) > target) {
        plan.stop.push_back(old[retire]->id);
        ++retire;
    }
    if (may_start && current < target) {
        if (old.size() == retire) {
            plan.start = target - current;
        } else if (current_starting.empty()) {
            plan.start = 1;
        }
    }
    return plan;
}

}  // namespace downstream::node
