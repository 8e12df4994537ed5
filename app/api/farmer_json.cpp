#include "api/farmer_json.h"

#include "crypto/hmac_sha256.h"
#include "encoding/hex.h"
#include "json/json.h"

#include <cmath>
#include <ctime>

namespace downstream::api {
namespace {

void optional_string(json::Writer& w, const std::optional<std::string>& value) {
    if (value) w.String(value->data(), static_cast<rapidjson::SizeType>(value->size()));
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
    const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return text;
}

double uptime_percent(double share) { return std::round(share * 10000.0) / 100.0; }

std::string farmer_json(const store::TokenRecord& farmer, UnixMillis now_ms,
                        std::string_view ip_hash_key) {
    json::Buffer buffer;
    json::Writer w(buffer);
    w.StartObject();
    w.Key("address");
    w.String(farmer.address.data(), static_cast<rapidjson::SizeType>(farmer.address.size()));
    w.Key("contracts");
    w.Int64(farmer.contracts_online);
    w.Key("heartbeats");
    w.Int64(farmer.heartbeats);
    w.Key("id");
    w.String(farmer.farmer_id.data(), static_cast<rapidjson::SizeType>(farmer.farmer_id.size()));
    w.Key("ip_hash");
    const std::string hashed = ip_hash(ip_hash_key, farmer.ip);
    w.String(hashed.data(), static_cast<rapidjson::SizeType>(hashed.size()));
    w.Key("last_due");
    if (farmer.last_due_ms) {
        const std::string due = iso8601_utc(*farmer.last_due_ms);
        w.String(due.data(), static_cast<rapidjson::SizeType>(due.size()));
    } else {
        w.Null();
    }
    w.Key("location");
    w.StartObject();
    w.Key("city");
    optional_string(w, farmer.location.city);
    w.Key("country");
    optional_string(w, farmer.location.country);
    w.Key("lat");
    optional_number(w, farmer.location.lat);
    w.Key("lon");
    optional_number(w, farmer.location.lon);
    w.Key("state");
    optional_string(w, farmer.location.state);
    w.Key("zip");
    optional_string(w, farmer.location.zip);
    w.EndObject();
    w.Key("online");
    w.Bool(farmer.online.has_contracts() && now_ms < farmer.online.end());
    w.Key("size");
    w.Int64(farmer.size_online);
    w.Key("uptime");
    w.Double(uptime_percent(farmer.online.uptime(now_ms)));
    w.EndObject();
    return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace downstream::api
