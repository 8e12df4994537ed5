#include "api/status_routes.h"

#include "api/farmer_json.h"
#include "encoding/hex.h"

namespace downstream::api {

void add_status_routes(http::RouteGroup& routes, const ApiContext& context) {
    routes.add("GET", "/status/show/<farmer_id>",
               [&context](const http::Request&, const http::RouteParams& params,
                          http::ResponseWriter& writer) -> http::HandlerResult {
                   const std::string& id = params.text("farmer_id");
                   // Farmer ids are 20 lower-case hex characters; anything else is unknown.
                   auto farmer = encoding::is_hex(id, 20) ? context.tokens.find_by_farmer_id(id)
                                                          : std::nullopt;
                   if (!farmer) return http::HttpError::not_found("unknown farmer id");
                   writer.respond_json(200, farmer_json(*farmer, context.clock.now_ms(),
                                                        context.settings.ip_hash_key));
                   return {};
               });
}

}  // namespace downstream::api
