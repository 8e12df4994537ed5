// An in-memory StatusStore for the status tests.
#pragma once

#include "store/status_repository.h"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace downstream::testing {

// An in-memory StatusStore with the semantics of the SQL (ordering, cursors, the lease),
// recording what the index asked for.
class FakeStatusStore final : public store::StatusStore {
public:
    std::vector<store::TokenRecord> rows;       // the tokens table
    std::vector<store::FarmerDeletion> deletions;
    bool fail = false;
    int full_pages = 0, change_queries = 0, deletion_queries = 0, sweeps = 0;
    std::int64_t lease_ms = -1000000;
    std::vector<store::FeedCursor> change_cursors;

    std::vector<store::TokenRecord> farmers_after(std::int64_t after, std::size_t limit) override {
        check();
        ++full_pages;
        auto sorted = rows;
        std::sort(sorted.begin(), sorted.end(), [](auto& a, auto& b) { return a.id < b.id; });
        std::vector<store::TokenRecord> out;
        for (auto& r : sorted)
            if (r.id > after && out.size() < limit) out.push_back(r);
        return out;
    }
    std::vector<store::TokenRecord> changed_after(store::FeedCursor c, std::size_t limit) override {
        check();
        ++change_queries;
        change_cursors.push_back(c);
        auto sorted = rows;
        std::sort(sorted.begin(), sorted.end(), [](auto& a, auto& b) {
            return std::make_pair(a.changed_ms, a.id) < std::make_pair(b.changed_ms, b.id);
        });
        std::vector<store::TokenRecord> out;
        for (auto& r : sorted)
            if (std::make_pair(r.changed_ms, r.id) > std::make_pair(c.ms, c.id) && out.size() < limit) out.push_back(r);
        return out;
    }
    std::vector<store::FarmerDeletion> deleted_after(store::FeedCursor c, std::size_t limit) override {
        check();
        ++deletion_queries;
        std::vector<store::FarmerDeletion> out;
        for (auto& d : deletions)
            if (std::make_pair(d.deleted_ms, d.id) > std::make_pair(c.ms, c.id) && out.size() < limit) out.push_back(d);
        return out;
    }
    store::FeedWatermarks watermarks() override {
        check();
        store::FeedWatermarks m;
        for (auto& r : rows) m.changed_ms = std::max(m.changed_ms, r.changed_ms);
        for (auto& d : deletions) m.deleted_ms = std::max(m.deleted_ms, d.deleted_ms);
        return m;
    }
    std::optional<store::SweepReport> sweep_if_due(UnixMillis now, UnixMillis period, const std::string&) override {
        check();
        if (lease_ms > now - period) return std::nullopt;
        lease_ms = now;
        ++sweeps;
        return store::SweepReport{};
    }

    void remove(const std::string& farmer_id, UnixMillis at) {
        rows.erase(std::remove_if(rows.begin(), rows.end(), [&](auto& r) { return r.farmer_id == farmer_id; }),
                   rows.end());
        deletions.push_back(store::FarmerDeletion{static_cast<std::int64_t>(deletions.size() + 1), farmer_id, at});
    }
    store::TokenRecord& row(const std::string& farmer_id) {
        for (auto& r : rows)
            if (r.farmer_id == farmer_id) return r;
        throw std::logic_error("no row " + farmer_id);
    }

private:
    void check() const {
        if (fail) throw std::runtime_error("database down");
    }
};

}  // namespace downstream::testing
