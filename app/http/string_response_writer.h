// A ResponseWriter that keeps everything in memory: for unit tests of handlers and routes.
#pragma once

#include "http/response_writer.h"

#include <optional>
#include <string>

namespace downstream::http {

class StringResponseWriter final : public ResponseWriter {
public:
    // The headers passed to start(), in order.
    const HeaderList& headers() const { return headers_; }
    // The first value of header `name` (case-insensitive), if any.
    std::optional<std::string> header(std::string_view name) const;
    // The body written so far.
    const std::string& body() const { return body_; }
    // How many times flush() was called.
    int flushes() const { return flushes_; }

protected:
    void send_head(int, const HeaderList& headers) override { headers_ = headers; }
    void send_body(std::string_view bytes) override { body_.append(bytes); }
    void send_flush() override { ++flushes_; }

private:
    HeaderList headers_;
    std::string body_;
    int flushes_ = 0;
};

}  // namespace downstream::http
