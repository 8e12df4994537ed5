// A small HTTP client for the HTTP stack tests (Poco underneath, kept out of this header),
// and where the stack under test is (environment variables set by scripts/test-http.sh):
//
//   DOWNSTREAM_HTTP_URL        nginx in front of build/tools/echo_fcgi_app, e.g.
//                              http://127.0.0.1:18111
//   DOWNSTREAM_HTTP_PID_FILE   the echo app's master pid file
//   DOWNSTREAM_HTTP_MAX_BODY   the worker's limits.max_body_size (bytes), below nginx's 16m
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace downstream::testing {

struct HttpReply {
    int status = 0;
    std::map<std::string, std::string> headers;  // lower-case names
    std::string body;
};

struct HttpCall {
    std::string method = "GET";
    std::string path = "/";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
    // Connect from this local address (e.g. "127.0.0.2" to appear as another peer).
    std::string source_address;
    int timeout_seconds = 30;
};

// Performs one request on a new connection; throws (Poco exceptions) on network failure.
HttpReply http_call(const HttpCall& call);

// GET `path` under the API prefix /api/downstream/v1.
HttpReply api_get(const std::string& path);

// The configured stack; each fails the calling test loudly when its variable is missing.
std::string stack_host();
int stack_port();
pid_t stack_master_pid();
std::size_t stack_worker_max_body();

// "value" of a flat JSON member in `json` ("pid" -> number text, "client" -> string).
std::string json_member(const std::string& json, const std::string& name);

}  // namespace downstream::testing
