// A farmer as the status API shows it (DESIGN.md §2 "Status", docs/STATUS_API.md).
#pragma once

#include "base/clock.h"
#include "json/json.h"
#include "store/token_repository.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace downstream::api {

// One farmer's values at the moment of a request, ready to render. Views only: whatever
// they point into must outlive the rendering.
struct FarmerView {
    std::string_view id;
    std::string_view address;
    std::string_view location_json;  // a location object (location_json() below)
    std::string_view ip_hash;        // 32 lower-case hex characters
    double uptime = 0.0;             // percent with 2 decimals (uptime_percent)
    std::int64_t heartbeats = 0;
    std::int64_t contracts = 0;      // 0 when offline
    std::int64_t size = 0;           // 0 when offline
    bool online = false;
    std::optional<UnixMillis> last_due_ms;
};

// {"address", "contracts", "heartbeats", "id", "ip_hash", "last_due", "location", "online",
// "size", "uptime"} (keys in this order), last_due as ISO 8601 UTC or null. `w` must be at a
// place where a value may start.
void write_farmer(json::Writer& w, const FarmerView& farmer);

// {"city", "country", "lat", "lon", "state", "zip"}, each null where unknown.
std::string location_json(const store::Location& location);

// The farmer's values at `now_ms`: online = at least one contract unexpired (the end of the
// online interval lies after now); contracts and size are the summary counters, 0 when
// offline; uptime = the online share of [first contract, now) in percent.
struct FarmerFigures {
    bool online = false;
    std::int64_t contracts = 0;
    std::int64_t size = 0;
    double uptime = 0.0;
};
FarmerFigures farmer_figures(const store::OnlineInterval& online, std::int64_t contracts_online,
                             std::int64_t size_online, UnixMillis now_ms);

// The whole farmer object of `farmer` at `now_ms`; ip_hash under `ip_hash_key`.
std::string farmer_json(const store::TokenRecord& farmer, UnixMillis now_ms,
                        std::string_view ip_hash_key);

// The status API's ip_hash: the first 16 bytes of HMAC-SHA256(key, ip), in hex.
std::string ip_hash(std::string_view ip_hash_key, std::string_view ip);

// `ms` as "2026-11-26T17:00:00Z".
std::string iso8601_utc(UnixMillis ms);

// Percent with 2 decimals, e.g. 0.998712 -> 99.87 (rounded half away from zero).
double uptime_percent(double share);

// The same value as an integer number of hundredths of a percent (9987): what the list
// routes sort by, so that farmers shown with equal uptime are ordered by id.
std::int64_t uptime_hundredths(double share);

}  // namespace downstream::api
