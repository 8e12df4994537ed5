#include "http/gzip_inflater.h"

#include <zlib.h>

#include <algorithm>
#include <new>

namespace downstream::http {

namespace {

constexpr unsigned char kMagic0 = 0x1f;
constexpr unsigned char kMagic1 = 0x8b;
constexpr std::size_t kChunk = 64 * 1024;

HttpError too_large(std::size_t max) {
    return HttpError::payload_too_large("request body larger than " + std::to_string(max) +
                                        " bytes");
}

}  // namespace

struct GzipInflater::Zlib {
    z_stream stream{};
    bool initialised = false;
    // True between the end of a gzip member and the next input byte: finishing here is fine.
    bool member_complete = false;

    ~Zlib() {
        if (initialised) inflateEnd(&stream);
    }
};

GzipInflater::GzipInflater(std::size_t max_output) : max_output_(max_output) {}

GzipInflater::~GzipInflater() = default;

bool GzipInflater::compressed() const { return zlib_ != nullptr; }

std::optional<HttpError> GzipInflater::fail(HttpError error) {
    mode_ = Mode::Failed;
    failure_ = std::move(error);
    std::string().swap(output_);  // release the partial output's memory, not just its size
    return failure_;
}

std::optional<HttpError> GzipInflater::append_plain(std::string_view piece) {
    if (output_.size() + piece.size() > max_output_) return fail(too_large(max_output_));
    output_.append(piece);
    return std::nullopt;
}

std::optional<HttpError> GzipInflater::inflate_piece(std::string_view piece) {
    z_stream& s = zlib_->stream;
    s.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(piece.data()));
    s.avail_in = static_cast<uInt>(piece.size());
    for (;;) {
        if (zlib_->member_complete) {
            if (s.avail_in == 0) break;
            // Another gzip member follows (gzip allows concatenation); anything else is
            // rejected by inflate as a bad header.
            inflateReset(&s);
            zlib_->member_complete = false;
        }
        // One byte of room past the limit, so "exactly at the limit" and "over it" differ.
        const std::size_t room = max_output_ + 1 - output_.size();
        const std::size_t grant = std::min(kChunk, room);
        const std::size_t before = output_.size();
        output_.resize(before + grant);
        s.next_out = reinterpret_cast<Bytef*>(&output_[before]);
        s.avail_out = static_cast<uInt>(grant);
        const int rc = inflate(&s, Z_NO_FLUSH);
        output_.resize(before + (grant - s.avail_out));
        if (output_.size() > max_output_) return fail(too_large(max_output_));
        if (rc == Z_STREAM_END) {
            zlib_->member_complete = true;
            continue;
        }
        if (rc == Z_MEM_ERROR) throw std::bad_alloc();
        if (rc == Z_BUF_ERROR) break;  // no progress possible until more input arrives
        if (rc != Z_OK) {
            return fail(HttpError::bad_request("request body is not valid gzip data"));
        }
        // All input taken and the output not full: nothing is pending inside zlib.
        if (s.avail_in == 0 && s.avail_out != 0) break;
    }
    return std::nullopt;
}

std::optional<HttpError> GzipInflater::feed(std::string_view piece) {
    if (mode_ == Mode::Failed) return failure_;
    if (mode_ == Mode::Sniffing) {
        // Collect the first two bytes (or one, if it already rules gzip out).
        while (!piece.empty() && held_.size() < 2) {
            held_.push_back(piece.front());
            piece.remove_prefix(1);
            if (static_cast<unsigned char>(held_[0]) != kMagic0) break;
        }
        if (held_.empty()) return std::nullopt;
        const bool first_is_magic = static_cast<unsigned char>(held_[0]) == kMagic0;
        if (first_is_magic && held_.size() < 2) return std::nullopt;  // undecided yet
        std::string start;
        start.swap(held_);
        if (first_is_magic && static_cast<unsigned char>(start[1]) == kMagic1) {
            mode_ = Mode::Gzip;
            zlib_ = std::make_unique<Zlib>();
            // 16 + MAX_WBITS: the gzip wrapper only (no raw deflate, no zlib header).
            if (inflateInit2(&zlib_->stream, 16 + MAX_WBITS) != Z_OK) throw std::bad_alloc();
            zlib_->initialised = true;
            if (auto error = inflate_piece(start)) return error;
        } else {
            mode_ = Mode::Plain;
            if (auto error = append_plain(start)) return error;
        }
    }
    if (piece.empty()) return std::nullopt;
    return mode_ == Mode::Gzip ? inflate_piece(piece) : append_plain(piece);
}

std::optional<HttpError> GzipInflater::finish() {
    if (mode_ == Mode::Failed) return failure_;
    if (mode_ == Mode::Sniffing) {
        mode_ = Mode::Plain;
        std::string start;
        start.swap(held_);
        return append_plain(start);
    }
    if (mode_ == Mode::Gzip && !zlib_->member_complete) {
        return fail(HttpError::bad_request("request body is truncated gzip data"));
    }
    return std::nullopt;
}

std::optional<HttpError> decode_body(std::string_view raw, std::size_t max_output,
                                     std::string& out) {
    GzipInflater inflater(max_output);
    if (auto error = inflater.feed(raw)) return error;
    if (auto error = inflater.finish()) return error;
    out = std::move(inflater.body());
    return std::nullopt;
}

}  // namespace downstream::http
