#include "store/node_settings_repository.h"

#include "store/database.h"
#include "store/transaction.h"

#include <vector>

namespace downstream::store {
namespace {

using Poco::Data::Keywords::into;
using Poco::Data::Keywords::now;
using Poco::Data::Keywords::use;

std::optional<std::string> read(Transaction& tx, const std::string& name, bool for_update) {
    std::vector<std::string> values;
    std::string key = name;
    tx.session() << (for_update ? "SELECT value FROM node_settings WHERE name = ? FOR UPDATE"
                                : "SELECT value FROM node_settings WHERE name = ?"),
        use(key), into(values), now;
    if (values.empty()) return std::nullopt;
    return values.front();
}

}  // namespace

std::optional<std::string> NodeSettingsRepository::get(const std::string& name) {
    std::optional<std::string> result;
    db_.transact([&](Transaction& tx) { result = read(tx, name, false); });
    return result;
}

void NodeSettingsRepository::set(const std::string& name, const std::string& value,
                                 UnixMillis now_ms) {
    db_.transact([&](Transaction& tx) {
        std::string k = name;
        std::string v = value;
        std::int64_t t = now_ms;
        tx.session() << "INSERT INTO node_settings (name, value, changed_ms) VALUES (?, ?, ?)"
                        " ON DUPLICATE KEY UPDATE value = VALUES(value), changed_ms = VALUES(changed_ms)",
            use(k), use(v), use(t), now;
    });
}

std::string NodeSettingsRepository::set_if_absent(const std::string& name,
                                                  const std::string& value, UnixMillis now_ms) {
    std::string stored;
    db_.transact([&](Transaction& tx) {
        std::string k = name;
        std::string v = value;
        std::int64_t t = now_ms;
        tx.session() << "INSERT IGNORE INTO node_settings (name, value, changed_ms) VALUES (?, ?, ?)",
            use(k), use(v), use(t), now;
        stored = read(tx, name, true).value_or(value);
    });
    return stored;
}

bool NodeSettingsRepository::try_take_lease(const std::string& name, const std::string& holder,
                                            UnixMillis now_ms, UnixMillis period_ms) {
    bool taken = false;
    db_.transact([&](Transaction& tx) {
        taken = false;
        std::string k = name;
        std::string v = holder;
        std::int64_t t = now_ms;
        std::int64_t free_before = now_ms - period_ms;
        Poco::Data::Statement take(tx.session());
        take << "UPDATE node_settings SET value = ?, changed_ms = ? WHERE name = ? AND changed_ms <= ?",
            use(v), use(t), use(k), use(free_before);
        if (take.execute() == 1) {
            taken = true;
            return;
        }
        // Only the first use of the lease gets here (or a loser of the race). Inserting after
        // the UPDATE, never before it: INSERT IGNORE share-locks an existing row, and two
        // callers upgrading their share locks to the UPDATE's exclusive one would deadlock.
        std::string k2 = name;
        std::string v2 = holder;
        std::int64_t t2 = now_ms;
        Poco::Data::Statement create(tx.session());
        create << "INSERT IGNORE INTO node_settings (name, value, changed_ms) VALUES (?, ?, ?)",
            use(k2), use(v2), use(t2);
        taken = create.execute() == 1;
    });
    return taken;
}

}  // namespace downstream::store
