// A farmer as the status API shows it (DESIGN.md §2 "Status").
#pragma once

#include "base/clock.h"
#include "store/token_repository.h"

#include <string>
#include <string_view>

namespace downstream::api {

// {"address", "contracts", "heartbeats", "id", "ip_hash", "last_due", "location": {"city",
// "country", "lat", "lon", "state", "zip"}, "online", "size", "uptime"} at `now_ms`: uptime in
// percent with 2 decimals, contracts and size for online contracts, last_due as ISO 8601 UTC
// (or null), ip_hash a keyed hash of the IP under `ip_hash_key` (never the IP).
std::string farmer_json(const store::TokenRecord& farmer, UnixMillis now_ms,
                        std::string_view ip_hash_key);

// The status API's ip_hash: the first 16 bytes of HMAC-SHA256(key, ip), in hex.
std::string ip_hash(std::string_view ip_hash_key, std::string_view ip);

// `ms` as "2026-11-26T17:00:00Z".
std::string iso8601_utc(UnixMillis ms);

// Percent with 2 decimals, e.g. 0.998712 -> 99.87 (rounded half away from zero).
double uptime_percent(double share);

}  // namespace downstream::api
