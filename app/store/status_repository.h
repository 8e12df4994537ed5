// What the status index (app/api/status_index) reads from the database: farmer summaries in
// pages, the changes and deletions since a cursor, and the cluster-wide sweep of expired
// contracts. Each query is served by an index (test/integration/store/schema_test.cpp checks
// the EXPLAIN plans).
#pragma once

#include "base/clock.h"
#include "store/contract_repository.h"
#include "store/token_repository.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace downstream::store {

class Database;

// A position in the change feed: rows ordered by (changed_ms, id), or for deletions by
// (deleted_ms, id). Reading "after" a cursor returns the rows strictly behind it, so paging
// never skips nor repeats rows that share a time.
struct FeedCursor {
    UnixMillis ms = 0;
    std::int64_t id = 0;
};

// A removed farmer (table token_deletions).
struct FarmerDeletion {
    std::int64_t id = 0;  // the deletion record's id (for the cursor)
    std::string farmer_id;
    UnixMillis deleted_ms = 0;
};

// The newest times in the change feeds (0 when a feed is empty).
struct FeedWatermarks {
    UnixMillis changed_ms = 0;
    UnixMillis deleted_ms = 0;
};

// The status index's view of the store: the seam its tests replace with a fake.
class StatusStore {
public:
    virtual ~StatusStore() = default;

    // Up to `limit` farmers whose row id is greater than `after_id`, by row id (the primary
    // key: a full load reads the table in order). TokenRecord::token_hash is left empty.
    virtual std::vector<TokenRecord> farmers_after(std::int64_t after_id, std::size_t limit) = 0;

    // Up to `limit` farmers whose (changed_ms, id) comes after `cursor`, in that order, with
    // their current summary. token_hash is left empty.
    virtual std::vector<TokenRecord> changed_after(FeedCursor cursor, std::size_t limit) = 0;

    // Up to `limit` deletion records whose (deleted_ms, id) comes after `cursor`, in order.
    virtual std::vector<FarmerDeletion> deleted_after(FeedCursor cursor, std::size_t limit) = 0;

    virtual FeedWatermarks watermarks() = 0;

    // Sweeps expired contracts (ContractRepository::sweep_expired at `now`) if this caller
    // wins the cluster-wide sweep lease, which is granted at most once per `period_ms` over
    // all hosts and workers sharing the database (a conditional UPDATE of one node_settings
    // row). Returns the sweep's report when it ran, nothing when another caller holds the
    // lease.
    virtual std::optional<SweepReport> sweep_if_due(UnixMillis now, UnixMillis period_ms,
                                                    const std::string& holder) = 0;
};

class StatusRepository final : public StatusStore {
public:
    StatusRepository(Database& db, ContractRepository& contracts) : db_(db), contracts_(contracts) {}

    std::vector<TokenRecord> farmers_after(std::int64_t after_id, std::size_t limit) override;
    std::vector<TokenRecord> changed_after(FeedCursor cursor, std::size_t limit) override;
    std::vector<FarmerDeletion> deleted_after(FeedCursor cursor, std::size_t limit) override;
    FeedWatermarks watermarks() override;
    std::optional<SweepReport> sweep_if_due(UnixMillis now, UnixMillis period_ms,
                                            const std::string& holder) override;

private:
    Database& db_;
    ContractRepository& contracts_;
};

}  // namespace downstream::store
