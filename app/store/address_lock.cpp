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

}  // namespace

bool lock_address(Transaction& tx, const std::string& address) {
    auto& lock = tx.cached<AddressLock>(AddressLock::kSql);
    lock.address = address;
    return lock.execute() != 0;
}

}  // namespace downstream::store
