#include "http/fcgi_request.h"

#include "http/cgi_params.h"
#include "http/gzip_inflater.h"

#include <algorithm>
#include <array>
#include <string>

namespace downstream::http {

namespace {

constexpr std::size_t kReadPiece = 64 * 1024;

// Where stdin is read into, on the thread's stack and left uninitialized: a GET arrives with
// an empty CONTENT_LENGTH (length unknown), and a zero-filled heap buffer of 64 KiB for each
// one was most of a worker's memset while issuing tokens.
using ReadBuffer = std::array<char, kReadPiece>;

// Reads and throws away up to `remaining` bytes of stdin.
void discard(FCGX_Stream* in, std::uint64_t remaining) {
    ReadBuffer buffer;
    while (remaining > 0) {
        const int want = static_cast<int>(std::min<std::uint64_t>(remaining, buffer.size()));
        const int got = FCGX_GetStr(buffer.data(), want, in);
        if (got <= 0) return;
        remaining -= static_cast<std::uint64_t>(got);
    }
}

}  // namespace

FcgiRequest::FcgiRequest(int listen_fd) { FCGX_InitRequest(&request_, listen_fd, 0); }

FcgiRequest::~FcgiRequest() {
    FCGX_Finish_r(&request_);
    FCGX_Free(&request_, 1);
}

int FcgiRequest::accept() { return FCGX_Accept_r(&request_); }

void FcgiRequest::finish() { FCGX_Finish_r(&request_); }

int FcgiRequest::kept_connection_fd() const { return request_.ipcFd; }

void FcgiRequest::close_connection() {
    FCGX_Finish_r(&request_);
    FCGX_Free(&request_, 1);
}

ReadOutcome FcgiRequest::read(const TrustedProxies& trusted, std::size_t max_body_size) {
    ReadOutcome outcome;
    auto head = parse_cgi_params(request_.envp, trusted);
    if (!head.ok()) {
        outcome.request.method = "?";
        outcome.request.path = "?";
        outcome.error = HttpError::bad_request(head.error().message);
        return outcome;
    }
    outcome.request = std::move(head->request);
    // Unknown length: read to the end of stdin, which the inflater's limit still bounds.
    const bool known = head->content_length.has_value();
    const std::uint64_t length = known ? *head->content_length : max_body_size + std::uint64_t{1};
    if (known && length > max_body_size) {
        discard(request_.in, length);
        outcome.error = HttpError::payload_too_large("request body larger than " +
                                                     std::to_string(max_body_size) + " bytes");
        return outcome;
    }
    if (known && length == 0) return outcome;  // most GETs: no buffer, no inflater
    GzipInflater inflater(max_body_size);
    ReadBuffer buffer;
    std::uint64_t remaining = length;
    while (remaining > 0) {
        const int want = static_cast<int>(std::min<std::uint64_t>(remaining, buffer.size()));
        const int got = FCGX_GetStr(buffer.data(), want, request_.in);
        if (got <= 0) {
            if (!known) break;
            outcome.error = HttpError::bad_request("request body is shorter than its Content-Length");
            return outcome;
        }
        remaining -= static_cast<std::uint64_t>(got);
        if (auto error = inflater.feed(std::string_view(buffer.data(), static_cast<std::size_t>(got)))) {
            discard(request_.in, remaining);
            outcome.error = std::move(error);
            return outcome;
        }
    }
    if (auto error = inflater.finish()) {
        outcome.error = std::move(error);
        return outcome;
    }
    outcome.request.body = std::move(inflater.body());
    return outcome;
}

}  // namespace downstream::http
