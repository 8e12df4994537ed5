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

}  // namespace downstream::store
