// RAII over one libfcgi request slot (FCGX_Request), reused by one accept loop.
//
// Only http/fcgi_* files see libfcgi; everything above them sees http::Request.
#pragma once

#include "http/client_address.h"
#include "http/http_error.h"
#include "http/request.h"

#include <fcgiapp.h>

#include <cstddef>
#include <optional>

namespace downstream::http {

// A request read from FastCGI: the request, or the client error that stopped reading it
// (then `request` holds whatever of the method and path was known, for the log line).
struct ReadOutcome {
    Request request;
    std::optional<HttpError> error;
};

class FcgiRequest {
public:
    // A slot accepting on `listen_fd`. FCGX_Init() must have run in this process.
    explicit FcgiRequest(int listen_fd);
    // Finishes any open request and closes its connection.
    ~FcgiRequest();
    FcgiRequest(const FcgiRequest&) = delete;
    FcgiRequest& operator=(const FcgiRequest&) = delete;

    // FCGX_Accept_r: 0 when a request is open, else a negative errno (-EAGAIN when another
    // thread or process took the connection first on the non-blocking listen socket).
    int accept();

    // Completes the current request (flushes and ends its output). Idempotent.
    void finish();

    // The open request's connection; after finish(), the connection nginx kept open
    // (fastcgi_keep_conn on), or -1.
    int kept_connection_fd() const;
    // Closes a kept connection (used when stopping).
    void close_connection();

    // Reads the parameters and the body of the open request. CONTENT_LENGTH is checked
    // against `max_body_size` before any body byte is read (413; the body is then read and
    // discarded so nginx is not cut off mid-upload and can relay the 413); the body is
    // inflated when gzip (http/gzip_inflater.h), with the same limit after inflation.
    ReadOutcome read(const TrustedProxies& trusted, std::size_t max_body_size);

    // The output stream of the open request.
    FCGX_Stream* out() { return request_.out; }

private:
    FCGX_Request request_{};
};

}  // namespace downstream::http
