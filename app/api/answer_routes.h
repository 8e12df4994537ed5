// Answers: POST /answer/<token>/<file_hash> with {"proof": ...} and POST /answer/<token> with
// {"proofs": [{"file_hash": ..., "proof": ...}, ...]}.
#pragma once

#include "api/api_context.h"
#include "http/router.h"

namespace downstream::api {

void add_answer_routes(http::RouteGroup& routes, const ApiContext& context);

}  // namespace downstream::api
