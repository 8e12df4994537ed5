// Request bodies that may arrive gzip-compressed, inflated incrementally with a size limit.
//
// The shipped farmer client sends "Content-Encoding: gzip" on an *uncompressed* body, so the
// header is not believed: a body is inflated exactly when its first two bytes are the gzip
// magic 1f 8b (JSON never starts with them) and passed through unchanged otherwise.
// The limit applies to what comes out (after inflation), so a gzip bomb stops at the limit
// with 413 instead of filling memory; corrupt or truncated gzip data is 400.
#pragma once

#include "http/http_error.h"

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace downstream::http {

class GzipInflater {
public:
    // A body of at most `max_output` bytes once inflated.
    explicit GzipInflater(std::size_t max_output);
    ~GzipInflater();
    GzipInflater(const GzipInflater&) = delete;
    GzipInflater& operator=(const GzipInflater&) = delete;

    // Takes the next piece of the body (pieces may split anywhere, even inside the magic
    // bytes). Returns the first error met; once failed, every later call returns it again.
    std::optional<HttpError> feed(std::string_view piece);

    // Declares the body complete: an error if the gzip data stopped mid-stream.
    std::optional<HttpError> finish();

    // True once the magic bytes were seen (the body is being inflated).
    bool compressed() const;

    // The decoded body so far; complete after a successful finish().
    std::string& body() { return output_; }

private:
    struct Zlib;
    enum class Mode { Sniffing, Plain, Gzip, Failed };

    std::optional<HttpError> fail(HttpError error);
    std::optional<HttpError> inflate_piece(std::string_view piece);
    std::optional<HttpError> append_plain(std::string_view piece);

    std::size_t max_output_;
    Mode mode_ = Mode::Sniffing;
    std::string held_;  // the first byte, while it could start the magic
    std::string output_;
    std::optional<HttpError> failure_;
    std::unique_ptr<Zlib> zlib_;
};

// The whole body at once: `raw` decoded into `out` (see GzipInflater).
std::optional<HttpError> decode_body(std::string_view raw, std::size_t max_output,
                                     std::string& out);

}  // namespace downstream::http
