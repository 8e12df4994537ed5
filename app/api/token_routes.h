// Tokens: GET /new/<address>, POST /new/<address> (signed), GET /heartbeat/<token>.
#pragma once

#include "api/api_context.h"
#include "http/router.h"

namespace downstream::api {

// Registers the token routes under every prefix of `routes`.
void add_token_routes(http::RouteGroup& routes, const ApiContext& context);

}  // namespace downstream::api
