#include "api/status_routes.h"

#include "api/farmer_json.h"
#include "api/status_index.h"
#include "api/status_query.h"
#include "encoding/hex.h"
#include "http/json_stream.h"
#include "json/json.h"

#include <string>

namespace downstream::api {
namespace {

const http::HeaderList kCacheable{{"Cache-Control", "public, max-age=5"}};

// Farmers are rendered into one buffer and handed to the stream in pieces of about this size.
constexpr std::size_t kPieceBytes = 32 * 1024;

http::HttpError unavailable() {
    return http::HttpError{503, "the status index is not available on this node", {{"Retry-After", "5"}}};
}

FarmerView view_of(const StatusSnapshot& snapshot, const FarmerEntry& f, UnixMillis now,
                   std::string& ip_hash_text) {
    ip_hash_text = encoding::hex_encode(
        std::string_view(reinterpret_cast<const char*>(f.ip_hash), sizeof f.ip_hash));
    const FarmerFigures figures = farmer_figures(f.online(), f.contracts_online, f.size_online, now);
    FarmerView v;
    v.id = f.farmer_id();
    v.address = snapshot.address(f);
    v.location_json = snapshot.place(f).json;
    v.ip_hash = ip_hash_text;
    v.uptime = figures.uptime;
    v.heartbeats = f.heartbeats;
    v.contracts = figures.contracts;
    v.size = figures.size;
    v.online = figures.online;
    if (f.last_due_ms != FarmerEntry::kNone) v.last_due_ms = f.last_due_ms;
    return v;
}

// Streams {"farmers": [...]} for the selected rows: the body is decided (the selection is
// made on an immutable snapshot) before the status line goes out.
void stream_farmers(http::ResponseWriter& writer, const StatusSnapshot& snapshot,
                    const std::vector<std::uint32_t>& rows, UnixMillis now) {
    http::JsonStream stream(writer, 200, kCacheable);
    stream.write(R"({"farmers":[)");
    json::Buffer buffer;
    json::Writer w(buffer);
    std::string hash;
    bool first = true;
    for (std::uint32_t row : rows) {
        if (!first) buffer.Put(',');
        first = false;
        w.Reset(buffer);
        write_farmer(w, view_of(snapshot, snapshot.farmers[row], now, hash));
        if (buffer.GetSize() >= kPieceBytes) {
            stream.write(std::string_view(buffer.GetString(), buffer.GetSize()));
            buffer.Clear();
        }
    }
    stream.write(std::string_view(buffer.GetString(), buffer.GetSize()));
    stream.write("]}");
    stream.finish();
}

std::string summary_json(const StatusSnapshot& snapshot, const StatusSummary& s, UnixMillis now) {
    json::Buffer buffer;
    json::Writer w(buffer);
    w.StartObject();
    w.Key("countries");
    w.Int64(s.countries);
    w.Key("farmers");
    w.Int64(s.farmers);
    w.Key("heartbeats");
    w.Int64(s.heartbeats);
    w.Key("online");
    w.Int64(s.online);
    w.Key("points");
    w.StartArray();
    for (std::uint32_t row : s.points) {
        const FarmerEntry& f = snapshot.farmers[row];
        const store::Location& where = snapshot.place(f).location;
        w.StartObject();
        w.Key("heartbeats");
        w.Int64(f.heartbeats);
        w.Key("id");
        w.String(f.id, FarmerEntry::kIdSize);
        w.Key("lat");
        w.Double(*where.lat);
        w.Key("lon");
        w.Double(*where.lon);
        w.Key("online");
        w.Bool(f.first_contract_ms != FarmerEntry::kNone && now < f.online_end_ms);
        w.EndObject();
    }
    w.EndArray();
    w.Key("size");
    w.Int64(s.size);
    w.EndObject();
    return std::string(buffer.GetString(), buffer.GetSize());
}

// One list route: `online_only` and `descending` are fixed by the pattern, the rest comes
// from its parameters (sortby, limit, page) when it has them.
http::Handler list_handler(const ApiContext& context, bool online_only, bool descending) {
    return [&context, online_only, descending](const http::Request&, const http::RouteParams& params,
                                               http::ResponseWriter& writer) -> http::HandlerResult {
        ListQuery query;
        query.online_only = online_only;
        query.descending = descending;
        if (params.has("sortby")) {
            const std::string& name = params.text("sortby");
            auto key = parse_sort_key(name);
            if (!key)
                return http::HttpError::bad_request(
                    "unknown sort key \"" + name +
                    "\": use id, address, uptime, heartbeats, contracts, size or online");
            query.key = *key;
        }
        if (params.has("limit")) query.limit = params.uint("limit");
        if (params.has("page")) query.page = params.uint("page");
        if (!context.status) return unavailable();
        const auto snapshot = context.status->snapshot();
        const UnixMillis now = context.clock.now_ms();
        stream_farmers(writer, *snapshot, select_farmers(*snapshot, query, now), now);
        return {};
    };
}

}  // namespace

void add_status_routes(http::RouteGroup& routes, const ApiContext& context) {
    for (const bool online : {false, true}) {
        const std::string base = online ? "/status/list/online" : "/status/list";
        routes.add("GET", base, list_handler(context, online, false));
        routes.add("GET", base + "/<limit:uint>", list_handler(context, online, false));
        routes.add("GET", base + "/<limit:uint>/<page:uint>", list_handler(context, online, false));
        for (const bool descending : {false, true}) {
            const std::string by = base + (descending ? "/by/d/<sortby>" : "/by/<sortby>");
            routes.add("GET", by, list_handler(context, online, descending));
            routes.add("GET", by + "/<limit:uint>", list_handler(context, online, descending));
            routes.add("GET", by + "/<limit:uint>/<page:uint>", list_handler(context, online, descending));
        }
    }

    routes.add("GET", "/status/summary",
               [&context](const http::Request&, const http::RouteParams&,
                          http::ResponseWriter& writer) -> http::HandlerResult {
                   if (!context.status) return unavailable();
                   const auto snapshot = context.status->snapshot();
                   const UnixMillis now = context.clock.now_ms();
                   const std::string body = summary_json(*snapshot, summarize(*snapshot, now), now);
                   writer.start(200, {{"Content-Type", "application/json"},
                                      {"Content-Length", std::to_string(body.size())},
                                      kCacheable.front()});
                   writer.write(body);
                   return {};
               });

    routes.add("GET", "/status/show/<farmer_id>",
               [&context](const http::Request&, const http::RouteParams& params,
                          http::ResponseWriter& writer) -> http::HandlerResult {
                   const std::string& id = params.text("farmer_id");
                   // Farmer ids are 20 lower-case hex characters; anything else is unknown.
                   auto farmer = encoding::is_hex(id, 20) ? context.tokens.find_by_farmer_id(id)
                                                          : std::nullopt;
                   if (!farmer) return http::HttpError::not_found("no farmer with id " + id);
                   writer.respond_json(200, farmer_json(*farmer, context.clock.now_ms(),
                                                        context.settings.ip_hash_key));
                   return {};
               });
}

}  // namespace downstream::api
