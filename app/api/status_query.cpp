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

std::int64_t numeric_key(const FarmerEntry& f, SortKey key, UnixMillis now) {
    switch (key) {
    case SortKey::Uptime: return uptime_hundredths(f.online().uptime(now));
    case SortKey::Heartbeats: return f.heartbeats;
    case SortKey::Contracts: return is_online(f, now) ? f.contracts_online : 0;
    case SortKey::Size: return is_online(f, now) ? f.size_online : 0;
    case SortKey::Online: return is_online(f, now) ? 1 : 0;
    case SortKey::Id:
    case SortKey::Address: break;
    }
    return 0;
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
    std::vector<std::uint32_t> rows;
    rows.reserve(query.online_only ? farmers.size() / 2 : farmers.size());
    for (std::uint32_t i = 0; i < farmers.size(); ++i)
        if (!query.online_only || is_online(farmers[i], now)) rows.push_back(i);

    // The ranks to return: [begin, end).
    std::size_t begin = 0;
    std::size_t end = rows.size();
    if (query.limit) {
        const std::uint64_t limit = *query.limit;
        if (limit == 0 || query.page >= rows.size() / limit + 1) return {};
        begin = static_cast<std::size_t>(query.page * limit);
        if (begin >= rows.size()) return {};
        end = static_cast<std::size_t>(std::min<std::uint64_t>(rows.size(), begin + limit));
    }
    const bool desc = query.descending;

    // Positions follow farmer id order, so "ties by id ascending" is "ties by position".
    if (query.key == SortKey::Id) {
        if (desc) std::reverse(rows.begin(), rows.end());
    } else if (query.key == SortKey::Address) {
        auto less = [&](std::uint32_t a, std::uint32_t b) {
            const std::string_view x = snapshot.address(farmers[a]);
            const std::string_view y = snapshot.address(farmers[b]);
            const int c = x.compare(y);  // char_traits<char>::compare: unsigned bytes
            if (c != 0) return desc ? c > 0 : c < 0;
            return a < b;
        };
        sort_range(rows, begin, end, less);
    } else {
        std::vector<std::pair<std::int64_t, std::uint32_t>> keyed;
        keyed.reserve(rows.size());
        for (std::uint32_t i : rows) keyed.emplace_back(numeric_key(farmers[i], query.key, now), i);
        auto less = [desc](const std::pair<std::int64_t, std::uint32_t>& a,
                           const std::pair<std::int64_t, std::uint32_t>& b) {
            if (a.first != b.first) return desc ? a.first > b.first : a.first < b.first;
            return a.second < b.second;
        };
        sort_range(keyed, begin, end, less);
        for (std::size_t r = begin; r < end; ++r) rows[r] = keyed[r].second;
    }
    return std::vector<std::uint32_t>(rows.begin() + static_cast<std::ptrdiff_t>(begin),
                                      rows.begin() + static_cast<std::ptrdiff_t>(end));
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
