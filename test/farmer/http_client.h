// An HTTP/1.1 client on one kept-alive connection (Poco underneath, kept out of this header):
// what the test farmer, the API integration tests and a load generator talk to the node with.
// One client per thread; it holds no state shared with any other client.
#pragma once

#include "base/result.h"

#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace downstream::farmer {

// Where a node listens, from a URL such as "http://127.0.0.1:8080" or "http://host/".
struct Endpoint {
    std::string host;
    int port = 80;
};

// Parses an http:// URL (a path after the host is ignored; https is refused: the test farmer
// talks to local stacks only).
Result<Endpoint> parse_url(std::string_view url);

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct HttpResponse {
    int status = 0;
    std::map<std::string, std::string> headers;  // lower-case names
    std::string body;            // inflated when the reply came gzip-compressed
    std::size_t wire_bytes = 0;  // the body's size as it came over the connection
};

struct HttpClientOptions {
    Endpoint endpoint;
    int timeout_seconds = 30;
    // Sent as X-Forwarded-For on every request when not empty: behind nginx and a node that
    // trusts it (proxy.trusted), the request then appears to come from this IP.
    std::string forwarded_for;
    // Sends "Accept-Encoding: gzip, deflate" on every request, as the shipped client
    // (python-requests) does, so nginx may compress replies; a gzip reply's body is handed
    // back inflated, and its headers still say "content-encoding: gzip".
    bool accept_gzip = false;
};

class HttpClient {
public:
    explicit HttpClient(HttpClientOptions options);
    ~HttpClient();
    HttpClient(const HttpClient&) = delete;
    HttpClient& operator=(const HttpClient&) = delete;

    // Sends one request on the kept-alive connection (opened, or reopened once if the server
    // closed it meanwhile) and reads the whole response. A POST always carries a
    // Content-Length. Throws std::runtime_error when the server cannot be reached or the
    // connection fails twice: network failure is exceptional for the callers.
    HttpResponse request(std::string_view method, const std::string& path, std::string_view body = {},
                         const HeaderList& headers = {});
    HttpResponse get(const std::string& path) { return request("GET", path); }
    HttpResponse post_json(const std::string& path, std::string_view body,
                           const HeaderList& extra_headers = {});

    void set_forwarded_for(std::string ip) { options_.forwarded_for = std::move(ip); }
    const std::string& forwarded_for() const { return options_.forwarded_for; }
    const Endpoint& endpoint() const { return options_.endpoint; }

    // Requests answered so far.
    std::size_t requests_sent() const { return requests_; }

private:
    struct Session;
    HttpResponse exchange(std::string_view method, const std::string& path, std::string_view body,
                          const HeaderList& headers);

    HttpClientOptions options_;
    std::unique_ptr<Session> session_;
    std::size_t requests_ = 0;
};

}  // namespace downstream::farmer
