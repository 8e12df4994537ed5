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

// Uptime in hundredths of a percent, rounded half up: `online_ms` of `elapsed_ms` (9987 for
// 99.87 %); 0 when elapsed_ms <= 0, at most 10000. What the farmer object shows (divided by
// 100) and what the list routes sort by, so farmers shown with equal uptime are ordered by id.
// One floating division, no library call: the lists compute it for every farmer per request.
inline std::int64_t uptime_hundredths(std::int64_t online_ms, std::int64_t elapsed_ms) {
    if (elapsed_ms <= 0 || online_ms <= 0) return 0;
    if (online_ms >= elapsed_ms) return 10000;
    return static_cast<std::int64_t>(static_cast<double>(online_ms) * 10000.0 / static_cast<double>(elapsed_ms) + 0.5);
}

// The same for an online interval at `now_ms`.
std::int64_t uptime_hundredths(const store::OnlineInterval& online, UnixMillis now_ms);

}  // namespace downstream::api
