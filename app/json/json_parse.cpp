#include "json/json_parse.h"

#include <rapidjson/error/en.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

#include <cmath>
#include <string>

namespace downstream::json {
namespace {

// Forwards SAX events to the document while counting nesting depth.
class DepthLimitedHandler {
public:
    DepthLimitedHandler(Document& doc, int max_depth) : doc_(doc), max_depth_(max_depth) {}

    bool Null() { return doc_.Null(); }
    bool Bool(bool b) { return doc_.Bool(b); }
    bool Int(int i) { return doc_.Int(i); }
    bool Uint(unsigned u) { return doc_.Uint(u); }
    bool Int64(int64_t i) { return doc_.Int64(i); }
    bool Uint64(uint64_t u) { return doc_.Uint64(u); }
    bool Double(double d) {
        // A number at the edge of the double range can read as infinity, which JSON cannot
        // express: a document holding one could not be written back. Refused like 1e400.
        if (!std::isfinite(d)) {
            out_of_range_ = true;
            return false;
        }
        return doc_.Double(d);
    }
    bool RawNumber(const char* s, rapidjson::SizeType n, bool copy) {
        return doc_.RawNumber(s, n, copy);
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
        for (rapidjson::SizeType i = 0; i + 1 < n; ++i) {
            if (static_cast<unsigned char>(s[i]) == 0xed &&
                static_cast<unsigned char>(s[i + 1]) >= 0xa0) {
                lone_surrogate_ = true;
                return false;
            }
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

// Document::Populate calls this with the document as the SAX handler.
class LimitedGenerator {
public:
    LimitedGenerator(std::string_view text, int max_depth) : text_(text), max_depth_(max_depth) {}

    bool operator()(Document& doc) {
        // RapidJSON takes a NUL byte for the end of the input, so "{}\0junk" would pass as
        // "{}". A NUL is valid nowhere in JSON text (not even raw inside a string).
        if (const std::size_t nul = text_.find('\0'); nul != std::string_view::npos) {
            error_ = "malformed JSON: NUL byte (at byte " + std::to_string(nul) + ")";
            return false;
        }
        rapidjson::MemoryStream ms(text_.data(), text_.size());
        rapidjson::EncodedInputStream<rapidjson::UTF8<>, rapidjson::MemoryStream> in(ms);
        DepthLimitedHandler handler(doc, max_depth_);
        rapidjson::Reader reader;
        // Iterative: constant stack whatever the nesting. ValidateEncoding: invalid UTF-8 is
        // bad input, not something to store and echo back. Not FullPrecision: in RapidJSON
        // 1.1.0 it reads "0e100" as 1.7e100 (docs/DECISIONS.md); the default reading is within
        // a few ulp, and the protocol's numbers are integers.
        constexpr unsigned kFlags = rapidjson::kParseIterativeFlag |
                                    rapidjson::kParseValidateEncodingFlag;
        const rapidjson::ParseResult result = reader.Parse<kFlags>(in, handler);
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
            error_ = "malformed JSON: number too big (at byte " + std::to_string(result.Offset()) + ")";
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
