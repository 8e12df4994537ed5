// A farmer's online time: the union of its contracts' lifetimes, kept exactly with O(1) work
// per event. This is the arithmetic of the token summary columns (first_contract_ms,
// online_start_ms, online_end_ms, covered_ms); the SQL in contract_repository.cpp applies the
// same rules in single UPDATE statements, and the integration tests check that both agree.
//
// Events arrive in time order: a contract issued at t that lives until e, and a contract's
// lifetime extended to e' by an accepted proof (only while it is alive, so e' extends the
// current interval).
#pragma once

#include "base/clock.h"

#include <optional>

namespace downstream::store {

class OnlineInterval {
public:
    OnlineInterval() = default;
    // The stored form: first = NULL means no contract yet (then start and end are ignored).
    OnlineInterval(std::optional<UnixMillis> first_contract, UnixMillis start, UnixMillis end,
                   UnixMillis covered);

    // A contract issued at `t` that expires at `expiration` (>= t).
    //   no interval yet: first = start = t, end = expiration
    //   t <= end:        end = max(end, expiration)       (overlaps or touches the interval)
    //   t > end:         covered += end - start; start = t; end = expiration   (a gap)
    void issue(UnixMillis t, UnixMillis expiration);

    // A live contract's lifetime now ends at `expiration`: end = max(end, expiration).
    // Ignored when there is no interval yet.
    void extend(UnixMillis expiration);

    // The share of [first contract, now) during which the farmer was online, in [0, 1];
    // 0 without contracts or when now <= first contract.
    double uptime(UnixMillis now) const;

    // Milliseconds online in [first contract, now).
    UnixMillis online_ms(UnixMillis now) const;

    bool has_contracts() const { return first_.has_value(); }
    std::optional<UnixMillis> first_contract() const { return first_; }
    UnixMillis start() const { return start_; }
    UnixMillis end() const { return end_; }
    UnixMillis covered() const { return covered_; }

    bool operator==(const OnlineInterval& other) const;

private:
    std::optional<UnixMillis> first_;
    UnixMillis start_ = 0;
    UnixMillis end_ = 0;
    UnixMillis covered_ = 0;
};

}  // namespace downstream::store
