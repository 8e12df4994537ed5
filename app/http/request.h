// The request a handler sees: plain values, already read, limited and inflated.
//
// Handlers never see FastCGI. The path is kept *raw* (percent-escapes intact, no query):
// the router matches literal segments against the raw text, so "/api/downstream/%6Eew/x" is
// not the "new" route, and decodes only the segments that are parameters, before validating
// them (docs/DECISIONS.md). An encoded "/" inside a parameter therefore stays inside it.
#pragma once

#include "http/header_map.h"

#include <string>

namespace downstream::http {

struct Request {
    // The method as sent, e.g. "GET", "POST" (HTTP methods are case-sensitive).
    std::string method;
    // The raw path without the query string, e.g. "/api/downstream/v1/chunk/ab12/32768".
    std::string path;
    // The raw query string without the '?', possibly empty.
    std::string query;
    // Request header fields (Content-Type and Content-Length included).
    HeaderMap headers;
    // The body, already inflated when it arrived gzip-compressed; at most the configured
    // limit (limits.max_body_size).
    std::string body;
    // The farmer's address: the TCP peer, or the right-most untrusted X-Forwarded-For entry
    // when the peer is a trusted proxy (http/client_address.h). Canonical text form.
    std::string client_address;
    // The TCP peer of the web server (REMOTE_ADDR), for logs.
    std::string peer_address;
};

}  // namespace downstream::http
