// A ResponseWriter over a FastCGI output stream.
//
// Bytes go out with FCGX_PutStr only: FCGX_FPrintF silently stops at "%zu" (PLATFORM.md),
// so nothing here formats through libfcgi. If nginx has gone away (the client hung up),
// writes fail once, are logged by the caller via failed(), and later writes are dropped.
#pragma once

#include "http/response_writer.h"

#include <fcgiapp.h>

namespace downstream::http {

class FcgiResponseWriter final : public ResponseWriter {
public:
    explicit FcgiResponseWriter(FCGX_Stream* out) : out_(out) {}

    // True once a write to nginx failed.
    bool failed() const { return failed_; }

protected:
    void send_head(int status, const HeaderList& headers) override;
    void send_body(std::string_view bytes) override;
    void send_flush() override;

private:
    void put(std::string_view bytes);

    FCGX_Stream* out_;
    bool failed_ = false;
};

}  // namespace downstream::http
