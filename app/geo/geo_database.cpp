#include "geo/geo_database.h"

#include <maxminddb.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <optional>

namespace downstream::geo {
namespace {

// The longest textual IPv6 address ("ffff:...:255.255.255.255") has 45 characters.
constexpr std::size_t kMaxIpTextLength = 45;

// Parses `ip` strictly into `address`; false for anything that is not a bare address.
bool parse_ip(std::string_view ip, sockaddr_storage& address) {
    if (ip.empty() || ip.size() > kMaxIpTextLength) return false;
    char text[kMaxIpTextLength + 1];
    for (std::size_t i = 0; i < ip.size(); ++i) {
        const char c = ip[i];
        // Only what addresses are made of; this also keeps an embedded NUL from cutting
        // the text short behind our back.
        const bool allowed = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
                             (c >= 'A' && c <= 'F') || c == '.' || c == ':';
        if (!allowed) return false;
        text[i] = c;
    }
    text[ip.size()] = '\0';

    std::memset(&address, 0, sizeof address);
    auto* v4 = reinterpret_cast<sockaddr_in*>(&address);
    if (inet_pton(AF_INET, text, &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        return true;
    }
    auto* v6 = reinterpret_cast<sockaddr_in6*>(&address);
    if (inet_pton(AF_INET6, text, &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        return true;
    }
    return false;
}

// The value at `path` below `entry`, if present (a missing key is not an error here).
std::optional<MMDB_entry_data_s> value_at(MMDB_entry_s entry, const char* const* path) {
    MMDB_entry_data_s data;
    if (MMDB_aget_value(&entry, &data, path) != MMDB_SUCCESS || !data.has_data) return std::nullopt;
    return data;
}

std::optional<std::string> string_at(const MMDB_entry_s& entry, const char* const* path) {
    const auto data = value_at(entry, path);
    if (!data || data->type != MMDB_DATA_TYPE_UTF8_STRING) return std::nullopt;
    // Entry strings point into the mapped file and are not NUL-terminated.
    return std::string(data->utf8_string, data->data_size);
}

std::optional<double> double_at(const MMDB_entry_s& entry, const char* const* path) {
    const auto data = value_at(entry, path);
    if (!data) return std::nullopt;
    if (data->type == MMDB_DATA_TYPE_DOUBLE) return data->double_value;
    if (data->type == MMDB_DATA_TYPE_FLOAT) return data->float_value;
    return std::nullopt;
}

}  // namespace

// An MMDB_s that is closed when it goes away, if it was ever opened.
struct GeoDatabase::Handle {
    MMDB_s db{};
    bool opened = false;

    Handle() = default;
    Handle(const Handle&) = delete;
    Handle& operator=(const Handle&) = delete;
    ~Handle() {
        // A failed MMDB_open has already freed what it allocated: only an open one is closed.
        if (opened) MMDB_close(&db);
    }
};

GeoDatabase::GeoDatabase(std::unique_ptr<Handle> handle) : handle_(std::move(handle)) {}
GeoDatabase::GeoDatabase(GeoDatabase&&) noexcept = default;
GeoDatabase& GeoDatabase::operator=(GeoDatabase&&) noexcept = default;
GeoDatabase::~GeoDatabase() = default;

Result<GeoDatabase> GeoDatabase::open(const std::string& path) {
    auto handle = std::make_unique<Handle>();
    errno = 0;
    const int status = MMDB_open(path.c_str(), MMDB_MODE_MMAP, &handle->db);
    if (status != MMDB_SUCCESS) {
        std::string reason = MMDB_strerror(status);
        if ((status == MMDB_FILE_OPEN_ERROR || status == MMDB_IO_ERROR) && errno != 0)
            reason += std::string(" (") + std::strerror(errno) + ")";
        return make_error("cannot open GeoIP database " + path + ": " + reason);
    }
    handle->opened = true;
    return GeoDatabase(std::move(handle));
}

Location GeoDatabase::locate(std::string_view ip) const {
    sockaddr_storage address;
    if (!handle_ || !parse_ip(ip, address)) return {};
    int error = MMDB_SUCCESS;
    const MMDB_lookup_result_s result =
        MMDB_lookup_sockaddr(&handle_->db, reinterpret_cast<const sockaddr*>(&address), &error);
    if (error != MMDB_SUCCESS || !result.found_entry) return {};

    static const char* const kCity[] = {"city", "names", "en", nullptr};
    static const char* const kCountry[] = {"country", "names", "en", nullptr};
    static const char* const kLatitude[] = {"location", "latitude", nullptr};
    static const char* const kLongitude[] = {"location", "longitude", nullptr};
    static const char* const kState[] = {"subdivisions", "0", "names", "en", nullptr};
    static const char* const kPostal[] = {"postal", "code", nullptr};

    Location location;
    location.city = string_at(result.entry, kCity);
    location.country = string_at(result.entry, kCountry);
    location.lat = double_at(result.entry, kLatitude);
    location.lon = double_at(result.entry, kLongitude);
    location.state = string_at(result.entry, kState);
    location.zip = string_at(result.entry, kPostal);
    return location;
}

}  // namespace downstream::geo
