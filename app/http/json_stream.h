// A JSON response written in pieces as they are produced (long lists of contracts, challenges,
// answer reports, farmers), so a worker never holds a whole long reply in memory.
//
// The status and headers go out when the stream is made: make it only after every decision
// that could change them is final (the database work committed), so a stream never has to
// lie about its status (DESIGN.md §2 "Streaming without lying").
#pragma once

#include "http/response_writer.h"

#include <string>
#include <string_view>

namespace downstream::http {

class JsonStream {
public:
    // Starts a `status` response with Content-Type application/json (and `headers`). Pieces
    // are buffered and pushed to the client whenever `flush_bytes` have gathered.
    JsonStream(ResponseWriter& writer, int status, const HeaderList& headers = {},
               std::size_t flush_bytes = 64 * 1024);
    JsonStream(const JsonStream&) = delete;
    JsonStream& operator=(const JsonStream&) = delete;

    // Appends JSON text (the caller keeps it well-formed).
    void write(std::string_view piece);

    // Writes what is buffered; the response is complete when the handler returns.
    void finish();

private:
    void drain(bool flush);
    ResponseWriter& writer_;
    std::size_t flush_bytes_;
    std::string buffer_;
    bool finished_ = false;
};

}  // namespace downstream::http
