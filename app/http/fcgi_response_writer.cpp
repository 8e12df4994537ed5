#include "http/fcgi_response_writer.h"

#include <algorithm>
#include <string>

namespace downstream::http {

void FcgiResponseWriter::put(std::string_view bytes) {
    while (!failed_ && !bytes.empty()) {
        // FCGX_PutStr takes an int length: write very large bodies in pieces.
        const std::size_t piece = std::min<std::size_t>(bytes.size(), 1u << 20);
        if (FCGX_PutStr(bytes.data(), static_cast<int>(piece), out_) != static_cast<int>(piece)) {
            failed_ = true;
            return;
        }
        bytes.remove_prefix(piece);
    }
}

void FcgiResponseWriter::send_head(int status, const HeaderList& headers) {
    // CGI response: "Status:" carries the code; nginx builds the HTTP status line from it.
    std::string head = "Status: " + std::to_string(status) + " " + reason_phrase(status) + "\r\n";
    for (const auto& [name, value] : headers) {
        head += name;
        head += ": ";
        head += value;
        head += "\r\n";
    }
    head += "\r\n";
    put(head);
}

void FcgiResponseWriter::send_body(std::string_view bytes) { put(bytes); }

void FcgiResponseWriter::send_flush() {
    if (!failed_ && FCGX_FFlush(out_) != 0) failed_ = true;
}

}  // namespace downstream::http
