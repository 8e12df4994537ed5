#include "http/response_writer.h"

#include <string>

namespace downstream::http {

namespace {

bool splits_response(std::string_view text) {
    return text.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos;
}

}  // namespace

void ResponseWriter::start(int status, const HeaderList& headers) {
    if (started()) {
        throw ResponseMisuse("response status sent twice (first " + std::to_string(status_) +
                             ", then " + std::to_string(status) + ")");
    }
    if (status < 100 || status > 599) {
        throw ResponseMisuse("invalid HTTP status " + std::to_string(status));
    }
    for (const auto& [name, value] : headers) {
        if (name.empty() || splits_response(name) || splits_response(value) ||
            name.find(':') != std::string::npos) {
            throw ResponseMisuse("invalid response header \"" + name + "\"");
        }
    }
    status_ = status;
    send_head(status, headers);
}

void ResponseWriter::write(std::string_view bytes) {
    if (!started()) throw ResponseMisuse("response body written before its status");
    if (bytes.empty()) return;
    body_bytes_ += bytes.size();
    send_body(bytes);
}

void ResponseWriter::flush() {
    if (!started()) throw ResponseMisuse("response flushed before its status");
    send_flush();
}

void ResponseWriter::respond(int status, std::string_view content_type, std::string_view body) {
    start(status, {{"Content-Type", std::string(content_type)},
                   {"Content-Length", std::to_string(body.size())}});
    write(body);
}

void ResponseWriter::respond_json(int status, std::string_view json_text) {
    respond(status, "application/json", json_text);
}

const char* reason_phrase(int status) {
    switch (status) {
        case 100: return "Continue";
        case 200: return "OK";
        case 201: return "Created";
        case 202: return "Accepted";
        case 204: return "No Content";
        case 301: return "Moved Permanently";
        case 302: return "Found";
        case 304: return "Not Modified";
        case 400: return "Bad Request";
        case 401: return "Unauthorized";
        case 403: return "Forbidden";
        case 404: return "Not Found";
        case 405: return "Method Not Allowed";
        case 408: return "Request Timeout";
        case 409: return "Conflict";
        case 410: return "Gone";
        case 411: return "Length Required";
        case 413: return "Payload Too Large";
        case 415: return "Unsupported Media Type";
        case 422: return "Unprocessable Entity";
        case 429: return "Too Many Requests";
        case 500: return "Internal Server Error";
        case 501: return "Not Implemented";
        case 502: return "Bad Gateway";
        case 503: return "Service Unavailable";
        case 504: return "Gateway Timeout";
        default: return "Unknown";
    }
}

}  // namespace downstream::http
