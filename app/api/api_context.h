// Everything the route handlers work with, created once per worker process (app/node) and
// shared by its threads. Handlers hold none of it themselves: the time, the stores, the scheme
// and the locator all come in through here, so a test can hand them a ManualClock, fake stores
// that fail on demand, or a fake locator; events go out through here too (api/api_events.h).
#pragma once

#include "api/api_events.h"
#include "base/clock.h"
#include "geo/locator.h"
#include "proof/heartbeat_scheme.h"
#include "store/chunk_pool_repository.h"
#include "store/contract_repository.h"
#include "store/token_repository.h"

#include <cstdint>
#include <string>

namespace downstream::api {

class StatusIndex;

// The configured rules of the protocol (DESIGN.md §4), in the units the handlers use.
struct ApiSettings {
    std::int64_t interval_ms = 60000;              // contract.interval
    std::int64_t default_chunk_size = 32768;       // chunk.default_size
    std::int64_t max_tokens_per_ip = 5;            // limits.max_tokens_per_ip
    std::int64_t min_balance = 10000;              // limits.min_balance
    bool require_signature = true;                 // limits.require_signature
    std::int64_t max_message_size = 1024;          // limits.max_message_size
    int max_chunks_per_request = 10;               // limits.max_chunks_per_request
    std::int64_t max_size_per_address = 1073741824;  // limits.max_size_per_address
    // The key of the status API's ip_hash (derived from the heartbeat key, so that it is the
    // same on every host of a node and never the IP itself).
    std::string ip_hash_key;
};

struct ApiContext {
    const Clock& clock;
    store::TokenStore& tokens;
    store::ContractStore& contracts;
    const proof::HeartbeatScheme& scheme;
    store::PoolKey pool_key;  // the scheme's name and the key's fingerprint
    const geo::Locator& locator;
    ApiSettings settings;
    // Where handlers report what they did (metrics); ignored unless the node wires a sink.
    ApiEvents& events = ApiEvents::none();
    // The worker's in-memory status index (status/list, status/summary); without one those
    // routes answer 503.
    StatusIndex* status = nullptr;
};

}  // namespace downstream::api
