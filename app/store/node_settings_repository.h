// Node-wide named values kept in the database (table node_settings), such as the fingerprint
// of the heartbeat key that every issued contract depends on.
#pragma once

#include "base/clock.h"

#include <optional>
#include <string>

namespace downstream::store {

class Database;

// Setting names.
inline constexpr const char* kHeartbeatKeyFingerprint = "heartbeat_key_fingerprint";
// The lease of the status sweep (StatusRepository::sweep_if_due): value = who took it last,
// changed_ms = when.
inline constexpr const char* kStatusSweepLease = "status_sweep_lease";

class NodeSettingsRepository {
public:
    explicit NodeSettingsRepository(Database& db) : db_(db) {}

    // The value stored under `name`, if any.
    std::optional<std::string> get(const std::string& name);

    // Stores `value` under `name`, replacing any earlier value.
    void set(const std::string& name, const std::string& value, UnixMillis now);

    // Stores `value` only if `name` has no value yet; returns the value stored afterwards
    // (the earlier one if there was one). Two hosts racing both see the same winner.
    std::string set_if_absent(const std::string& name, const std::string& value, UnixMillis now);

    // Takes the lease `name` for `holder` if nobody took it within the last `period_ms`
    // (by the taker's clock): true for exactly one of any number of racing callers per
    // period, on one server or a Galera cluster (a conditional UPDATE of one row; the row is
    // created on first use).
    bool try_take_lease(const std::string& name, const std::string& holder, UnixMillis now,
                        UnixMillis period_ms);

private:
    Database& db_;
};

}  // namespace downstream::store
