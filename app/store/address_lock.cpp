#include "store/address_lock.h"

namespace downstream::store {
namespace {

using Poco::Data::Keywords::use;

// Kept prepared in the session: every /new and /chunk request takes the lock.
struct AddressLock : CachedStatement {
    static constexpr const char* kSql =
        "UPDATE addresses SET lock_version = lock_version + 1 WHERE address = ?";
    std::string address;
    explicit AddressLock(Poco::Data::Session& session) : CachedStatement(session) {
        statement << kSql, use(address);
    }
};

struct AddressLockWithBalance : CachedStatement {
    static constexpr const char* kSql =
        "UPDATE addresses SET lock_version = lock_version + 1"
        " WHERE address = ? AND crowdsale_balance >= ?";
    std::string address;
    std::int64_t min_balance = 0;
    explicit AddressLockWithBalance(Poco::Data::Session& session) : CachedStatement(session) {
        statement << kSql, use(address), use(min_balance);
    }
};

}  // namespace

bool lock_address_with_balance(Transaction& tx, const std::string& address,
                               std::int64_t min_balance) {
    auto& lock = tx.cached<AddressLockWithBalance>(AddressLockWithBalance::kSql);
    lock.address = address;
    lock.min_balance = min_balance;
    // lock_version always changes, so a matched row is always an affected row.
    return lock.execute() != 0;
}

bool lock_address(Transaction& tx, const std::string& address) {
    auto& lock = tx.cached<AddressLock>(AddressLock::kSql);
    lock.address = address;
    return lock.execute() != 0;
}

}  // namespace downstream::store
