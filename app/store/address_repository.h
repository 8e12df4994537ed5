// The whitelist of addresses allowed to hold tokens (table addresses).
#pragma once

#include "base/clock.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace downstream::store {

class Database;

struct WhitelistEntry {
    std::string address;
    std::int64_t balance = 0;  // crowdsale balance
};

struct AddressRecord {
    std::int64_t id = 0;
    std::string address;
    std::int64_t balance = 0;
    UnixMillis created_ms = 0;
    UnixMillis changed_ms = 0;
};

struct WhitelistChange {
    std::size_t added = 0;
    std::size_t updated = 0;    // balance changed
    std::size_t unchanged = 0;
    std::size_t removed = 0;    // addresses no longer listed
    std::size_t tokens_removed = 0;
    std::size_t contracts_removed = 0;
};

class AddressRepository {
public:
    explicit AddressRepository(Database& db) : db_(db) {}

    // Makes the whitelist exactly `entries` in one transaction: new addresses are added,
    // balances updated, and every address not listed is removed together with its tokens,
    // their contracts and files. Entries must have distinct addresses (the caller validated
    // them); all or nothing is applied.
    WhitelistChange replace(const std::vector<WhitelistEntry>& entries, UnixMillis now);

    // Adds one address if it is not listed yet; true if added, false if it was already
    // there (its balance is then left as it is).
    bool add(const WhitelistEntry& entry, UnixMillis now);

    std::optional<AddressRecord> find(const std::string& address);

    std::int64_t count();

private:
    Database& db_;
};

}  // namespace downstream::store
