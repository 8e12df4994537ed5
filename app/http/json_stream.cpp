#include "http/json_stream.h"

namespace downstream::http {

JsonStream::JsonStream(ResponseWriter& writer, int status, const HeaderList& headers,
                       std::size_t flush_bytes)
    : writer_(writer), flush_bytes_(flush_bytes) {
    HeaderList all{{"Content-Type", "application/json"}};
    all.insert(all.end(), headers.begin(), headers.end());
    writer_.start(status, all);
    buffer_.reserve(flush_bytes_ + 4096);
}

void JsonStream::write(std::string_view piece) {
    buffer_.append(piece);
    if (buffer_.size() >= flush_bytes_) drain(true);
}

void JsonStream::finish() {
    if (finished_) return;
    finished_ = true;
    drain(false);
}

void JsonStream::drain(bool flush) {
    if (!buffer_.empty()) writer_.write(buffer_);
    buffer_.clear();
    if (flush) writer_.flush();
}

}  // namespace downstream::http
