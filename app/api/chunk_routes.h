// Chunk contracts: GET /chunk/<token> (the default size) and GET /chunk/<token>/<size>.
#pragma once

#include "api/api_context.h"
#include "http/router.h"

namespace downstream::api {

void add_chunk_routes(http::RouteGroup& routes, const ApiContext& context);

}  // namespace downstream::api
