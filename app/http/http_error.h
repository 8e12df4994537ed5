// Client errors as values: what a handler returns instead of throwing.
//
// Every error reaches the client as {"status": "error", "message": "..."} with the HTTP
// status chosen here. The message is shown to the farmer by its client, so it says
// precisely what was wrong with *their* request; it never carries internals.
#pragma once

#include "http/response_writer.h"

#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace downstream::http {

struct HttpError {
    int status = 400;
    std::string message;
    // Extra header fields to send with the error (e.g. Allow on 405, Retry-After on 503).
    HeaderList headers;

    static HttpError bad_request(std::string message) { return {400, std::move(message), {}}; }
    static HttpError not_found(std::string message) { return {404, std::move(message), {}}; }
    static HttpError payload_too_large(std::string message) {
        return {413, std::move(message), {}};
    }
};

// What a handler returns: success (it has written its response) or a client error that the
// router writes for it. Implicit from HttpError so handlers can `return HttpError::...`.
class [[nodiscard]] HandlerResult {
public:
    HandlerResult() = default;
    HandlerResult(HttpError error) : error_(std::move(error)) {}  // NOLINT: implicit by design

    static HandlerResult done() { return {}; }
    bool ok() const { return !error_.has_value(); }
    const HttpError& error() const { return *error_; }

private:
    std::optional<HttpError> error_;
};

// {"status":"error","message":"<message, JSON-escaped>"}
std::string error_json(std::string_view message);

// Writes `error` as a complete JSON response. The caller checks that nothing was sent yet.
void write_error(ResponseWriter& writer, const HttpError& error);

}  // namespace downstream::http
