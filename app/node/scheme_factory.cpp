#include "node/scheme_factory.h"

#include "base/log.h"
#include "node/heartbeat_key.h"
#include "node/interim_scheme.h"

#include <atomic>

namespace downstream::node {

Result<std::unique_ptr<proof::HeartbeatScheme>> make_heartbeat_scheme(const Config& config,
                                                                      const HeartbeatKey& key) {
    // TODO(integrator): when app/proof's schemes are merged, return them here:
    //   Merkle:  the Merkle heartbeat keyed with key.bytes, config.heartbeat_check_fraction and
    //            config.heartbeat_challenges;
    //   Swizzle: the Swizzle heartbeat (its key format may differ from 32 random bytes: adapt
    //            create_heartbeat_key_if_missing in heartbeat_key.cpp too).
    // Until then both types run the InterimScheme, whose pool chunks are tagged "Interim" and
    // are therefore never handed out once the real scheme is in place (run clearchunks).
    static std::atomic<bool> warned{false};
    if (!warned.exchange(true))
        log::warn(std::string("heartbeat.type = ") +
                  (config.heartbeat_type == HeartbeatType::Merkle ? "merkle" : "swizzle") +
                  ": that scheme is not built into this binary yet; using the interim scheme "
                  "(its chunks cannot be proven by farmers)");
    return std::unique_ptr<proof::HeartbeatScheme>(
        std::make_unique<InterimScheme>(key.bytes, config.heartbeat_challenges));
}

}  // namespace downstream::node
