// An immutable, compact picture of every farmer's summary: what the status list and summary
// routes sort, filter and page in memory (docs/DECISIONS.md, "status index").
//
// Farmers are kept sorted by farmer id (binary order), so a farmer is found by binary search
// and "ties by id ascending" is "ties by position". Ids and addresses are fixed arrays inside
// the entry; locations are interned in a shared table (far fewer distinct places than
// farmers) with their JSON pre-rendered; the IP is kept only as its ip_hash.
#pragma once

#include "base/clock.h"
#include "store/online_interval.h"
#include "store/token_repository.h"

#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace downstream::api {

// One distinct place, with the JSON the status API shows for it.
struct InternedLocation {
    store::Location location;
    std::string json;
    bool located = false;         // lat and lon are both known (the farmer is on the map)
    std::uint32_t country = 0;    // index into LocationTable::countries, 0 = unknown
};

// Every distinct place seen so far; entry 0 is "nowhere" (all null). Immutable once shared.
struct LocationTable {
    std::vector<InternedLocation> places;
    std::vector<std::string> countries;  // countries[0] is "" (unknown)
};

// One farmer, 144 bytes. Times are UnixMillis; kNone marks an absent one.
struct FarmerEntry {
    static constexpr std::int64_t kNone = std::numeric_limits<std::int64_t>::min();
    static constexpr std::size_t kIdSize = 20;
    static constexpr std::size_t kInlineAddress = 35;  // any 25-byte base58check address
    static constexpr std::uint32_t kNoLongAddress = std::numeric_limits<std::uint32_t>::max();

    std::int64_t heartbeats = 0;
    std::int64_t size_online = 0;
    std::int64_t first_contract_ms = kNone;
    std::int64_t online_start_ms = 0;
    std::int64_t online_end_ms = 0;
    std::int64_t covered_ms = 0;
    std::int64_t last_due_ms = kNone;
    std::int32_t contracts_online = 0;
    std::uint32_t location = 0;                   // index into LocationTable::places
    std::uint32_t long_address = kNoLongAddress;  // index into StatusSnapshot::long_addresses
    std::uint8_t ip_hash[16] = {};
    char id[kIdSize] = {};
    char address[kInlineAddress] = {};
    std::uint8_t address_size = 0;                // bytes used of `address` when inline

    std::string_view farmer_id() const { return std::string_view(id, kIdSize); }
    store::OnlineInterval online() const;
};

// A complete picture at one moment. Never changes once published; readers share it.
struct StatusSnapshot {
    std::vector<FarmerEntry> farmers;  // sorted by farmer_id, unique
    std::shared_ptr<const LocationTable> locations;
    // Addresses longer than kInlineAddress (rare); a deleted farmer's stays until the next
    // full load.
    std::vector<std::string> long_addresses;

    std::string_view address(const FarmerEntry& farmer) const;
    const InternedLocation& place(const FarmerEntry& farmer) const {
        return locations->places[farmer.location];
    }
    // The entry with this farmer id, or null.
    const FarmerEntry* find(std::string_view farmer_id) const;
    // Bytes held by this snapshot (the entries, long addresses; the shared location table
    // counted in full).
    std::size_t memory_bytes() const;
};

// Builds snapshots: interns locations and turns database rows into entries. Not thread-safe;
// the index uses one builder under its refresh lock. Rows with a malformed farmer id are
// skipped.
class SnapshotBuilder {
public:
    explicit SnapshotBuilder(std::string ip_hash_key);

    // A full load in pages: start_full() forgets every interned place (and reserves room for
    // `expected_rows` entries), add_full() converts a
    // page of rows (so a load never holds more than one page of database rows), finish_full()
    // returns the snapshot of every row added.
    void start_full(std::size_t expected_rows = 0);
    void add_full(const std::vector<store::TokenRecord>& rows);
    std::shared_ptr<const StatusSnapshot> finish_full();

    // A snapshot of exactly `rows`: start_full, add_full, finish_full.
    std::shared_ptr<const StatusSnapshot> build(const std::vector<store::TokenRecord>& rows);

    // The rows of `changed` that differ from `base` (new farmers, or any shown value or the
    // IP changed), and the ids of `deleted` that `base` holds: a delta read again (the
    // index re-reads a margin of recent changes) yields nothing the second time.
    std::vector<store::TokenRecord> news(const StatusSnapshot& base,
                                         std::vector<store::TokenRecord> changed);
    std::vector<std::string> present(const StatusSnapshot& base, std::vector<std::string> deleted) const;

    // `base` with `changed` farmers replaced or added and `deleted` farmer ids removed (a
    // farmer both changed and deleted is removed). `base` must come from this builder since
    // its last full load (it shares the location table).
    std::shared_ptr<const StatusSnapshot> apply(const StatusSnapshot& base,
                                                const std::vector<store::TokenRecord>& changed,
                                                const std::vector<std::string>& deleted);

private:
    FarmerEntry entry(const store::TokenRecord& row, std::vector<std::string>& long_addresses);
    std::uint32_t intern(const store::Location& location);
    // Publishes the table if interning added places since the last call.
    std::shared_ptr<const LocationTable> current_table();

    std::string ip_hash_key_;
    std::shared_ptr<LocationTable> table_;            // being extended
    std::shared_ptr<const LocationTable> published_;  // the last one handed out
    std::map<std::string, std::uint32_t> place_ids_;  // location JSON -> index
    std::map<std::string, std::uint32_t> country_ids_;
    std::shared_ptr<StatusSnapshot> loading_;         // a full load in progress
};

}  // namespace downstream::api
