#include "json/json_parse.h"

#include <rapidjson/error/en.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

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
    bool Double(double d) { return doc_.Double(d); }
    bool RawNumber(const char* s, rapidjson::SizeType n, bool copy) {
        return doc_.RawNumber(s, n, copy);
    }
    bool String(const char* s, rapidjson::SizeType n, bool copy) { return doc_.String(s, n, copy); }
    bool StartObject() { return enter() && doc_.StartObject(); }
    bool Key(const char* s, rapidjson::SizeType n, bool copy) { return doc_.Key(s, n, copy); }
    bool EndObject(rapidjson::SizeType members) { --depth_; return doc_.EndObject(members); }
    bool StartArray() { return enter() && doc_.StartArray(); }
    bool EndArray(rapidjson::SizeType elements) { --depth_; return doc_.EndArray(elements); }

    bool too_deep() const { return too_deep_; }

private:
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
};

// Document::Populate calls this with the document as the SAX handler.
class LimitedGenerator {
public:
    LimitedGenerator(std::string_view text, int max_depth) : text_(text), max_depth_(max_depth) {}

    bool operator()(Document& doc) {
        rapidjson::MemoryStream ms(text_.data(), text_.size());
        rapidjson::EncodedInputStream<rapidjson::UTF8<>, rapidjson::MemoryStream> in(ms);
        DepthLimitedHandler handler(doc, max_depth_);
        rapidjson::Reader reader;
        // Iterative: constant stack whatever the nesting. ValidateEncoding: invalid UTF-8 is
        // bad input, not something to store and echo back.
        constexpr unsigned kFlags = rapidjson::kParseIterativeFlag |
                                    rapidjson::kParseValidateEncodingFlag;
        const rapidjson::ParseResult result = reader.Parse<kFlags>(in, handler);
        if (handler.too_deep()) {
            error_ = "JSON nested deeper than " + std::to_string(max_depth_) + " levels";
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
