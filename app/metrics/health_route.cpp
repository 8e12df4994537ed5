#include "metrics/health_route.h"

#include "base/log.h"
#include "json/json.h"

#include <atomic>
#include <chrono>
#include <exception>
#include <memory>

namespace downstream::metrics {
namespace {

std::string health_json(bool ok, double database_ms, const std::string& message,
                        const HealthSources& sources) {
    json::Buffer buffer;
    json::Writer w(buffer);
    w.StartObject();
    w.Key("status");
    w.String(ok ? "ok" : "error");
    w.Key("database");
    w.String(ok ? "ok" : "unavailable");
    if (ok) {
        w.Key("database_ms");
        // Two decimals are plenty, and the text stays short.
        w.Double(static_cast<double>(static_cast<long long>(database_ms * 100 + 0.5)) / 100);
    } else {
        w.Key("message");
        w.String(message.data(), static_cast<rapidjson::SizeType>(message.size()));
    }
    w.Key("pid");
    w.Int64(sources.pid);
    w.Key("generation");
    w.Int(sources.generation);
    w.EndObject();
    return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace

void add_health_route(http::Router& router, HealthSources sources) {
    auto shared = std::make_shared<HealthSources>(std::move(sources));
    // Polled every second: log changes of state, not every failed probe.
    auto was_ok = std::make_shared<std::atomic<bool>>(true);
    router.add("GET", kHealthPath,
               [shared, was_ok](const http::Request&, const http::RouteParams&,
                        http::ResponseWriter& writer) -> http::HandlerResult {
                   const auto start = std::chrono::steady_clock::now();
                   std::string failure;
                   try {
                       shared->ping_database();
                   } catch (const std::exception& e) {
                       failure = e.what();
                   } catch (...) {
                       failure = "unknown error";
                   }
                   const double ms = std::chrono::duration<double, std::milli>(
                                         std::chrono::steady_clock::now() - start).count();
                   const bool ok = failure.empty();
                   if (was_ok->exchange(ok) != ok) {
                       if (ok) log::info("health: the database answers again");
                       else log::warn("health: " + failure);
                   }
                   const std::string body = health_json(ok, ms, failure, *shared);
                   writer.start(ok ? 200 : 503,
                                ok ? http::HeaderList{{"Content-Type", "application/json"},
                                                      {"Content-Length", std::to_string(body.size())},
                                                      {"Cache-Control", "no-store"}}
                                   : http::HeaderList{{"Content-Type", "application/json"},
                                                      {"Content-Length", std::to_string(body.size())},
                                                      {"Cache-Control", "no-store"},
                                                      {"Retry-After", "5"}});
                   writer.write(body);
                   return {};
               });
}

}  // namespace downstream::metrics
