// The node's whole HTTP API, registered on a router (DESIGN.md §2): every route under both
// /api/downstream/ (the original README's paths) and /api/downstream/v1/ (the shipped
// client's prefix).
#pragma once

#include "api/api_context.h"
#include "http/router.h"

namespace downstream::api {

inline const std::vector<std::string> kApiPrefixes{"/api/downstream", "/api/downstream/v1"};

// Registers every route. `context` must outlive the router.
void add_api_routes(http::Router& router, const ApiContext& context);

}  // namespace downstream::api
