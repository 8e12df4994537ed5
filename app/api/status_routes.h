// The status API: GET /status/show/<farmer_id> (the list routes come with the status index).
#pragma once

#include "api/api_context.h"
#include "http/router.h"

namespace downstream::api {

void add_status_routes(http::RouteGroup& routes, const ApiContext& context);

}  // namespace downstream::api
