#include "node/config.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <thread>

namespace downstream::node {
namespace {

using Setter = std::function<Status(Config&, std::string_view)>;
using Getter = std::function<std::string(const Config&)>;

struct Key {
    const char* name;
    const char* comment;
    Setter set;
    Getter get;
};

std::string trim(std::string_view text) {
    const auto first = text.find_first_not_of(" \t\r");
    if (first == std::string_view::npos) return {};
    const auto last = text.find_last_not_of(" \t\r");
    return std::string(text.substr(first, last - first + 1));
}

Result<std::int64_t> parse_integer(std::string_view text, std::int64_t min, std::int64_t max) {
    const std::string s(text);
    if (s.empty()) return make_error("expected a whole number");
    char* end = nullptr;
    errno = 0;
    const long long value = std::strtoll(s.c_str(), &end, 10);
    if (errno != 0 || end != s.c_str() + s.size())
        return make_error("expected a whole number, not '" + s + "'");
    if (value < min || value > max)
        return make_error("must be between " + std::to_string(min) + " and " + std::to_string(max));
    return static_cast<std::int64_t>(value);
}

std::string format_double(double value) {
    char text[64];
    for (int precision = 1; precision <= 17; ++precision) {
        std::snprintf(text, sizeof text, "%.*g", precision, value);
        if (std::strtod(text, nullptr) == value) break;
    }
    return text;
}

Setter integer(std::int64_t Config::*field, std::int64_t min, std::int64_t max) {
    return [=](Config& c, std::string_view v) -> Status {
        auto n = parse_integer(v, min, max);
        if (!n) return n.error();
        c.*field = *n;
        return {};
    };
}

Setter small_integer(int Config::*field, int min, int max) {
    return [=](Config& c, std::string_view v) -> Status {
        auto n = parse_integer(v, min, max);
        if (!n) return n.error();
        c.*field = static_cast<int>(*n);
        return {};
    };
}

// A fraction in (0, 1].
Setter fraction(double Config::*field) {
    return [=](Config& c, std::string_view v) -> Status {
        const std::string s(v);
        char* end = nullptr;
        const double f = std::strtod(s.c_str(), &end);
        if (s.empty() || end != s.c_str() + s.size())
            return make_error("expected a number, not '" + s + "'");
        if (!(f > 0.0 && f <= 1.0)) return make_error("must be > 0 and <= 1");
        c.*field = f;
        return {};
    };
}

Setter text(std::string Config::*field) {
    return [=](Config& c, std::string_view v) -> Status {
        if (v.empty()) return make_error("must not be empty");
        c.*field = std::string(v);
        return {};
    };
}

Getter show_integer(std::int64_t Config::*field) {
    return [=](const Config& c) { return std::to_string(c.*field); };
}
Getter show_small(int Config::*field) {
    return [=](const Config& c) { return std::to_string(c.*field); };
}
Getter show_fraction(double Config::*field) {
    return [=](const Config& c) { return format_double(c.*field); };
}
Getter show_text(std::string Config::*field) {
    return [=](const Config& c) { return c.*field; };
}

const std::vector<Key>& keys() {
    static const std::vector<Key> table = {
        {"db.uri",
         "The MySQL / MariaDB database: mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE, with the "
         "optional parameters socket=PATH (with host localhost), connect_timeout=SECONDS "
         "(default 5) and read_timeout=SECONDS (default 60, 0 = none). Percent-encode special "
         "characters in the password; ';' cannot be used.",
         [](Config& c, std::string_view v) -> Status {
             if (v.substr(0, 8) != "mysql://" && v.substr(0, 10) != "mariadb://")
                 return make_error("must start with mysql://");
             c.db_uri = std::string(v);
             return {};
         },
         show_text(&Config::db_uri)},
        {"fcgi.socket", "The FastCGI socket the workers listen on (nginx connects to it). Ignored "
         "when the socket is inherited (systemd socket activation, spawn-fcgi).",
         text(&Config::fcgi_socket), show_text(&Config::fcgi_socket)},
        {"fcgi.socket_mode",
         "Permissions of the socket the node creates, in octal: 0660 with fcgi.socket_group set "
         "to nginx's group in production; 0666 for a local run.",
         [](Config& c, std::string_view v) -> Status {
             const std::string s(v);
             char* end = nullptr;
             const unsigned long mode = std::strtoul(s.c_str(), &end, 8);
             if (s.empty() || end != s.c_str() + s.size() || mode > 0777)
                 return make_error("expected an octal mode such as 0660, not '" + s + "'");
             c.fcgi_socket_mode = static_cast<unsigned>(mode);
             return {};
         },
         [](const Config& c) {
             char text[8];
             std::snprintf(text, sizeof text, "%04o", c.fcgi_socket_mode);
             return std::string(text);
         }},
        {"fcgi.socket_group",
         "The group of the socket the node creates (e.g. www-data, nginx's); empty keeps the "
         "node's own group.",
         [](Config& c, std::string_view v) -> Status {
             c.fcgi_socket_group = std::string(v);
             return {};
         },
         show_text(&Config::fcgi_socket_group)},
        {"fcgi.drain_timeout",
         "Seconds a stopping worker may take to finish its in-flight requests (SIGTERM, reload) "
         "before it is killed.",
         integer(&Config::fcgi_drain_timeout_s, 1, 3600), show_integer(&Config::fcgi_drain_timeout_s)},
        {"workers", "Worker processes: a number, or auto for one per CPU.",
         [](Config& c, std::string_view v) -> Status {
             if (v == "auto") {
                 c.workers = 0;
                 return {};
             }
             auto n = parse_integer(v, 1, 1024);
             if (!n) return make_error(n.error().message + " (or auto)");
             c.workers = static_cast<int>(*n);
             return {};
         },
         [](const Config& c) { return c.workers == 0 ? std::string("auto") : std::to_string(c.workers); }},
        {"threads", "Accept loops (threads) per worker process.", small_integer(&Config::threads, 1, 256),
         show_small(&Config::threads)},
        {"heartbeat.type",
         "The heartbeat scheme for new chunks: merkle or swizzle. A node runs one scheme; pool "
         "chunks of another scheme are never handed out.",
         [](Config& c, std::string_view v) -> Status {
             if (v == "merkle") c.heartbeat_type = HeartbeatType::Merkle;
             else if (v == "swizzle") c.heartbeat_type = HeartbeatType::Swizzle;
             else return make_error("must be merkle or swizzle, not '" + std::string(v) + "'");
             return {};
         },
         [](const Config& c) {
             return std::string(c.heartbeat_type == HeartbeatType::Merkle ? "merkle" : "swizzle");
         }},
        {"heartbeat.key_file",
         "The node's secret heartbeat key, readable only by the node's user; created by initdb "
         "if missing (32 random bytes for merkle, the private heartbeat for swizzle). Must be "
         "identical on every host of one node: the database records its fingerprint and every "
         "command refuses a different key.",
         text(&Config::heartbeat_key_file), show_text(&Config::heartbeat_key_file)},
        {"heartbeat.check_fraction",
         "Merkle: the share of the file each challenge covers (0 < f <= 1), for new chunks.",
         fraction(&Config::heartbeat_check_fraction), show_fraction(&Config::heartbeat_check_fraction)},
        {"heartbeat.challenges", "Merkle: challenges pre-computed per chunk (leaves of the tree).",
         small_integer(&Config::heartbeat_challenges, 1, 1 << 20), show_small(&Config::heartbeat_challenges)},
        {"heartbeat.swizzle_check_fraction",
         "Swizzle: the share of a file's chunks each challenge checks (0 < f <= 1); the node "
         "always checks at least one. 1 checks every chunk, as the farmers' library defaults to.",
         fraction(&Config::heartbeat_swizzle_check_fraction), show_fraction(&Config::heartbeat_swizzle_check_fraction)},
        {"geoip.mmdb", "The MaxMind GeoLite2 / GeoIP2 city database used to locate farmers.",
         text(&Config::geoip_mmdb), show_text(&Config::geoip_mmdb)},
        {"chunk.default_size", "Bytes requested by GET /chunk/<token> when the URL names no size.",
         integer(&Config::chunk_default_size, 1, std::int64_t{1} << 40),
         show_integer(&Config::chunk_default_size)},
        {"contract.interval",
         "Seconds between challenges; a contract expires when a challenge is not answered "
         "within it. The farmer client drops contracts below about 10 s.",
         integer(&Config::contract_interval_s, 1, 86400 * 365), show_integer(&Config::contract_interval_s)},
        {"contract.keep_expired",
         "Seconds an expired contract is kept before cleandb deletes it, so that farmers are "
         "told \"contract expired\" rather than \"contract not found\".",
         integer(&Config::contract_keep_expired_s, 0, 86400 * 365),
         show_integer(&Config::contract_keep_expired_s)},
        {"contract.concurrent_draws",
         "GET /chunk transactions one worker process runs at once; more requests wait for a "
         "turn. Many draws at once cost MariaDB far more CPU per contract than a few.",
         small_integer(&Config::contract_concurrent_draws, 1, 256),
         show_small(&Config::contract_concurrent_draws)},
        {"limits.max_tokens_per_ip", "Tokens one IP address may hold.",
         integer(&Config::limits_max_tokens_per_ip, 1, 1000000),
         show_integer(&Config::limits_max_tokens_per_ip)},
        {"limits.min_balance", "Whitelist balance an address needs for a token.",
         integer(&Config::limits_min_balance, 0, INT64_MAX), show_integer(&Config::limits_min_balance)},
        {"limits.require_signature",
         "true: GET /new is refused and a signed POST /new is required; false: both work.",
         [](Config& c, std::string_view v) -> Status {
             if (v == "true" || v == "yes" || v == "on" || v == "1") c.limits_require_signature = true;
             else if (v == "false" || v == "no" || v == "off" || v == "0") c.limits_require_signature = false;
             else return make_error("must be true or false, not '" + std::string(v) + "'");
             return {};
         },
         [](const Config& c) { return std::string(c.limits_require_signature ? "true" : "false"); }},
        {"limits.max_message_size", "Longest signed message accepted by POST /new, in bytes.",
         integer(&Config::limits_max_message_size, 1, 1 << 20),
         show_integer(&Config::limits_max_message_size)},
        {"limits.max_chunks_per_request", "Chunks in one /chunk reply.",
         small_integer(&Config::limits_max_chunks_per_request, 1, 10000),
         show_small(&Config::limits_max_chunks_per_request)},
        {"limits.max_size_per_address", "Bytes under contract per address, over all its tokens.",
         integer(&Config::limits_max_size_per_address, 1, INT64_MAX),
         show_integer(&Config::limits_max_size_per_address)},
        {"limits.max_body_size", "Largest request body accepted, after gzip inflation, in bytes.",
         integer(&Config::limits_max_body_size, 1024, std::int64_t{1} << 34),
         show_integer(&Config::limits_max_body_size)},
        {"proxy.trusted",
         "Peers whose X-Forwarded-For header is believed (comma-separated addresses).",
         [](Config& c, std::string_view v) -> Status {
             std::vector<std::string> list;
             std::string item;
             std::istringstream in{std::string(v)};
             while (std::getline(in, item, ',')) {
                 item = trim(item);
                 if (item.empty()) return make_error("has an empty entry");
                 list.push_back(item);
             }
             if (list.empty()) return make_error("must name at least one address");
             c.proxy_trusted = std::move(list);
             return {};
         },
         [](const Config& c) {
             std::string out;
             for (const auto& p : c.proxy_trusted) out += (out.empty() ? "" : ", ") + p;
             return out;
         }},
        {"maintain.poll",
         "Seconds `maintain` waits between checks of the pool once it is full.",
         integer(&Config::maintain_poll_s, 1, 3600), show_integer(&Config::maintain_poll_s)},
        {"log.level", "Least important log lines written: debug, info, warn or error.",
         [](Config& c, std::string_view v) -> Status {
             if (v != "debug" && v != "info" && v != "warn" && v != "error")
                 return make_error("must be debug, info, warn or error");
             c.log_level = std::string(v);
             return {};
         },
         show_text(&Config::log_level)},
    };
    return table;
}

const Key* find_key(std::string_view name) {
    for (const Key& k : keys())
        if (name == k.name) return &k;
    return nullptr;
}

// Word-wraps `text` into "# " comment lines of at most `width` characters.
std::string comment_lines(std::string_view text, std::size_t width = 92) {
    std::string out;
    std::string line = "#";
    std::istringstream words{std::string(text)};
    std::string word;
    while (words >> word) {
        if (line.size() + 1 + word.size() > width && line != "#") {
            out += line + "\n";
            line = "#";
        }
        line += " " + word;
    }
    if (line != "#") out += line + "\n";
    return out;
}

}  // namespace

int Config::effective_workers() const {
    if (workers > 0) return workers;
    const unsigned n = std::thread::hardware_concurrency();
    return n == 0 ? 1 : static_cast<int>(n);
}

Config default_config() {
    Config c;
    c.db_uri = "mysql://downstream@localhost/downstream?socket=/run/mysqld/mysqld.sock";
    c.fcgi_socket = "/run/downstream-node/fcgi.sock";
    c.heartbeat_key_file = "/var/lib/downstream-node/heartbeat.key";
    c.geoip_mmdb = "/usr/share/GeoIP/GeoLite2-City.mmdb";
    c.proxy_trusted = {"127.0.0.1"};
    return c;
}

Status apply_config_text(Config& config, std::string_view text, const std::string& origin) {
    Config updated = config;
    std::map<std::string, int> seen;
    int line_number = 0;
    std::size_t pos = 0;
    while (pos <= text.size()) {
        const auto newline = text.find('\n', pos);
        const std::string_view raw =
            text.substr(pos, newline == std::string_view::npos ? std::string_view::npos : newline - pos);
        pos = newline == std::string_view::npos ? text.size() + 1 : newline + 1;
        ++line_number;
        const std::string line = trim(raw);
        if (line.empty() || line[0] == '#') continue;
        const std::string where = origin + ":" + std::to_string(line_number) + ": ";
        const auto eq = line.find('=');
        if (eq == std::string::npos)
            return make_error(where + "expected 'key = value', got '" + line + "'");
        const std::string name = trim(std::string_view(line).substr(0, eq));
        const std::string value = trim(std::string_view(line).substr(eq + 1));
        const Key* key = find_key(name);
        if (!key) return make_error(where + "unknown key '" + name + "'");
        if (const auto it = seen.find(name); it != seen.end())
            return make_error(where + "key '" + name + "' was already set on line " +
                              std::to_string(it->second));
        seen.emplace(name, line_number);
        if (Status s = key->set(updated, value); !s)
            return make_error(where + name + ": " + s.error().message);
    }
    config = std::move(updated);
    return {};
}

Result<Config> load_config(const std::vector<std::string>& paths) {
    Config config = default_config();
    for (const std::string& path : paths) {
        std::ifstream in(path, std::ios::binary);
        if (!in) return make_error("cannot read config file " + path);
        std::ostringstream text;
        text << in.rdbuf();
        if (Status s = apply_config_text(config, text.str(), path); !s) return s.error();
    }
    return config;
}

std::string render_config(const Config& config) {
    std::string out =
        "# downstream-node configuration (properties: `key = value`, `#` starts a comment line).\n"
        "# Every key is optional: a missing key keeps the default shown here. Give several files\n"
        "# with --config A --config B; keys in later files win. Unknown keys are errors.\n"
        "# Generated by `downstream-node config`; docs/node.conf.example holds the defaults.\n";
    for (const Key& k : keys()) {
        out += "\n";
        out += comment_lines(k.comment);
        out += std::string(k.name) + " = " + k.get(config) + "\n";
    }
    return out;
}

}  // namespace downstream::node
