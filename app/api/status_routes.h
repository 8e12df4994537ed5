// The status API (DESIGN.md §2 "Status", docs/STATUS_API.md):
//   GET status/list, status/list/online, status/list[/online]/by/[d/]<sortby>[/<limit>[/<page>]],
//       status/list[/online]/<limit>[/<page>]     -> {"farmers": [farmer, ...]}
//   GET status/summary                            -> totals and map points
//   GET status/show/<farmer_id>                   -> one farmer, 404 if unknown
// Lists and the summary come from the worker's status index (ApiContext::status) and carry
// Cache-Control: public, max-age=5; show reads the database, so it is exact.
#pragma once

#include "api/api_context.h"
#include "http/router.h"

namespace downstream::api {

void add_status_routes(http::RouteGroup& routes, const ApiContext& context);

}  // namespace downstream::api
