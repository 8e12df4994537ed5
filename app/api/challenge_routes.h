// Challenges: GET /challenge/<token>/<file_hash> (one contract), GET /challenge/<token> (all of
// the token's contracts) and POST /challenge/<token> with {"hashes": [...]} (the listed ones).
#pragma once

#include "api/api_context.h"
#include "http/router.h"

namespace downstream::api {

void add_challenge_routes(http::RouteGroup& routes, const ApiContext& context);

}  // namespace downstream::api
