#include "http/cgi_params.h"

#include <cstring>
#include <limits>

namespace downstream::http {

namespace {

// "HTTP_X_FORWARDED_FOR" -> "x-forwarded-for"
std::string header_name(std::string_view cgi_name) {
    std::string name = to_lower_ascii(cgi_name);
    for (char& c : name) {
        if (c == '_') c = '-';
    }
    return name;
}

}  // namespace

Result<RequestHead> parse_cgi_params(const char* const* envp, const TrustedProxies& trusted) {
    RequestHead head;
    Request& r = head.request;
    std::string request_uri, document_uri, query_string, remote_addr, content_length;
    bool have_uri = false;
    for (const char* const* p = envp; p != nullptr && *p != nullptr; ++p) {
        const std::string_view entry(*p);
        const std::size_t eq = entry.find('=');
        if (eq == std::string_view::npos) continue;
        const std::string_view name = entry.substr(0, eq);
        const std::string_view value = entry.substr(eq + 1);
        if (name == "REQUEST_METHOD") {
            r.method = std::string(value);
        } else if (name == "REQUEST_URI") {
            request_uri = std::string(value);
            have_uri = true;
        } else if (name == "DOCUMENT_URI") {
            document_uri = std::string(value);
        } else if (name == "QUERY_STRING") {
            query_string = std::string(value);
        } else if (name == "REMOTE_ADDR") {
            remote_addr = std::string(value);
        } else if (name == "CONTENT_LENGTH") {
            content_length = std::string(value);
            if (!value.empty()) r.headers.add("content-length", std::string(value));
        } else if (name == "CONTENT_TYPE") {
            if (!value.empty()) r.headers.add("content-type", std::string(value));
        } else if (name.size() > 5 && name.substr(0, 5) == "HTTP_") {
            r.headers.add(header_name(name.substr(5)), std::string(value));
        }
    }
    if (r.method.empty()) return make_error("request has no method");
    if (have_uri) {
        const std::size_t q = request_uri.find('?');
        r.path = request_uri.substr(0, q);
        r.query = q == std::string::npos ? query_string : request_uri.substr(q + 1);
    } else {
        // Not nginx's default fastcgi_params: fall back to the (decoded) document URI.
        r.path = document_uri;
        r.query = query_string;
    }
    if (r.path.empty() || r.path.front() != '/') return make_error("request has no path");
    if (!content_length.empty()) {
        std::uint64_t value = 0;
        for (char c : content_length) {
            if (c < '0' || c > '9' || value > (std::numeric_limits<std::uint64_t>::max() - 9) / 10) {
                return make_error("invalid Content-Length \"" + content_length.substr(0, 32) + "\"");
            }
            value = value * 10 + static_cast<std::uint64_t>(c - '0');
        }
        head.content_length = value;
    }
    r.peer_address = remote_addr;
    // Repeated X-Forwarded-For fields form one list, in order (RFC 7230 section 3.2.2).
    std::string forwarded;
    for (const auto& [field, value] : r.headers.fields()) {
        if (field != "x-forwarded-for") continue;
        if (!forwarded.empty()) forwarded += ",";
        forwarded += value;
    }
    r.client_address = resolve_client_address(remote_addr, forwarded, trusted);
    return head;
}

}  // namespace downstream::http
