// Where the database is and how to talk to it: the parsed form of the config key `db.uri`.
//
//   mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?socket=PATH&connect_timeout=S&read_timeout=S]
//
// `mariadb://` is accepted as a synonym. USER, PASSWORD and the parameter values may be
// percent-encoded. With `socket=` the host must be `localhost` (the client library reaches a
// local server through its unix socket only for that host name).
#pragma once

#include "base/result.h"

#include <string>
#include <string_view>

namespace downstream::store {

struct DbSettings {
    std::string user;
    std::string password;
    std::string host = "localhost";
    int port = 3306;
    std::string database = "downstream";
    std::string socket;          // unix socket path; empty: TCP (or the library's default socket)
    int connect_timeout_s = 5;   // connecting and the login handshake
    int read_timeout_s = 60;     // one statement's reply; 0 = wait forever
};

// Parses a db.uri; the error names what is wrong without repeating the password.
Result<DbSettings> parse_db_uri(std::string_view uri);

// "user@host:port/database" (or "user@localhost/database via socket PATH"): for log lines
// and error messages; never contains the password.
std::string describe(const DbSettings& settings);

}  // namespace downstream::store
