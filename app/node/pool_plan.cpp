#include "node/pool_plan.h"

#include <limits>
#include <string>

namespace downstream::node {

Result<std::vector<PoolTarget>> plan_pool(std::int64_t min_size, std::int64_t max_size,
                                          std::int64_t total_bytes, std::int64_t base) {
    if (min_size < 1) return make_error("MIN must be at least 1 byte");
    if (max_size < min_size) return make_error("MAX must be at least MIN");
    if (base < 2) return make_error("BASE must be at least 2");
    if (total_bytes < 1) return make_error("TOTAL must be at least 1 byte");
    std::vector<PoolTarget> targets;
    for (std::int64_t size = min_size; size <= max_size;) {
        targets.push_back(PoolTarget{size, 0});
        if (size > std::numeric_limits<std::int64_t>::max() / base) break;
        size *= base;
    }
    const std::int64_t share = total_bytes / static_cast<std::int64_t>(targets.size());
    bool any = false;
    for (PoolTarget& t : targets) {
        t.count = share / t.size;
        any = any || t.count > 0;
    }
    if (!any)
        return make_error("TOTAL (" + std::to_string(total_bytes) + " bytes) is too small: each of the " +
                          std::to_string(targets.size()) + " sizes gets " + std::to_string(share) +
                          " bytes, less than one chunk of " + std::to_string(min_size) + " bytes");
    return targets;
}

std::vector<std::int64_t> next_chunk_sizes(const std::vector<PoolTarget>& targets,
                                           const std::map<std::int64_t, std::int64_t>& have,
                                           std::size_t max_chunks, std::int64_t max_bytes) {
    std::vector<std::int64_t> planned(targets.size(), 0);
    for (std::size_t i = 0; i < targets.size(); ++i)
        if (const auto it = have.find(targets[i].size); it != have.end()) planned[i] = it->second;
    std::vector<std::int64_t> sizes;
    std::int64_t bytes = 0;
    while (sizes.size() < max_chunks) {
        // The least full size (fill ratio planned/count), ties to the smaller size.
        std::size_t best = targets.size();
        for (std::size_t i = 0; i < targets.size(); ++i) {
            if (targets[i].count == 0 || planned[i] >= targets[i].count) continue;
            if (best == targets.size() ||
                static_cast<__int128>(planned[i]) * targets[best].count <
                    static_cast<__int128>(planned[best]) * targets[i].count)
                best = i;
        }
        if (best == targets.size()) break;
        if (!sizes.empty() && bytes + targets[best].size > max_bytes) break;
        sizes.push_back(targets[best].size);
        bytes += targets[best].size;
        ++planned[best];
    }
    return sizes;
}

}  // namespace downstream::node
