#include "store/online_interval.h"

#include <algorithm>

namespace downstream::store {

OnlineInterval::OnlineInterval(std::optional<UnixMillis> first_contract, UnixMillis start,
                               UnixMillis end, UnixMillis covered)
    : first_(first_contract),
      start_(first_contract ? start : 0),
      end_(first_contract ? end : 0),
      covered_(first_contract ? covered : 0) {}

void OnlineInterval::issue(UnixMillis t, UnixMillis expiration) {
    if (!first_) {
        first_ = t;
        start_ = t;
        end_ = expiration;
    } else if (t <= end_) {
        end_ = std::max(end_, expiration);
    } else {
        covered_ += end_ - start_;
        start_ = t;
        end_ = expiration;
    }
}

void OnlineInterval::extend(UnixMillis expiration) {
    if (first_) end_ = std::max(end_, expiration);
}

UnixMillis OnlineInterval::online_ms(UnixMillis now) const {
    if (!first_ || now <= *first_) return 0;
    return covered_ + std::max<UnixMillis>(0, std::min(now, end_) - start_);
}

double OnlineInterval::uptime(UnixMillis now) const {
    if (!first_ || now <= *first_) return 0.0;
    const double share = static_cast<double>(online_ms(now)) / static_cast<double>(now - *first_);
    return std::min(1.0, std::max(0.0, share));
}

bool OnlineInterval::operator==(const OnlineInterval& other) const {
    return first_ == other.first_ && start_ == other.start_ && end_ == other.end_ &&
           covered_ == other.covered_;
}

}  // namespace downstream::store
