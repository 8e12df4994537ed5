#include "http/json_stream.h"

namespace downstream::http {

JsonStream::JsonStream(ResponseWriter& writer, int status, const HeaderList& headers,
                       std::size_t flush_bytes)
    : writer_(writer), status_(status), flush_bytes_(flush_bytes) {
    headers_.reserve(headers.size() + 2);
    headers_.emplace_back("Content-Type", "application/json");
    headers_.insert(headers_.end(), headers.begin(), headers.end());
}

void JsonStream::write(std::string_view piece) {
    buffer_.append(piece);
    if (buffer_.size() >= flush_bytes_) drain(true);
}

void JsonStream::finish() {
    if (finished_) return;
    finished_ = true;
    if (!writer_.started()) headers_.emplace_back("Content-Length", std::to_string(buffer_.size()));
    drain(false);
}

void JsonStream::drain(bool flush) {
    if (!writer_.started()) writer_.start(status_, headers_);
    if (!buffer_.empty()) writer_.write(buffer_);
    buffer_.clear();
    if (flush) writer_.flush();
}

}  // namespace downstream::http
