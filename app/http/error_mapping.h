// The one place where exceptions escaping a handler become HTTP responses.
//
//   StoreUnavailable (base/store_unavailable.h)  -> 503 "service temporarily unavailable",
//                                                   Retry-After: 5
//   anything else (JsonMisuse, ResponseMisuse, std::bad_alloc, unknown types)
//                                                -> 500 "internal error"
//
// The client never sees the exception's text; the operator's log gets it with the route.
// Client errors are not exceptions: handlers return them as HttpError values.
#pragma once

#include "http/http_error.h"
#include "http/response_writer.h"

#include <exception>
#include <string_view>

namespace downstream::http {

// The response for an exception that escaped a handler (no logging).
HttpError map_exception(std::exception_ptr error);

// Logs `error` with `route` (a redacted route label, never a raw path holding a token) and
// writes the mapped response, unless the response had already started: then it only logs,
// because a status cannot be taken back.
void respond_to_exception(std::exception_ptr error, ResponseWriter& writer,
                          std::string_view route);

// The text of `error` for logs ("unknown exception" for non-std types).
std::string describe_exception(std::exception_ptr error);

}  // namespace downstream::http
