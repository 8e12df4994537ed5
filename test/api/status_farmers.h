// Hand-made farmers for the status tests, with their values worked out by hand at kNow
// (see the table below); each test asserts against these numbers, never against the code.
//
//  farmer  address  heartbeats  first..now  online interval           covered  uptime   online  contracts/size shown
//  ..0a    1Bbb     10          none        -                         -        0 %      no      0 / 0
//  ..0b    1Aaa     50          100 s       [now-100 s, now+50 s)     0        100 %    yes     3 / 3000
//  ..0c    1Ccc     50          400 s       [now-200 s, now-100 s)    100 s    50 %     no      0 / 0 (counters 2/2000 unswept)
//  ..0d    1Aaa     7           1000 s      [now-100 s, now+10 s)     400 s    50 %     yes     1 / 5000
//  ..0e    1aaa     0           300 s       [now-300 s, now-299 s)    0        0.33 %   no      0 / 0
//  ..0f    1Bbb     10          3000 s      [now-3000 s, now+1 s)     0        100 %    yes     3 / 1000
//
// Places: 0b and 0f London (United Kingdom), 0d Milton (United States), 0c Linköping (Sweden),
// 0e Bhutan with no coordinates, 0a unknown.
#pragma once

#include "store/token_repository.h"

#include <string>
#include <vector>

namespace downstream::testing {

inline constexpr std::int64_t kNow = 1700000000000LL;
inline constexpr std::int64_t kSecond = 1000;

inline store::Location london() {
    return {std::string("London"), std::string("United Kingdom"), std::string("England"), std::nullopt, 51.5142, -0.0931};
}
inline store::Location milton() {
    return {std::string("Milton"), std::string("United States"), std::string("Washington"), std::string("98354"),
            47.2513, -122.3149};
}
inline store::Location linkoping() {
    return {std::string("Link\xc3\xb6ping"), std::string("Sweden"), std::string("\xc3\x96sterg\xc3\xb6tland County"),
            std::nullopt, 58.4167, 15.6167};
}
inline store::Location bhutan() {
    return {std::nullopt, std::string("Bhutan"), std::nullopt, std::nullopt, std::nullopt, std::nullopt};
}

// A farmer row as the store returns it. `first` < 0 means no contract yet.
inline store::TokenRecord farmer_row(const std::string& id, const std::string& address, std::int64_t heartbeats,
                                     std::int64_t first, std::int64_t start, std::int64_t end,
                                     std::int64_t covered, std::int64_t contracts, std::int64_t size,
                                     store::Location location, std::int64_t changed_ms = 1) {
    static std::int64_t row_id = 0;
    store::TokenRecord r;
    r.id = ++row_id;
    r.farmer_id = id;
    r.address = address;
    r.ip = "10.0.0." + std::to_string(r.id % 250);
    r.location = std::move(location);
    r.heartbeats = heartbeats;
    if (first >= 0) r.online = store::OnlineInterval(first, start, end, covered);
    r.contracts_online = contracts;
    r.size_online = size;
    if (first >= 0) r.last_due_ms = end;
    r.changed_ms = changed_ms;
    return r;
}

inline std::vector<store::TokenRecord> six_farmers() {
    const std::int64_t s = kSecond;
    const std::int64_t t = kNow;
    // Deliberately not in id order: the snapshot sorts.
    return {
        farmer_row("0000000000000000000d", "1Aaa", 7, t - 1000 * s, t - 100 * s, t + 10 * s, 400 * s, 1, 5000, milton()),
        farmer_row("0000000000000000000a", "1Bbb", 10, -1, 0, 0, 0, 0, 0, store::Location{}),
        farmer_row("0000000000000000000b", "1Aaa", 50, t - 100 * s, t - 100 * s, t + 50 * s, 0, 3, 3000, london()),
        farmer_row("0000000000000000000c", "1Ccc", 50, t - 400 * s, t - 200 * s, t - 100 * s, 100 * s, 2, 2000, linkoping()),
        farmer_row("0000000000000000000f", "1Bbb", 10, t - 3000 * s, t - 3000 * s, t + 1 * s, 0, 3, 1000, london()),
        farmer_row("0000000000000000000e", "1aaa", 0, t - 300 * s, t - 300 * s, t - 299 * s, 0, 0, 0, bhutan()),
    };
}

}  // namespace downstream::testing
