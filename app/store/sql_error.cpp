#include "store/sql_error.h"

#include <cctype>

namespace downstream::store {

int mysql_errno_in(std::string_view message) {
    // Formats seen: "[mysql_stmt_errno]: 1213" (statements) and "[mysql_errno]: 2006"
    // (begin/commit/rollback). Take the first one.
    static constexpr std::string_view kMarker = "errno]:";
    const auto at = message.find(kMarker);
    if (at == std::string_view::npos) return 0;
    std::size_t i = at + kMarker.size();
    while (i < message.size() && message[i] == ' ') ++i;
    int value = 0;
    std::size_t digits = 0;
    while (i < message.size() && std::isdigit(static_cast<unsigned char>(message[i])) &&
           digits < 6) {
        value = value * 10 + (message[i] - '0');
        ++i;
        ++digits;
    }
    return digits == 0 ? 0 : value;
}

SqlErrorKind classify_mysql_errno(int mysql_errno) {
    switch (mysql_errno) {
    // Client-side: cannot connect, server gone away, connection lost, server lost during
    // handshake, commands out of sync after a lost reply, prepared statement gone after a
    // reconnect, TLS failure.
    case 2001: case 2002: case 2003: case 2004: case 2005: case 2006: case 2011: case 2013:
    case 2014: case 2026: case 2027: case 2030: case 2048: case 2055:
    // Server-side: shutdown in progress, connection killed, unknown prepared statement
    // handler (the session was replaced), aborted connection, Galera node not ready,
    // disconnected for inactivity.
    case 1053: case 1927: case 1243: case 1152: case 1047: case 4031:
        return SqlErrorKind::Connection;
    // Deadlock, lock wait timeout, "record has changed since last read" (snapshot isolation).
    case 1213: case 1205: case 1020:
        return SqlErrorKind::Conflict;
    default:
        return SqlErrorKind::Other;
    }
}

}  // namespace downstream::store

namespace downstream::store {

std::string mysql_error_text(std::string_view message) {
    // "... [mysql_stmt_error]: Unknown column 'x' in 'SELECT'\t[mysql_stmt_errno]: 1054 ..."
    // or "... [mysql_error]: Server has gone away\t[mysql_errno]: 2006 ...".
    static constexpr std::string_view kMarker = "_error]: ";
    const auto at = message.find(kMarker);
    if (at == std::string_view::npos) return std::string(message);
    const auto start = at + kMarker.size();
    auto end = message.find('\t', start);
    if (end == std::string_view::npos) end = message.find(" [", start);
    std::string_view text = message.substr(start, end == std::string_view::npos
                                                      ? std::string_view::npos
                                                      : end - start);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    return std::string(text);
}

}  // namespace downstream::store
