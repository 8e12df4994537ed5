#include "store/address_repository.h"

#include "store/database.h"
#include "store/sql_binding.h"
#include "store/token_removal.h"
#include "store/transaction.h"

#include <unordered_map>
#include <unordered_set>

namespace downstream::store {
namespace {

using Poco::Data::Keywords::into;
using Poco::Data::Keywords::now;
using Poco::Data::Keywords::use;
using Poco::Data::Keywords::useRef;

// Rows per multi-row INSERT: big enough to amortise round trips, small enough for any
// max_allowed_packet and Galera write set.
constexpr std::size_t kRowsPerInsert = 500;

}  // namespace

WhitelistChange AddressRepository::replace(const std::vector<WhitelistEntry>& entries,
                                           UnixMillis now_ms) {
    WhitelistChange change;
    db_.transact([&](Transaction& tx) {
        change = WhitelistChange{};
        // Lock the whole list: concurrent token creation for a removed address waits, then
        // finds it gone.
        std::vector<std::int64_t> ids;
        std::vector<std::string> addresses;
        std::vector<std::int64_t> balances;
        tx.session() << "SELECT id, address, crowdsale_balance FROM addresses FOR UPDATE",
            into(ids), into(addresses), into(balances), now;
        std::unordered_map<std::string, std::int64_t> existing;
        for (std::size_t i = 0; i < addresses.size(); ++i) existing.emplace(addresses[i], balances[i]);

        std::vector<const WhitelistEntry*> to_write;
        std::unordered_set<std::string> listed;
        for (const WhitelistEntry& e : entries) {
            listed.insert(e.address);
            const auto it = existing.find(e.address);
            if (it == existing.end()) {
                ++change.added;
                to_write.push_back(&e);
            } else if (it->second != e.balance) {
                ++change.updated;
                to_write.push_back(&e);
            } else {
                ++change.unchanged;
            }
        }

        std::int64_t at = now_ms;
        for (std::size_t begin = 0; begin < to_write.size(); begin += kRowsPerInsert) {
            const std::size_t end = std::min(to_write.size(), begin + kRowsPerInsert);
            std::string sql = "INSERT INTO addresses (address, crowdsale_balance, created_ms, changed_ms) VALUES ";
            for (std::size_t i = begin; i < end; ++i) sql += (i == begin ? "(?, ?, ?, ?)" : ", (?, ?, ?, ?)");
            // changed_ms is assigned before crowdsale_balance, so it compares with the old value.
            sql += " ON DUPLICATE KEY UPDATE"
                   " changed_ms = IF(crowdsale_balance = VALUES(crowdsale_balance), changed_ms, VALUES(changed_ms)),"
                   " crowdsale_balance = VALUES(crowdsale_balance)";
            Poco::Data::Statement st(tx.session());
            st << sql;
            for (std::size_t i = begin; i < end; ++i)
                st, useRef(to_write[i]->address), useRef(to_write[i]->balance), use(at), use(at);
            st.execute();
        }

        // Everything not listed goes, with its tokens.
        std::vector<std::string> gone;
        for (const std::string& a : addresses)
            if (!listed.count(a)) gone.push_back(a);
        std::vector<std::int64_t> token_ids;
        for (std::string& a : gone) {
            std::vector<std::int64_t> ids_for_address;
            tx.session() << "SELECT id FROM tokens WHERE address = ?", use(a),
                into(ids_for_address), now;
            token_ids.insert(token_ids.end(), ids_for_address.begin(), ids_for_address.end());
        }
        const RemovalCounts removed = remove_tokens(tx, token_ids, now_ms);
        change.tokens_removed = removed.tokens;
        change.contracts_removed = removed.contracts;
        for (std::string& a : gone) {
            tx.session() << "DELETE FROM addresses WHERE address = ?", use(a), now;
            ++change.removed;
        }
    });
    return change;
}

bool AddressRepository::add(const WhitelistEntry& entry, UnixMillis now_ms) {
    bool added = false;
    db_.transact([&](Transaction& tx) {
        std::string address = entry.address;
        std::int64_t balance = entry.balance;
        std::int64_t at = now_ms;
        Poco::Data::Statement st(tx.session());
        st << "INSERT IGNORE INTO addresses (address, crowdsale_balance, created_ms, changed_ms)"
              " VALUES (?, ?, ?, ?)",
            use(address), use(balance), use(at), use(at);
        added = st.execute() == 1;
    });
    return added;
}

std::optional<AddressRecord> AddressRepository::find(const std::string& address) {
    std::optional<AddressRecord> result;
    db_.transact([&](Transaction& tx) {
        result.reset();
        std::string a = address;
        std::vector<std::int64_t> ids, balances, created, changed;
        tx.session() << "SELECT id, crowdsale_balance, created_ms, changed_ms FROM addresses"
                        " WHERE address = ?",
            use(a), into(ids), into(balances), into(created), into(changed), now;
        if (!ids.empty())
            result = AddressRecord{ids[0], address, balances[0], created[0], changed[0]};
    });
    return result;
}

std::int64_t AddressRepository::count() {
    std::int64_t n = 0;
    db_.transact([&](Transaction& tx) {
        tx.session() << "SELECT COUNT(*) FROM addresses", into(n), now;
    });
    return n;
}

}  // namespace downstream::store
