// The streaming response a handler writes: status and headers first, then body pieces.
//
// The order is enforced here, once, for every implementation: the status goes out exactly
// once, and no body byte can precede it. A handler that breaks the order has a bug, so the
// guard throws ResponseMisuse (a std::logic_error), which the router maps to HTTP 500 when
// nothing has been sent yet.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace downstream::http {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

// A handler wrote in the wrong order (body before status, status twice) or passed a header
// that would split the response (CR or LF in a name or value).
class ResponseMisuse : public std::logic_error {
public:
    using std::logic_error::logic_error;
};

class ResponseWriter {
public:
    virtual ~ResponseWriter() = default;
    ResponseWriter() = default;
    ResponseWriter(const ResponseWriter&) = delete;
    ResponseWriter& operator=(const ResponseWriter&) = delete;

    // Sends the status line and the header fields. Throws ResponseMisuse when called a second
    // time, for a status outside 100..599, or for a header containing CR, LF or NUL.
    void start(int status, const HeaderList& headers);

    // Sends one piece of the body. Throws ResponseMisuse before start().
    void write(std::string_view bytes);

    // Pushes what was written so far towards the client (for long, streamed lists).
    // Throws ResponseMisuse before start().
    void flush();

    // A complete response in one call: status, Content-Type, Content-Length and body.
    void respond(int status, std::string_view content_type, std::string_view body);

    // A complete JSON response (Content-Type: application/json).
    void respond_json(int status, std::string_view json_text);

    bool started() const { return status_ != 0; }
    // The status sent, or 0 before start().
    int status() const { return status_; }
    // Body bytes written so far.
    std::size_t body_bytes() const { return body_bytes_; }

protected:
    virtual void send_head(int status, const HeaderList& headers) = 0;
    virtual void send_body(std::string_view bytes) = 0;
    virtual void send_flush() = 0;

private:
    int status_ = 0;
    std::size_t body_bytes_ = 0;
};

// The reason phrase for a status code ("Not Found"), or "Unknown" for codes it does not know.
const char* reason_phrase(int status);

}  // namespace downstream::http
