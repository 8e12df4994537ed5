// Telling MySQL errors apart. Poco's MySQL exceptions carry code() == 0; the server's error
// number is only in the message text ("... [mysql_stmt_errno]: 1213 ..."), so it is parsed
// from there. Pure functions, unit-tested on the connector's real message formats.
#pragma once

#include <string>
#include <string_view>

namespace downstream::store {

enum class SqlErrorKind {
    Connection,  // the session is unusable (gone away, lost, refused, killed): discard it
    Conflict,    // deadlock, lock wait timeout, Galera certification failure: retry the transaction
    Other,       // anything else: a retry would fail the same way
};

// The MySQL error number in a Poco MySQL exception's message, or 0 if there is none.
int mysql_errno_in(std::string_view message);

// The kind of a MySQL error number (0, unknown: Other).
SqlErrorKind classify_mysql_errno(int mysql_errno);

}  // namespace downstream::store

namespace downstream::store {

// The server's own words from a Poco MySQL exception message ("Deadlock found when trying to
// get lock; ..."), without the connector's bracketed framing; the whole text if there are none.
std::string mysql_error_text(std::string_view message);

}  // namespace downstream::store
