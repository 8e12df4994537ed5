#include "api/status_snapshot.h"

#include "api/farmer_json.h"
#include "crypto/hmac_sha256.h"
#include "encoding/hex.h"

#include <algorithm>
#include <cstring>
#include <optional>

namespace downstream::api {
namespace {

bool valid_farmer_id(std::string_view id) { return encoding::is_hex(id, FarmerEntry::kIdSize); }

bool by_id(const FarmerEntry& a, const FarmerEntry& b) {
    return std::memcmp(a.id, b.id, FarmerEntry::kIdSize) < 0;
}

// The entry's id against a text id, as binary strings of equal length.
int compare_id(const FarmerEntry& entry, std::string_view id) {
    return std::memcmp(entry.id, id.data(), FarmerEntry::kIdSize);
}

// The entry holds the row's counters and times (everything but id, address, IP and place).
bool same_figures(const FarmerEntry& e, const store::TokenRecord& row) {
    const auto first = row.online.first_contract();
    if (first ? e.first_contract_ms != *first : e.first_contract_ms != FarmerEntry::kNone) return false;
    if (first && (e.online_start_ms != row.online.start() || e.online_end_ms != row.online.end() ||
                  e.covered_ms != row.online.covered()))
        return false;
    return e.heartbeats == row.heartbeats && e.size_online == row.size_online &&
           e.contracts_online == row.contracts_online &&
           e.last_due_ms == row.last_due_ms.value_or(FarmerEntry::kNone);
}

}  // namespace

store::OnlineInterval FarmerEntry::online() const {
    if (first_contract_ms == kNone) return {};
    return store::OnlineInterval(first_contract_ms, online_start_ms, online_end_ms, covered_ms);
}

std::string_view StatusSnapshot::address(const FarmerEntry& farmer) const {
    if (farmer.long_address != FarmerEntry::kNoLongAddress) return long_addresses[farmer.long_address];
    return std::string_view(farmer.address, farmer.address_size);
}

const FarmerEntry* StatusSnapshot::find(std::string_view farmer_id) const {
    if (farmer_id.size() != FarmerEntry::kIdSize) return nullptr;
    auto it = std::lower_bound(farmers.begin(), farmers.end(), farmer_id,
                               [](const FarmerEntry& e, std::string_view id) { return compare_id(e, id) < 0; });
    if (it == farmers.end() || compare_id(*it, farmer_id) != 0) return nullptr;
    return &*it;
}

std::size_t StatusSnapshot::memory_bytes() const {
    std::size_t bytes = sizeof(*this) + farmers.capacity() * sizeof(FarmerEntry);
    for (const std::string& a : long_addresses) bytes += sizeof(a) + a.capacity();
    if (locations) {
        bytes += sizeof(LocationTable) + locations->places.capacity() * sizeof(InternedLocation);
        for (const InternedLocation& p : locations->places) {
            bytes += p.json.capacity();
            for (const auto* s : {&p.location.city, &p.location.country, &p.location.state, &p.location.zip})
                if (*s) bytes += s->value().capacity();
        }
        for (const std::string& c : locations->countries) bytes += sizeof(c) + c.capacity();
    }
    return bytes;
}

SnapshotBuilder::SnapshotBuilder(std::string ip_hash_key) : ip_hash_key_(std::move(ip_hash_key)) {}

std::uint32_t SnapshotBuilder::intern(const store::Location& location) {
    std::string json = location_json(location);
    if (auto it = place_ids_.find(json); it != place_ids_.end()) return it->second;
    if (table_ == published_) table_ = std::make_shared<LocationTable>(*table_);  // copy on write
    InternedLocation place;
    place.location = location;
    place.located = location.lat.has_value() && location.lon.has_value();
    if (location.country) {
        auto [it, added] = country_ids_.emplace(*location.country,
                                                static_cast<std::uint32_t>(table_->countries.size()));
        if (added) table_->countries.push_back(*location.country);
        place.country = it->second;
    }
    place.json = json;
    const auto index = static_cast<std::uint32_t>(table_->places.size());
    table_->places.push_back(std::move(place));
    place_ids_.emplace(std::move(json), index);
    return index;
}

std::shared_ptr<const LocationTable> SnapshotBuilder::current_table() {
    published_ = table_;
    return published_;
}

FarmerEntry SnapshotBuilder::entry(const store::TokenRecord& row, std::vector<std::string>& long_addresses) {
    FarmerEntry e;
    std::memcpy(e.id, row.farmer_id.data(), FarmerEntry::kIdSize);
    if (row.address.size() <= FarmerEntry::kInlineAddress) {
        std::memcpy(e.address, row.address.data(), row.address.size());
        e.address_size = static_cast<std::uint8_t>(row.address.size());
    } else {
        e.long_address = static_cast<std::uint32_t>(long_addresses.size());
        long_addresses.push_back(row.address);
    }
    const std::string hash = crypto::hmac_sha256(ip_hash_key_, row.ip);
    std::memcpy(e.ip_hash, hash.data(), sizeof e.ip_hash);
    e.location = intern(row.location);
    e.heartbeats = row.heartbeats;
    e.size_online = row.size_online;
    e.contracts_online = static_cast<std::int32_t>(row.contracts_online);
    if (auto first = row.online.first_contract()) {
        e.first_contract_ms = *first;
        e.online_start_ms = row.online.start();
        e.online_end_ms = row.online.end();
        e.covered_ms = row.online.covered();
    }
    e.last_due_ms = row.last_due_ms.value_or(FarmerEntry::kNone);
    return e;
}

void SnapshotBuilder::start_full(std::size_t expected_rows) {
    table_ = std::make_shared<LocationTable>();
    published_.reset();
    place_ids_.clear();
    country_ids_.clear();
    table_->countries.emplace_back();
    intern(store::Location{});  // index 0: nowhere
    loading_ = std::make_shared<StatusSnapshot>();
    loading_->farmers.reserve(expected_rows);
}

void SnapshotBuilder::add_full(const std::vector<store::TokenRecord>& rows) {
    for (const store::TokenRecord& row : rows)
        if (valid_farmer_id(row.farmer_id)) loading_->farmers.push_back(entry(row, loading_->long_addresses));
}

std::shared_ptr<const StatusSnapshot> SnapshotBuilder::finish_full() {
    std::shared_ptr<StatusSnapshot> snapshot = std::move(loading_);
    auto& farmers = snapshot->farmers;
    std::sort(farmers.begin(), farmers.end(), by_id);
    // Farmer ids are unique in the table; a duplicate could only come from a bug upstream.
    farmers.erase(std::unique(farmers.begin(), farmers.end(),
                              [](const FarmerEntry& a, const FarmerEntry& b) { return !by_id(a, b) && !by_id(b, a); }),
                  farmers.end());
    farmers.shrink_to_fit();
    snapshot->locations = current_table();
    return snapshot;
}

std::shared_ptr<const StatusSnapshot> SnapshotBuilder::build(const std::vector<store::TokenRecord>& rows) {
    start_full();
    add_full(rows);
    return finish_full();
}

std::vector<store::TokenRecord> SnapshotBuilder::news(const StatusSnapshot& base,
                                                      std::vector<store::TokenRecord> changed) {
    std::vector<store::TokenRecord> result;
    for (store::TokenRecord& row : changed) {
        if (!valid_farmer_id(row.farmer_id)) continue;
        const FarmerEntry* old = base.find(row.farmer_id);
        // The plain fields first; the IP's keyed hash only when all else is equal.
        if (old && same_figures(*old, row) && base.address(*old) == row.address &&
            base.place(*old).location == row.location) {
            const std::string hash = crypto::hmac_sha256(ip_hash_key_, row.ip);
            if (std::memcmp(hash.data(), old->ip_hash, sizeof old->ip_hash) == 0) continue;
        }
        result.push_back(std::move(row));
    }
    return result;
}

std::vector<std::string> SnapshotBuilder::present(const StatusSnapshot& base,
                                                  std::vector<std::string> deleted) const {
    deleted.erase(std::remove_if(deleted.begin(), deleted.end(),
                                 [&](const std::string& id) { return base.find(id) == nullptr; }),
                  deleted.end());
    return deleted;
}

std::shared_ptr<const StatusSnapshot> SnapshotBuilder::apply(const StatusSnapshot& base,
                                                             const std::vector<store::TokenRecord>& changed,
                                                             const std::vector<std::string>& deleted) {
    auto snapshot = std::make_shared<StatusSnapshot>();
    // Long addresses keep their indexes: the base's are copied, new ones appended (an
    // address never changes, so a replaced farmer reuses its own).
    snapshot->long_addresses = base.long_addresses;

    // The edits in id order: a new entry (added or replacing) or none (deleted). Of several
    // rows for one id the last wins; a deletion beats any row.
    struct Edit {
        std::string_view id;
        std::optional<FarmerEntry> entry;
    };
    std::vector<Edit> edits;
    std::vector<std::string> scratch;
    for (const store::TokenRecord& row : changed) {
        if (!valid_farmer_id(row.farmer_id)) continue;
        scratch.clear();
        FarmerEntry e = entry(row, scratch);
        if (!scratch.empty()) {
            const FarmerEntry* old = base.find(row.farmer_id);
            if (old && old->long_address != FarmerEntry::kNoLongAddress && base.address(*old) == row.address) {
                e.long_address = old->long_address;
            } else {
                e.long_address = static_cast<std::uint32_t>(snapshot->long_addresses.size());
                snapshot->long_addresses.push_back(row.address);
            }
        }
        edits.push_back(Edit{row.farmer_id, e});
    }
    for (const std::string& id : deleted)
        if (valid_farmer_id(id)) edits.push_back(Edit{id, std::nullopt});
    std::stable_sort(edits.begin(), edits.end(), [](const Edit& a, const Edit& b) {
        if (a.id != b.id) return a.id < b.id;
        return a.entry.has_value() && !b.entry.has_value();  // deletions last: they win
    });

    auto& out = snapshot->farmers;
    out.reserve(base.farmers.size() + edits.size());
    auto cursor = base.farmers.begin();
    for (std::size_t i = 0; i < edits.size(); ++i) {
        if (i + 1 < edits.size() && edits[i + 1].id == edits[i].id) continue;  // a later edit wins
        const Edit& edit = edits[i];
        const auto at = std::lower_bound(cursor, base.farmers.end(), edit.id,
                                         [](const FarmerEntry& e, std::string_view id) { return compare_id(e, id) < 0; });
        out.insert(out.end(), cursor, at);  // unchanged entries, in one copy
        cursor = at;
        if (cursor != base.farmers.end() && compare_id(*cursor, edit.id) == 0) ++cursor;  // replaced or deleted
        if (edit.entry) out.push_back(*edit.entry);
    }
    out.insert(out.end(), cursor, base.farmers.end());
    snapshot->locations = current_table();
    return snapshot;
}

}  // namespace downstream::api
