// The node's secret heartbeat key: a file readable only by the node's user, created by initdb
// if missing, identical on every host of one node. The database records the key's
// fingerprint; every command that depends on the key refuses a key that does not match, since
// a changed key silently invalidates every issued contract and pool chunk.
#pragma once

#include "base/result.h"
#include "node/config.h"

#include <string>

namespace downstream::store {
class NodeSettingsRepository;
}

namespace downstream::node {

// The size of a Merkle key; a Swizzle key is the scheme's private heartbeat (213 bytes with a
// 128-byte prime).
inline constexpr std::size_t kHeartbeatKeySize = 32;

struct HeartbeatKey {
    std::string path;
    HeartbeatType type = HeartbeatType::Merkle;
    std::string bytes;        // 32 random bytes (Merkle) or the private heartbeat (Swizzle)
    std::string fingerprint;  // SHA-256 of the key, 32 raw bytes
    std::string fingerprint_hex() const;
};

// Reads the key file of a `type` node. Errors say what to do (missing file: run initdb or copy
// the key from another host; not a key of this scheme). A file readable by group or others is
// accepted with a warning.
Result<HeartbeatKey> load_heartbeat_key(const std::string& path, HeartbeatType type);

// Creates the key file (and its directory) with mode 0600 if it does not exist, atomically (a
// racing creator's key wins and is loaded), then loads it: 32 random bytes for Merkle, a new
// private heartbeat (keys and a fresh prime) for Swizzle. `created` tells whether this call
// made it.
Result<HeartbeatKey> create_heartbeat_key_if_missing(const std::string& path, HeartbeatType type,
                                                     bool& created);

// Compares the key with the fingerprint recorded in the database. Fails with a message for
// the operator when the database records another fingerprint, or none (initdb not run).
Status check_heartbeat_key(const HeartbeatKey& key, store::NodeSettingsRepository& settings);

}  // namespace downstream::node
