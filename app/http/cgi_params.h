// Turning the CGI/FastCGI parameter list that nginx sends into a Request (without its body).
//
// Read: REQUEST_METHOD; REQUEST_URI (the raw request target: path and query, as sent by the
// client, never nginx's decoded $uri); QUERY_STRING when REQUEST_URI has no '?'; REMOTE_ADDR;
// CONTENT_LENGTH and CONTENT_TYPE (exposed as the headers content-length / content-type);
// every HTTP_* parameter as a header ("HTTP_X_FORWARDED_FOR" -> "x-forwarded-for").
#pragma once

#include "base/result.h"
#include "http/client_address.h"
#include "http/request.h"

#include <cstdint>
#include <optional>

namespace downstream::http {

struct RequestHead {
    Request request;  // body empty
    // CONTENT_LENGTH; nothing when absent or empty (then the body runs to the end of the
    // FastCGI stdin stream; nginx always sends it, chunked uploads included).
    std::optional<std::uint64_t> content_length;
};

// `envp` is a NULL-terminated array of "NAME=value" strings (FCGX_Request::envp). An error
// (-> 400) for a missing method or path, or a CONTENT_LENGTH that is not a decimal number.
Result<RequestHead> parse_cgi_params(const char* const* envp, const TrustedProxies& trusted);

}  // namespace downstream::http
