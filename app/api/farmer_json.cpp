#include "api/farmer_json.h"

#include "crypto/hmac_sha256.h"
#include "encoding/hex.h"

#include <ctime>

namespace downstream::api {
namespace {

void string_value(json::Writer& w, std::string_view value) {
    w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
}

void optional_string(json::Writer& w, const std::optional<std::string>& value) {
    if (value) string_value(w, *value);
    else w.Null();
}

void optional_number(json::Writer& w, const std::optional<double>& value) {
    if (value) w.Double(*value);
    else w.Null();
}

}  // namespace

std::string ip_hash(std::string_view ip_hash_key, std::string_view ip) {
    return encoding::hex_encode(crypto::hmac_sha256(ip_hash_key, ip).substr(0, 16));
}

std::string iso8601_utc(UnixMillis ms) {
    // Floor division: a time before 1970 still names the second it falls in.
    const std::time_t seconds = static_cast<std::time_t>(ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000));
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    char text[40];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return text;
}

std::int64_t uptime_hundredths(const store::OnlineInterval& online, UnixMillis now_ms) {
    const auto first = online.first_contract();
    if (!first) return 0;
    return uptime_hundredths(online.online_ms(now_ms), now_ms - *first);
}

FarmerFigures farmer_figures(const store::OnlineInterval& online, std::int64_t contracts_online,
                             std::int64_t size_online, UnixMillis now_ms) {
    FarmerFigures f;
    f.online = online.has_contracts() && now_ms < online.end();
    // The counters lag expiry by up to one sweep; an offline farmer holds nothing.
    f.contracts = f.online ? contracts_online : 0;
    f.size = f.online ? size_online : 0;
    f.uptime = static_cast<double>(uptime_hundredths(online, now_ms)) / 100.0;
    return f;
}

std::string location_json(const store::Location& location) {
    json::Buffer buffer;
    json::Writer w(buffer);
    w.StartObject();
    w.Key("city");
    optional_string(w, location.city);
    w.Key("country");
    optional_string(w, location.country);
    w.Key("lat");
    optional_number(w, location.lat);
    w.Key("lon");
    optional_number(w, location.lon);
    w.Key("state");
    optional_string(w, location.state);
    w.Key("zip");
    optional_string(w, location.zip);
    w.EndObject();
    return std::string(buffer.GetString(), buffer.GetSize());
}

void write_farmer(json::Writer& w, const FarmerView& farmer) {
    w.StartObject();
    w.Key("address");
    string_value(w, farmer.address);
    w.Key("contracts");
    w.Int64(farmer.contracts);
    w.Key("heartbeats");
    w.Int64(farmer.heartbeats);
    w.Key("id");
    string_value(w, farmer.id);
    w.Key("ip_hash");
    string_value(w, farmer.ip_hash);
    w.Key("last_due");
    if (farmer.last_due_ms) string_value(w, iso8601_utc(*farmer.last_due_ms));
    else w.Null();
    w.Key("location");
    w.RawValue(farmer.location_json.data(), farmer.location_json.size(), rapidjson::kObjectType);
    w.Key("online");
    w.Bool(farmer.online);
    w.Key("size");
    w.Int64(farmer.size);
    w.Key("uptime");
    w.Double(farmer.uptime);
    w.EndObject();
}

std::string farmer_json(const store::TokenRecord& farmer, UnixMillis now_ms,
                        std::string_view ip_hash_key) {
    const FarmerFigures figures =
        farmer_figures(farmer.online, farmer.contracts_online, farmer.size_online, now_ms);
    const std::string location = location_json(farmer.location);
    const std::string hashed = ip_hash(ip_hash_key, farmer.ip);
    FarmerView view;
    view.id = farmer.farmer_id;
    view.address = farmer.address;
    view.location_json = location;
    view.ip_hash = hashed;
    view.uptime = figures.uptime;
    view.heartbeats = farmer.heartbeats;
    view.contracts = figures.contracts;
    view.size = figures.size;
    view.online = figures.online;
    view.last_due_ms = farmer.last_due_ms;
    json::Buffer buffer;
    json::Writer w(buffer);
    write_farmer(w, view);
    return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace downstream::api
