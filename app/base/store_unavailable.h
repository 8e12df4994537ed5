// The one exception type that means "the database cannot be reached right now".
//
// Thrown by app/store when MariaDB is down or a connection cannot be obtained (after its own
// retry); app/http/error_mapping turns it into HTTP 503 with a generic message. It lives in
// base so that the store and the HTTP layer agree on it without depending on each other.
#pragma once

#include <stdexcept>
#include <string>

namespace downstream {

// The shared state is unreachable; the request may succeed if retried later. The message is
// for the operator's log only and never reaches a client.
class StoreUnavailable : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

}  // namespace downstream
