// RapidJSON's SSE2 scans, in this file only: strings are copied and white space skipped 16
// bytes at a time when reading a NUL-terminated buffer. They must be enabled before the first
// RapidJSON header. This is the one file that instantiates RapidJSON's reader (the node parses
// nowhere else), and it uses no Writer, whose SSE2 string scan (RapidJSON 1.1.0) fails to
// escape the bytes 0x1A-0x1F: the writers elsewhere keep the plain code. The reader's scan has
// the same blind spot, which scan_bytes below steers around.
#if defined(__SSE2__) && !defined(RAPIDJSON_SSE2)
#define RAPIDJSON_SSE2
#endif
#include "json/json_parse.h"

#include <rapidjson/error/en.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <system_error>

namespace downstream::json {
namespace {

// Forwards SAX events to the document while counting nesting depth.
class DepthLimitedHandler {
public:
    DepthLimitedHandler(Document& doc, int max_depth) : doc_(doc), max_depth_(max_depth) {}

    bool Null() { return doc_.Null(); }
    bool Bool(bool b) { return doc_.Bool(b); }
    // Numbers arrive as their text (kParseNumbersAsStringsFlag) and are converted here, so
    // that they read exactly as Python reads them; the typed events never come.
    bool Int(int i) { return doc_.Int(i); }
    bool Uint(unsigned u) { return doc_.Uint(u); }
    bool Int64(int64_t i) { return doc_.Int64(i); }
    bool Uint64(uint64_t u) { return doc_.Uint64(u); }
    bool Double(double d) { return doc_.Double(d); }
    bool RawNumber(const char* s, rapidjson::SizeType n, bool) {
        // RapidJSON has checked the grammar: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
        const char* const end = s + n;
        const bool integer = std::string_view(s, n).find_first_of(".eE") == std::string_view::npos;
        if (integer && *s == '-') {
            std::int64_t value = 0;
            if (const auto r = std::from_chars(s, end, value); r.ec == std::errc() && r.ptr == end)
                return doc_.Int64(value);  // "-0" is the integer 0, as in Python
        } else if (integer) {
            std::uint64_t value = 0;
            if (const auto r = std::from_chars(s, end, value); r.ec == std::errc() && r.ptr == end)
                return doc_.Uint64(value);
        }
        // Fractions, exponents and integers beyond 64 bits are doubles, correctly rounded.
        // One that rounds to infinity (or to zero from a non-zero text) cannot be held, and
        // JSON could not express an infinity when the document is written back.
        double value = 0;
        const auto r = std::from_chars(s, end, value);
        if (r.ec != std::errc() || r.ptr != end || !std::isfinite(value)) {
            out_of_range_ = true;
            return false;
        }
        return doc_.Double(value);
    }
    bool String(const char* s, rapidjson::SizeType n, bool copy) {
        return valid_text(s, n) && doc_.String(s, n, copy);
    }
    bool StartObject() { return enter() && doc_.StartObject(); }
    bool Key(const char* s, rapidjson::SizeType n, bool copy) {
        return valid_text(s, n) && doc_.Key(s, n, copy);
    }
    bool EndObject(rapidjson::SizeType members) { --depth_; return doc_.EndObject(members); }
    bool StartArray() { return enter() && doc_.StartArray(); }
    bool EndArray(rapidjson::SizeType elements) { --depth_; return doc_.EndArray(elements); }

    bool too_deep() const { return too_deep_; }
    bool out_of_range() const { return out_of_range_; }
    bool lone_surrogate() const { return lone_surrogate_; }

private:
    // The raw text is validated as UTF-8, but RapidJSON 1.1.0 turns the escape of a lone low
    // surrogate ("\udc00") into the three bytes ED B0 80, which are not UTF-8: a string that
    // could not be written back as valid JSON. (A lone high surrogate it refuses itself.)
    // Surrogates are the only UTF-8 sequences starting ED A0..ED BF.
    bool valid_text(const char* s, rapidjson::SizeType n) {
        if (n == 0) return true;
        const char* const end = s + n;
        const char* p = s;
        // memchr: most strings are base64 and hold no ED byte at all.
        while ((p = static_cast<const char*>(std::memchr(p, 0xed, static_cast<std::size_t>(end - p)))) !=
               nullptr) {
            if (p + 1 < end && static_cast<unsigned char>(p[1]) >= 0xa0) {
                lone_surrogate_ = true;
                return false;
            }
            ++p;
        }
        return true;
    }
    bool enter() {
        if (++depth_ > max_depth_) {
            too_deep_ = true;
            return false;
        }
        return true;
    }
    Document& doc_;
    int max_depth_;
    int depth_ = 0;
    bool too_deep_ = false;
    bool out_of_range_ = false;
    bool lone_surrogate_ = false;
};

// What one pass over the raw text finds: the first NUL byte, whether every byte is ASCII, and
// whether a byte 0x18-0x1F appears.
struct ByteScan {
    std::size_t first_nul = std::string_view::npos;
    bool ascii = true;
    // RapidJSON 1.1.0's SSE2 string scan tests "below 0x1A" where JSON forbids "below 0x20", so
    // it would take a raw 0x1A-0x1F inside a string for a character. Such a byte is invalid
    // anywhere in JSON text, so text holding one (0x18-0x1F: one mask) is read by the exact
    // byte-by-byte code, which refuses it and names its offset.
    bool simd_blind_spot = false;
};

// Eight bytes at a time: RapidJSON's own UTF-8 validation goes byte by byte through a
// function call, and was the largest single cost of parsing a batch of proofs. ASCII text is
// valid UTF-8 by definition, so only text with a high byte needs that validation.
ByteScan scan_bytes(std::string_view text) {
    constexpr std::uint64_t kLow = 0x0101010101010101ULL;
    constexpr std::uint64_t kHigh = 0x8080808080808080ULL;
    // Non-zero exactly when some byte of `v` is zero (the classic haszero test).
    const auto has_zero_byte = [](std::uint64_t v) { return ((v - kLow) & ~v & kHigh) != 0; };
    // A byte is 0x18-0x1F exactly when its top five bits are 00011.
    const auto has_18_to_1f = [&](std::uint64_t v) {
        return has_zero_byte((v ^ 0x1818181818181818ULL) & 0xF8F8F8F8F8F8F8F8ULL);
    };
    ByteScan scan;
    std::size_t i = 0;
    for (; i + 8 <= text.size(); i += 8) {
        std::uint64_t word;
        std::memcpy(&word, text.data() + i, 8);
        if (word & kHigh) scan.ascii = false;
        if (has_18_to_1f(word)) scan.simd_blind_spot = true;
        if (has_zero_byte(word)) break;
    }
    for (; i < text.size(); ++i) {
        const auto byte = static_cast<unsigned char>(text[i]);
        if (byte == 0) {
            scan.first_nul = i;
            break;
        }
        if (byte & 0x80) scan.ascii = false;
        if ((byte & 0xF8) == 0x18) scan.simd_blind_spot = true;
    }
    // Bytes after a NUL are not looked at: the text is refused anyway.
    return scan;
}

// NUL bytes after a copy of ASCII text: one aligned 16-byte block past the terminator.
constexpr std::size_t kSimdPadding = 16;

// Document::Populate calls this with the document as the SAX handler.
class LimitedGenerator {
public:
    LimitedGenerator(std::string_view text, int max_depth) : text_(text), max_depth_(max_depth) {}

    bool operator()(Document& doc) {
        // RapidJSON takes a NUL byte for the end of the input, so "{}\0junk" would pass as
        // "{}". A NUL is valid nowhere in JSON text (not even raw inside a string).
        const ByteScan scan = scan_bytes(text_);
        if (scan.first_nul != std::string_view::npos) {
            error_ = "malformed JSON: NUL byte (at byte " + std::to_string(scan.first_nul) + ")";
            return false;
        }
        DepthLimitedHandler handler(doc, max_depth_);
        rapidjson::Reader reader;
        // Iterative: constant stack whatever the nesting. ValidateEncoding: invalid UTF-8 is
        // bad input, not something to store and echo back. NumbersAsStrings: the handler
        // converts numbers itself with std::from_chars, correctly rounded; RapidJSON's own
        // reading is a few ulp off by default and wrong in its FullPrecision mode (1.1.0 reads
        // "0e100" as 1.7e100; docs/DECISIONS.md).
        constexpr unsigned kFlags =
            rapidjson::kParseIterativeFlag | rapidjson::kParseNumbersAsStringsFlag;
        rapidjson::ParseResult result;
        if (scan.ascii && !scan.simd_blind_spot) {
            // Text of ASCII bytes only is valid UTF-8 already: it skips that validation. It is
            // read from a NUL-terminated copy, because only such a stream gets the SSE2 string
            // copy (top of this file); byte by byte, copying base64 tags and proofs was most of
            // the cost of parsing them. The text holds no NUL, so the stream ends exactly where
            // the text does. The SSE2 scans load aligned 16-byte blocks and may load past the
            // terminator within one: the padding keeps those loads inside the copy.
            std::string terminated;
            terminated.reserve(text_.size() + kSimdPadding);
            terminated.append(text_).append(kSimdPadding, '\0');
            rapidjson::StringStream in(terminated.c_str());
            result = reader.Parse<kFlags>(in, handler);
        } else {
            rapidjson::MemoryStream ms(text_.data(), text_.size());
            rapidjson::EncodedInputStream<rapidjson::UTF8<>, rapidjson::MemoryStream> in(ms);
            result = scan.ascii
                         ? reader.Parse<kFlags>(in, handler)
                         : reader.Parse<kFlags | rapidjson::kParseValidateEncodingFlag>(in, handler);
        }
        if (handler.too_deep()) {
            error_ = "JSON nested deeper than " + std::to_string(max_depth_) + " levels";
            return false;
        }
        if (handler.lone_surrogate()) {
            error_ = "malformed JSON: string holds a lone UTF-16 surrogate (at byte " +
                     std::to_string(result.Offset()) + ")";
            return false;
        }
        if (handler.out_of_range()) {
            error_ = "malformed JSON: number out of the range of a double (at byte " +
                     std::to_string(result.Offset()) + ")";
            return false;
        }
        if (result.IsError()) {
            error_ = std::string("malformed JSON: ") + rapidjson::GetParseError_En(result.Code()) +
                     " (at byte " + std::to_string(result.Offset()) + ")";
            return false;
        }
        return true;
    }

    const std::string& error() const { return error_; }

private:
    std::string_view text_;
    int max_depth_;
    std::string error_;
};

}  // namespace

Result<std::unique_ptr<Document>> parse_json(std::string_view text, ParseLimits limits) {
    auto doc = std::make_unique<Document>();
    LimitedGenerator generator(text, limits.max_depth);
    doc->Populate(generator);
    if (!generator.error().empty()) return make_error(generator.error());
    return doc;
}

const char* describe_type(const Value& value) {
    switch (value.GetType()) {
    case rapidjson::kNullType: return "null";
    case rapidjson::kFalseType:
    case rapidjson::kTrueType: return "a boolean";
    case rapidjson::kObjectType: return "an object";
    case rapidjson::kArrayType: return "an array";
    case rapidjson::kStringType: return "a string";
    case rapidjson::kNumberType: return "a number";
    }
    return "an unknown type";
}

}  // namespace downstream::json
