// The one place where the node picks its heartbeat scheme (config heartbeat.type) and hands it
// the secret key.
#pragma once

#include "base/result.h"
#include "node/config.h"
#include "proof/heartbeat_scheme.h"

#include <memory>

namespace downstream::node {

struct HeartbeatKey;

// The scheme for `config.heartbeat_type`, keyed with `key`.
Result<std::unique_ptr<proof::HeartbeatScheme>> make_heartbeat_scheme(const Config& config,
                                                                      const HeartbeatKey& key);

}  // namespace downstream::node
