// The exceptions of the store. Database trouble is exceptional (DESIGN: exceptions only for the
// truly exceptional): handlers let these propagate to the one place that maps them to HTTP 500
// or 503, and the CLI prints them and exits 1.
#pragma once

#include <stdexcept>
#include <string>

namespace downstream::store {

// A statement or transaction failed for a reason a retry does not cure (a bug, a constraint,
// a missing table), or retries were exhausted. `mysql_errno()` is the server's error number
// when one was reported, else 0.
class DatabaseError : public std::runtime_error {
public:
    DatabaseError(const std::string& message, int mysql_errno)
        : std::runtime_error(message), errno_(mysql_errno) {}
    int mysql_errno() const { return errno_; }

private:
    int errno_;
};

// The database cannot be reached (refused, timed out, connection lost and lost again on a
// fresh session). The message says where the node tried to connect.
class DatabaseUnavailable : public DatabaseError {
public:
    using DatabaseError::DatabaseError;
};

}  // namespace downstream::store
