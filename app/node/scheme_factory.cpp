#include "node/scheme_factory.h"

#include "node/heartbeat_key.h"
#include "proof/merkle_scheme.h"
#include "proof/swizzle_scheme.h"

namespace downstream::node {

Result<std::unique_ptr<proof::HeartbeatScheme>> make_heartbeat_scheme(const Config& config,
                                                                      const HeartbeatKey& key) {
    if (key.type != config.heartbeat_type)
        return make_error("heartbeat key " + key.path + " was loaded for another scheme than "
                          "heartbeat.type");
    if (config.heartbeat_type == HeartbeatType::Merkle)
        return proof::make_merkle_scheme(key.bytes, config.heartbeat_check_fraction,
                                         static_cast<std::uint64_t>(config.heartbeat_challenges));
    auto swizzle = proof::SwizzleScheme::create(key.bytes, config.heartbeat_swizzle_check_fraction);
    if (!swizzle) return swizzle.error();
    return std::unique_ptr<proof::HeartbeatScheme>(std::move(swizzle).value());
}

}  // namespace downstream::node
