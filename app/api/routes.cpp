#include "api/routes.h"

#include "api/answer_routes.h"
#include "api/challenge_routes.h"
#include "api/chunk_routes.h"
#include "api/status_routes.h"
#include "api/token_routes.h"

namespace downstream::api {

void add_api_routes(http::Router& router, const ApiContext& context) {
    http::RouteGroup routes = router.under(kApiPrefixes);
    routes.add("GET", "/", [](const http::Request&, const http::RouteParams&,
                              http::ResponseWriter& writer) -> http::HandlerResult {
        writer.respond_json(200, R"({"msg":"ok"})");
        return {};
    });
    add_token_routes(routes, context);
    add_chunk_routes(routes, context);
    add_challenge_routes(routes, context);
    add_answer_routes(routes, context);
    add_status_routes(routes, context);
}

}  // namespace downstream::api
