// A JSON response written in pieces as they are produced (long lists of contracts, challenges,
// answer reports, farmers), so a worker never holds a whole long reply in memory.
//
// Make it only after every decision that could change the status is final (the database work
// committed), so a stream never has to lie about its status (DESIGN.md §2 "Streaming without
// lying").
#pragma once

#include "http/response_writer.h"

#include <string>
#include <string_view>

namespace downstream::http {

class JsonStream {
public:
    // A `status` response with Content-Type application/json (and `headers`). Pieces are
    // buffered; the status and headers go out with the first `flush_bytes` gathered, and the
    // pieces are then pushed to the client whenever that much has gathered again. A reply
    // that ends before that goes out whole at finish(), with a Content-Length: nginx then
    // knows its size (no chunked framing; gzip_min_length applies, so a short report is not
    // compressed).
    JsonStream(ResponseWriter& writer, int status, const HeaderList& headers = {},
               std::size_t flush_bytes = 64 * 1024);
    JsonStream(const JsonStream&) = delete;
    JsonStream& operator=(const JsonStream&) = delete;

    // Appends JSON text (the caller keeps it well-formed).
    void write(std::string_view piece);

    // Writes what is buffered; the response is complete when the handler returns. Nothing is
    // sent by a stream that is never finished and never reached `flush_bytes`, so a handler
    // that throws before then still gets its error mapped to a proper status.
    void finish();

private:
    void drain(bool flush);
    ResponseWriter& writer_;
    int status_;
    HeaderList headers_;
    std::size_t flush_bytes_;
    std::string buffer_;
    bool finished_ = false;
};

}  // namespace downstream::http
