// Fuzzes http::GzipInflater / decode_body (http/gzip_inflater.h): request bodies that may be
// gzip, under a small output limit.
//
// Input: one byte choosing the limit, one byte seeding how the body is cut into pieces, then
// the body. Invariants: only 400 and 413 come back; output never exceeds the limit; a body
// without the gzip magic passes unchanged; feeding the body in arbitrary pieces gives exactly
// what feeding it whole gives; once failed, the inflater keeps failing the same way; and any
// bytes gzip-compressed by zlib come back intact (or 413 when over the limit).
#include "fuzz/fuzz_check.h"
#include "http/gzip_inflater.h"

#include <zlib.h>

#include <algorithm>
#include <iterator>
#include <optional>
#include <string>

using namespace downstream;
using namespace downstream::http;

namespace {

constexpr std::size_t kLimits[] = {0, 1, 2, 10, 100, 1000, 4096, 65535, 65536, 65537, 200000};

bool is_gzip(std::string_view body) {
    return body.size() >= 2 && static_cast<unsigned char>(body[0]) == 0x1f &&
           static_cast<unsigned char>(body[1]) == 0x8b;
}

std::string gzip(std::string_view bytes) {
    z_stream s{};
    // Fast and small (a 512-byte window, little state): any valid gzip member will do, and a
    // full-size deflate state per input would dominate the run.
    FUZZ_CHECK(deflateInit2(&s, 1, Z_DEFLATED, 16 + 9, 1, Z_DEFAULT_STRATEGY) == Z_OK);
    std::string out(deflateBound(&s, bytes.size()) + 32, '\0');
    s.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
    s.avail_in = static_cast<uInt>(bytes.size());
    s.next_out = reinterpret_cast<Bytef*>(out.data());
    s.avail_out = static_cast<uInt>(out.size());
    FUZZ_CHECK(deflate(&s, Z_FINISH) == Z_STREAM_END);
    out.resize(s.total_out);
    deflateEnd(&s);
    return out;
}

struct Outcome {
    std::optional<HttpError> error;
    std::string body;
    bool compressed = false;
};

// Feeds `body` in pieces whose sizes come from `seed` (empty pieces included), then finishes.
Outcome feed_in_pieces(std::string_view body, std::size_t limit, unsigned seed) {
    GzipInflater inflater(limit);
    Outcome out;
    unsigned state = seed * 2654435761u + 1;
    while (!body.empty() && !out.error) {
        state = state * 1103515245u + 12345u;
        const std::size_t piece = (state >> 16) % 19;  // 0 .. 18 bytes
        out.error = inflater.feed(body.substr(0, piece));
        body.remove_prefix(std::min(piece, body.size()));
    }
    if (!out.error) out.error = inflater.finish();
    if (out.error) {
        // A failed inflater answers every later call with the same error.
        const auto again = inflater.feed("more");
        FUZZ_CHECK(again && again->status == out.error->status);
        const auto finished = inflater.finish();
        FUZZ_CHECK(finished && finished->status == out.error->status);
    }
    out.body = inflater.body();
    out.compressed = inflater.compressed();
    return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    fuzz::FuzzInput input(data, size);
    const std::size_t limit = kLimits[input.byte() % std::size(kLimits)];
    const unsigned seed = input.byte();
    const std::string_view body = input.rest();

    std::string whole;
    const std::optional<HttpError> error = decode_body(body, limit, whole);
    if (error) {
        FUZZ_CHECK(error->status == 400 || error->status == 413);
        FUZZ_CHECK(!error->message.empty());
    } else {
        FUZZ_CHECK(whole.size() <= limit);
    }
    if (!is_gzip(body)) {
        FUZZ_CHECK(error.has_value() == (body.size() > limit));
        if (!error) FUZZ_CHECK(whole == body);
        if (error) FUZZ_CHECK(error->status == 413);
    }

    const Outcome pieces = feed_in_pieces(body, limit, seed);
    FUZZ_CHECK(pieces.error.has_value() == error.has_value());
    if (error) {
        FUZZ_CHECK(pieces.error->status == error->status);
    } else {
        FUZZ_CHECK(pieces.body == whole);
    }
    FUZZ_CHECK(pieces.compressed == is_gzip(body));

    // Whatever the bytes, zlib's gzip of them inflates back to them.
    const std::string packed = gzip(body);
    std::string unpacked;
    const std::optional<HttpError> round = decode_body(packed, limit, unpacked);
    if (body.size() > limit) {
        FUZZ_CHECK(round && round->status == 413);
    } else {
        FUZZ_CHECK(!round);
        FUZZ_CHECK(unpacked == body);
        // Two members back to back are one body (gzip allows concatenation).
        std::string twice;
        const std::optional<HttpError> doubled = decode_body(packed + packed, 2 * limit, twice);
        FUZZ_CHECK(!doubled && twice == std::string(body) + std::string(body));
    }
    return 0;
}
