// Filtering, sorting and paging the farmers of a status snapshot at a request's "now"
// (docs/STATUS_API.md): ties on the sort key break by farmer id ascending in both
// directions, id and address compare as binary strings, a page past the end is empty.
#pragma once

#include "api/status_snapshot.h"
#include "base/clock.h"

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace downstream::api {

enum class SortKey { Id, Address, Uptime, Heartbeats, Contracts, Size, Online };

// "id", "address", "uptime", "heartbeats", "contracts", "size" or "online"; nothing for any
// other text (the route answers 400).
std::optional<SortKey> parse_sort_key(std::string_view text);

struct ListQuery {
    SortKey key = SortKey::Id;
    bool descending = false;
    bool online_only = false;
    std::optional<std::uint64_t> limit;  // none: every farmer
    std::uint64_t page = 0;              // 0-based, in units of `limit`
};

// Positions in `snapshot.farmers` of the rows `query` selects at `now`, in order. Costs
// O(n) plus O(k log k) for the k rows up to the end of the page (a full sort only without a
// limit). Sort values are the ones the farmer object shows at `now`: uptime to 2 decimals,
// contracts and size 0 when offline, online = an unexpired contract.
std::vector<std::uint32_t> select_farmers(const StatusSnapshot& snapshot, const ListQuery& query,
                                          UnixMillis now);

// The totals of status/summary (docs/STATUS_API.md) at `now`.
struct StatusSummary {
    std::int64_t farmers = 0;
    std::int64_t online = 0;
    std::int64_t countries = 0;   // distinct countries among online farmers
    std::int64_t size = 0;        // bytes online
    std::int64_t heartbeats = 0;  // over all farmers
    // Located farmers: online first, then by id; at most max_points.
    std::vector<std::uint32_t> points;
};

StatusSummary summarize(const StatusSnapshot& snapshot, UnixMillis now, std::size_t max_points = 10000);

}  // namespace downstream::api
