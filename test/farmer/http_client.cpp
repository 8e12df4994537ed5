#include "farmer/http_client.h"

#include "http/gzip_inflater.h"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

#include <cctype>
#include <sstream>
#include <stdexcept>

namespace downstream::farmer {

Result<Endpoint> parse_url(std::string_view url) {
    constexpr std::string_view kScheme = "http://";
    if (url.substr(0, kScheme.size()) != kScheme)
        return make_error("URL '" + std::string(url) + "' must start with http://");
    std::string_view rest = url.substr(kScheme.size());
    rest = rest.substr(0, rest.find('/'));
    if (rest.empty()) return make_error("URL '" + std::string(url) + "' names no host");
    Endpoint endpoint;
    const std::size_t colon = rest.rfind(':');
    if (colon == std::string_view::npos || rest.back() == ']') {
        endpoint.host = std::string(rest);
        return endpoint;
    }
    endpoint.host = std::string(rest.substr(0, colon));
    const std::string_view port = rest.substr(colon + 1);
    int value = 0;
    for (char c : port) {
        if (!std::isdigit(static_cast<unsigned char>(c)) || value > 65535)
            return make_error("URL '" + std::string(url) + "' has a bad port");
        value = value * 10 + (c - '0');
    }
    if (port.empty() || value == 0 || value > 65535)
        return make_error("URL '" + std::string(url) + "' has a bad port");
    endpoint.port = value;
    return endpoint;
}

namespace {

// A gzip reply's body, inflated by the node's own body decoder (a reply over 1 GiB inflated
// is taken for a fault).
std::string inflate(std::string_view body, const std::string& path) {
    std::string text;
    if (const auto error = http::decode_body(body, std::size_t{1} << 30, text))
        throw std::runtime_error("reply to " + path + " says gzip but does not inflate: " + error->message);
    return text;
}

}  // namespace

struct HttpClient::Session {
    Poco::Net::HTTPClientSession session;
    std::size_t served = 0;  // requests answered on the current connection

    Session(const Endpoint& endpoint, int timeout_seconds)
        : session(endpoint.host, static_cast<Poco::UInt16>(endpoint.port)) {
        session.setKeepAlive(true);
        session.setTimeout(Poco::Timespan(timeout_seconds, 0));
    }
};

HttpClient::HttpClient(HttpClientOptions options) : options_(std::move(options)) {}

HttpClient::~HttpClient() = default;

HttpResponse HttpClient::post_json(const std::string& path, std::string_view body,
                                   const HeaderList& extra_headers) {
    HeaderList headers{{"Content-Type", "application/json"}};
    headers.insert(headers.end(), extra_headers.begin(), extra_headers.end());
    return request("POST", path, body, headers);
}

HttpResponse HttpClient::request(std::string_view method, const std::string& path,
                                 std::string_view body, const HeaderList& headers) {
    try {
        return exchange(method, path, body, headers);
    } catch (const Poco::Exception& first) {
        // A kept-alive connection the server closed while idle fails on first use: open a
        // new one and send again, once. A fresh connection failing is a real failure.
        const bool was_reused = session_ && session_->served > 0;
        session_.reset();
        if (!was_reused)
            throw std::runtime_error("HTTP " + std::string(method) + " " + path + " to " +
                                     options_.endpoint.host + ":" +
                                     std::to_string(options_.endpoint.port) + ": " +
                                     first.displayText());
    }
    try {
        return exchange(method, path, body, headers);
    } catch (const Poco::Exception& second) {
        session_.reset();
        throw std::runtime_error("HTTP " + std::string(method) + " " + path + " to " +
                                 options_.endpoint.host + ":" +
                                 std::to_string(options_.endpoint.port) + ": " +
                                 second.displayText());
    }
}

HttpResponse HttpClient::exchange(std::string_view method, const std::string& path,
                                  std::string_view body, const HeaderList& headers) {
    if (!session_) session_ = std::make_unique<Session>(options_.endpoint, options_.timeout_seconds);
    Poco::Net::HTTPRequest request(std::string(method), path, Poco::Net::HTTPMessage::HTTP_1_1);
    request.setKeepAlive(true);
    if (!options_.forwarded_for.empty()) request.set("X-Forwarded-For", options_.forwarded_for);
    if (options_.accept_gzip) request.set("Accept-Encoding", "gzip, deflate");
    for (const auto& [name, value] : headers) request.set(name, value);
    if (!body.empty() || method == "POST" || method == "PUT")
        request.setContentLength(static_cast<std::streamsize>(body.size()));

    std::ostream& out = session_->session.sendRequest(request);
    out.write(body.data(), static_cast<std::streamsize>(body.size()));
    Poco::Net::HTTPResponse response;
    std::istream& in = session_->session.receiveResponse(response);
    ++requests_;

    HttpResponse reply;
    reply.status = static_cast<int>(response.getStatus());
    for (const auto& [name, value] : response) {
        std::string lower = name;
        for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        reply.headers[lower] = value;
    }
    std::ostringstream text;
    Poco::StreamCopier::copyStream(in, text);
    reply.body = text.str();
    reply.wire_bytes = reply.body.size();
    ++session_->served;
    if (!response.getKeepAlive()) session_.reset();
    const auto encoding = reply.headers.find("content-encoding");
    if (encoding != reply.headers.end() && encoding->second == "gzip") reply.body = inflate(reply.body, path);
    return reply;
}

}  // namespace downstream::farmer
