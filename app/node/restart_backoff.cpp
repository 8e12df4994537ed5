#include "node/restart_backoff.h"

#include <algorithm>

namespace downstream::node {

std::chrono::milliseconds RestartBackoff::on_crash(std::chrono::milliseconds lifetime) {
    if (lifetime >= policy_.healthy_after) {
        consecutive_ = 0;
        return std::chrono::milliseconds{0};
    }
    ++consecutive_;
    std::chrono::milliseconds wait = policy_.initial;
    for (int i = 1; i < consecutive_ && wait < policy_.ceiling; ++i) wait *= 2;
    return std::min(wait, policy_.ceiling);
}

}  // namespace downstream::node
