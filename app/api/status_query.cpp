#include "api/status_query.h"

#include "api/farmer_json.h"

#include <algorithm>
#include <array>
#include <utility>

namespace downstream::api {
namespace {

bool is_online(const FarmerEntry& f, UnixMillis now) {
    return f.first_contract_ms != FarmerEntry::kNone && now < f.online_end_ms;
}

// The shown uptime in hundredths of a percent, from the entry's fields directly (this runs
// for every farmer of every list request sorted by uptime).
std::int64_t uptime_key(const FarmerEntry& f, UnixMillis now) {
    if (f.first_contract_ms == FarmerEntry::kNone) return 0;
    const std::int64_t online = f.covered_ms + std::max<std::int64_t>(0, std::min(now, f.online_end_ms) - f.online_start_ms);
    return uptime_hundredths(online, now - f.first_contract_ms);
}

std::int64_t numeric_key(const FarmerEntry& f, SortKey key, UnixMillis now) {
    switch (key) {
    case SortKey::Uptime: return uptime_key(f, now);
    case SortKey::Heartbeats: return f.heartbeats;
    case SortKey::Contracts: return is_online(f, now) ? f.contracts_online : 0;
    case SortKey::Size: return is_online(f, now) ? f.size_online : 0;
    case SortKey::Online: return is_online(f, now) ? 1 : 0;
    case SortKey::Id:
    case SortKey::Address: break;
    }
    return 0;
}

// The ranks [begin, end) a page covers among `count` rows; empty when past the end (computed
// without overflow for any limit and page).
std::pair<std::size_t, std::size_t> page_range(std::size_t count, const ListQuery& query) {
    if (!query.limit) return {0, count};
    const std::uint64_t limit = *query.limit;
    if (limit == 0 || query.page > count / limit) return {0, 0};
    const auto begin = static_cast<std::size_t>(query.page * limit);
    if (begin >= count) return {0, 0};
    return {begin, static_cast<std::size_t>(std::min<std::uint64_t>(count, begin + limit))};
}

// Sorts `rows` so that [begin, end) holds the rows of those ranks in order (the rest in no
// particular order): selection first, then sorting only what is shown.
template <class Row, class Less>
void sort_range(std::vector<Row>& rows, std::size_t begin, std::size_t end, Less less) {
    if (begin > 0) std::nth_element(rows.begin(), rows.begin() + static_cast<std::ptrdiff_t>(begin), rows.end(), less);
    if (end - begin == rows.size() - begin)
        std::sort(rows.begin() + static_cast<std::ptrdiff_t>(begin), rows.end(), less);
    else
        std::partial_sort(rows.begin() + static_cast<std::ptrdiff_t>(begin),
                          rows.begin() + static_cast<std::ptrdiff_t>(end), rows.end(), less);
}

}  // namespace

std::optional<SortKey> parse_sort_key(std::string_view text) {
    static constexpr std::array<std::pair<std::string_view, SortKey>, 7> kKeys{{
        {"id", SortKey::Id},
        {"address", SortKey::Address},
        {"uptime", SortKey::Uptime},
        {"heartbeats", SortKey::Heartbeats},
        {"contracts", SortKey::Contracts},
        {"size", SortKey::Size},
        {"online", SortKey::Online},
    }};
    for (const auto& [name, key] : kKeys)
        if (name == text) return key;
    return std::nullopt;
}

std::vector<std::uint32_t> select_farmers(const StatusSnapshot& snapshot, const ListQuery& query,
                                          UnixMillis now) {
    const auto& farmers = snapshot.farmers;
    const bool desc = query.descending;
    const auto n = static_cast<std::uint32_t>(farmers.size());
    auto slice = [](const auto& rows, std::pair<std::size_t, std::size_t> range, auto position) {
        std::vector<std::uint32_t> out;
        out.reserve(range.second - range.first);
        for (std::size_t r = range.first; r < range.second; ++r) out.push_back(position(rows[r]));
        return out;
    };

    if (query.key == SortKey::Id || query.key == SortKey::Address) {
        std::vector<std::uint32_t> rows;
        rows.reserve(farmers.size());
        for (std::uint32_t i = 0; i < n; ++i)
            if (!query.online_only || is_online(farmers[i], now)) rows.push_back(i);
        const auto range = page_range(rows.size(), query);
        // Positions follow farmer id order, so "ties by id ascending" is "ties by position".
        if (query.key == SortKey::Id) {
            if (desc) std::reverse(rows.begin(), rows.end());
        } else {
            auto less = [&](std::uint32_t a, std::uint32_t b) {
                const int c = snapshot.address(farmers[a]).compare(snapshot.address(farmers[b]));  // unsigned bytes
                if (c != 0) return desc ? c > 0 : c < 0;
                return a < b;
            };
            if (range.first < range.second) sort_range(rows, range.first, range.second, less);
        }
        return slice(rows, range, [](std::uint32_t i) { return i; });
    }

    using Keyed = std::pair<std::int64_t, std::uint32_t>;  // sort value, position
    std::vector<Keyed> keyed;
    keyed.reserve(farmers.size());
    // One loop per key (the switch outside it): this runs over every farmer per request.
    auto fill = [&](auto value_of) {
        for (std::uint32_t i = 0; i < n; ++i)
            if (!query.online_only || is_online(farmers[i], now)) keyed.emplace_back(value_of(farmers[i]), i);
    };
    switch (query.key) {
    case SortKey::Uptime: fill([now](const FarmerEntry& f) { return uptime_key(f, now); }); break;
    case SortKey::Heartbeats: fill([](const FarmerEntry& f) { return f.heartbeats; }); break;
    default: fill([&](const FarmerEntry& f) { return numeric_key(f, query.key, now); }); break;
    }
    const auto range = page_range(keyed.size(), query);
    auto less = [desc](const Keyed& a, const Keyed& b) {
        if (a.first != b.first) return desc ? a.first > b.first : a.first < b.first;
        return a.second < b.second;
    };
    if (range.first < range.second) sort_range(keyed, range.first, range.second, less);
    return slice(keyed, range, [](const Keyed& k) { return k.second; });
}

StatusSummary summarize(const StatusSnapshot& snapshot, UnixMillis now, std::size_t max_points) {
    StatusSummary s;
    const auto& farmers = snapshot.farmers;
    std::vector<bool> countries(snapshot.locations ? snapshot.locations->countries.size() : 0, false);
    std::vector<std::uint32_t> online_points, offline_points;
    s.farmers = static_cast<std::int64_t>(farmers.size());
    for (std::uint32_t i = 0; i < farmers.size(); ++i) {
        const FarmerEntry& f = farmers[i];
        const bool online = is_online(f, now);
        const InternedLocation& place = snapshot.place(f);
        s.heartbeats += f.heartbeats;
        if (online) {
            ++s.online;
            s.size += f.size_online;
            if (place.country != 0 && !countries[place.country]) {
                countries[place.country] = true;
                ++s.countries;
            }
        }
        // Positions are in id order: each list is already sorted by id.
        if (place.located) {
            if (online) {
                if (online_points.size() < max_points) online_points.push_back(i);
            } else if (offline_points.size() < max_points) {
                offline_points.push_back(i);
            }
        }
    }
    s.points = std::move(online_points);
    const std::size_t room = max_points - std::min(max_points, s.points.size());
    s.points.insert(s.points.end(), offline_points.begin(),
                    offline_points.begin() + static_cast<std::ptrdiff_t>(std::min(room, offline_points.size())));
    return s;
}

}  // namespace downstream::api
