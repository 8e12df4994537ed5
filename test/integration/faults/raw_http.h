// Exact bytes to nginx and back: a request written as given (no normalising of paths, headers
// or bodies, which an HTTP library would do), optionally trickled, and the reply read until
// the server closes the connection. For the hostile-input and fault suites, which must send
// what a well-behaved client never would. Loopback only, one connection per call.
#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <string>

namespace downstream::testing {

struct RawReply {
    bool answered = false;   // a status line arrived
    int status = 0;
    std::map<std::string, std::string> headers;  // lower-case names
    std::string body;        // de-chunked when the reply was chunked
    std::string error;       // why nothing (or nothing complete) arrived
    std::chrono::milliseconds elapsed{0};
};

struct RawRequest {
    std::string bytes;   // everything sent, request line included
    // When set, the first `hold_after` bytes are sent at once and the rest one byte every
    // `trickle_ms` milliseconds (a slow client), or never (`trickle_ms` < 0: stall).
    std::size_t hold_after = std::string::npos;
    int trickle_ms = 0;
    int timeout_ms = 30000;  // for the whole exchange
};

// Sends `request` to 127.0.0.1:`port` and reads the reply until the server closes.
RawReply raw_exchange(int port, const RawRequest& request);

// "METHOD PATH HTTP/1.1" with Host, Connection: close, X-Forwarded-For (when `ip` is not
// empty), the extra header lines (each "Name: value\r\n") and, for a body or POST,
// Content-Length.
std::string raw_http_request(const std::string& method, const std::string& path,
                             const std::string& body = "", const std::string& extra_headers = "",
                             const std::string& ip = "");

}  // namespace downstream::testing
