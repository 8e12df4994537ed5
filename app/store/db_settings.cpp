#include "store/db_settings.h"

#include <cctype>
#include <cstdlib>

namespace downstream::store {
namespace {

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

Result<std::string> percent_decode(std::string_view text, const char* what) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '%') {
            out += text[i];
            continue;
        }
        if (i + 2 >= text.size())
            return make_error(std::string("db.uri: a '%' in the ") + what +
                              " must be followed by two hex digits");
        const int hi = hex_value(text[i + 1]);
        const int lo = hex_value(text[i + 2]);
        if (hi < 0 || lo < 0)
            return make_error(std::string("db.uri: a '%' in the ") + what +
                              " must be followed by two hex digits");
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
    }
    return out;
}

Result<int> parse_number(std::string_view text, const char* what, int min, int max) {
    if (text.empty() || text.size() > 9)
        return make_error(std::string("db.uri: ") + what + " must be a number");
    int value = 0;
    for (char c : text) {
        if (!std::isdigit(static_cast<unsigned char>(c)))
            return make_error(std::string("db.uri: ") + what + " must be a number, not '" +
                              std::string(text) + "'");
        value = value * 10 + (c - '0');
    }
    if (value < min || value > max)
        return make_error(std::string("db.uri: ") + what + " must be between " +
                          std::to_string(min) + " and " + std::to_string(max));
    return value;
}

}  // namespace

Result<DbSettings> parse_db_uri(std::string_view uri) {
    DbSettings s;
    std::string_view rest;
    if (uri.substr(0, 8) == "mysql://") rest = uri.substr(8);
    else if (uri.substr(0, 10) == "mariadb://") rest = uri.substr(10);
    else return make_error("db.uri must start with mysql:// (e.g. mysql://user:password@127.0.0.1:3306/downstream)");

    // Query parameters.
    std::string_view query;
    if (const auto q = rest.find('?'); q != std::string_view::npos) {
        query = rest.substr(q + 1);
        rest = rest.substr(0, q);
    }
    // Credentials: the last '@' ends them (a password may contain '@' only percent-encoded,
    // but be lenient).
    const auto at = rest.rfind('@');
    if (at == std::string_view::npos)
        return make_error("db.uri names no user (mysql://USER[:PASSWORD]@HOST/DATABASE)");
    const std::string_view credentials = rest.substr(0, at);
    rest = rest.substr(at + 1);
    const auto colon = credentials.find(':');
    auto user = percent_decode(credentials.substr(0, colon), "user");
    if (!user) return user.error();
    s.user = std::move(user).value();
    if (s.user.empty()) return make_error("db.uri names no user (mysql://USER[:PASSWORD]@HOST/DATABASE)");
    if (colon != std::string_view::npos) {
        auto password = percent_decode(credentials.substr(colon + 1), "password");
        if (!password) return password.error();
        s.password = std::move(password).value();
    }

    // Host, port, database.
    const auto slash = rest.find('/');
    if (slash == std::string_view::npos || slash + 1 == rest.size())
        return make_error("db.uri names no database (mysql://USER@HOST/DATABASE)");
    auto database = percent_decode(rest.substr(slash + 1), "database name");
    if (!database) return database.error();
    s.database = std::move(database).value();
    if (s.database.find('/') != std::string::npos)
        return make_error("db.uri: the database name may not contain '/'");
    std::string_view hostport = rest.substr(0, slash);
    if (!hostport.empty() && hostport.front() == '[') {
        const auto close = hostport.find(']');
        if (close == std::string_view::npos) return make_error("db.uri: '[' without ']' in the host");
        s.host = std::string(hostport.substr(1, close - 1));
        hostport = hostport.substr(close + 1);
        if (!hostport.empty()) {
            if (hostport.front() != ':') return make_error("db.uri: junk after the host");
            auto port = parse_number(hostport.substr(1), "the port", 1, 65535);
            if (!port) return port.error();
            s.port = *port;
        }
    } else {
        const auto pc = hostport.find(':');
        s.host = std::string(hostport.substr(0, pc));
        if (pc != std::string_view::npos) {
            auto port = parse_number(hostport.substr(pc + 1), "the port", 1, 65535);
            if (!port) return port.error();
            s.port = *port;
        }
    }
    if (s.host.empty()) return make_error("db.uri names no host");

    // Parameters.
    while (!query.empty()) {
        const auto amp = query.find('&');
        const std::string_view pair = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
        if (pair.empty()) continue;
        const auto eq = pair.find('=');
        const std::string_view key = pair.substr(0, eq);
        auto value = percent_decode(eq == std::string_view::npos ? std::string_view()
                                                                 : pair.substr(eq + 1),
                                    "parameters");
        if (!value) return value.error();
        if (key == "socket") {
            s.socket = *value;
        } else if (key == "connect_timeout") {
            auto n = parse_number(*value, "connect_timeout", 1, 3600);
            if (!n) return n.error();
            s.connect_timeout_s = *n;
        } else if (key == "read_timeout") {
            auto n = parse_number(*value, "read_timeout", 0, 86400);
            if (!n) return n.error();
            s.read_timeout_s = *n;
        } else {
            return make_error("db.uri: unknown parameter '" + std::string(key) +
                              "' (known: socket, connect_timeout, read_timeout)");
        }
    }
    if (!s.socket.empty() && s.host != "localhost")
        return make_error("db.uri: socket= needs the host 'localhost', not '" + s.host + "'");

    // Poco's connection string is "key=value;..." and cannot quote: a ';' would cut a value.
    for (const std::string* field : {&s.user, &s.password, &s.host, &s.database})
        if (field->find(';') != std::string::npos)
            return make_error("db.uri: the user, password, host and database may not contain ';' "
                              "(the MySQL connector cannot pass it)");
    return s;
}

std::string describe(const DbSettings& settings) {
    std::string text = settings.user + "@" + settings.host;
    if (settings.socket.empty()) text += ":" + std::to_string(settings.port);
    text += "/" + settings.database;
    if (!settings.socket.empty()) text += " via socket " + settings.socket;
    return text;
}

}  // namespace downstream::store
