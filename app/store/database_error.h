// The exceptions of the store. Database trouble is exceptional (DESIGN: exceptions only for the
// truly exceptional): handlers let these propagate to the one place that maps them to HTTP
// (http/error_mapping: DatabaseUnavailable is a StoreUnavailable, hence 503; a DatabaseError is
// a 500), and the CLI prints them and exits 1.
#pragma once

#include "base/store_unavailable.h"

#include <stdexcept>
#include <string>

namespace downstream::store {

// A statement or transaction failed for a reason a retry does not cure (a bug, a constraint,
// a missing table). `mysql_errno()` is the server's error number when one was reported, else 0.
class DatabaseError : public std::runtime_error {
public:
    DatabaseError(const std::string& message, int mysql_errno)
        : std::runtime_error(message), errno_(mysql_errno) {}
    int mysql_errno() const { return errno_; }

private:
    int errno_;
};

// The database cannot serve the request now: unreachable (refused, timed out, connection lost
// and lost again on a fresh session), or still conflicting after every retry (Galera under
// contention). Retrying later may succeed. The message says where the node tried to connect.
class DatabaseUnavailable : public StoreUnavailable {
public:
    DatabaseUnavailable(const std::string& message, int mysql_errno)
        : StoreUnavailable(message), errno_(mysql_errno) {}
    int mysql_errno() const { return errno_; }

private:
    int errno_;
};

}  // namespace downstream::store
