// Fuzzes json::parse_json (json/json_parse.h), the one entry point for untrusted JSON text.
//
// Invariants: exactly one value is accepted (anything glued after it is refused); the depth
// limit holds; what was accepted is valid UTF-8 without NUL bytes and survives writing and
// re-parsing; every refusal has a message.
#include "fuzz/fuzz_check.h"
#include "json/json_parse.h"

#include <cmath>
#include <string>

using namespace downstream;

namespace {

int depth_of(const json::Value& value) {
    int deepest = 0;
    if (value.IsArray()) {
        for (const auto& element : value.GetArray()) deepest = std::max(deepest, depth_of(element));
        return deepest + 1;
    }
    if (value.IsObject()) {
        for (auto it = value.MemberBegin(); it != value.MemberEnd(); ++it)
            deepest = std::max(deepest, depth_of(it->value));
        return deepest + 1;
    }
    (void)json::describe_type(value);
    return 0;
}

// Equal values; doubles within a few units in the last place (RapidJSON's default number
// parsing is not correctly rounded, so written digits may read back one ulp off).
bool same(const json::Value& a, const json::Value& b) {
    if (a.IsDouble() || b.IsDouble()) {
        if (!a.IsNumber() || !b.IsNumber()) return false;
        const double x = a.GetDouble();
        const double y = b.GetDouble();
        return x == y || std::fabs(x - y) <= 1e-14 * std::max(std::fabs(x), std::fabs(y));
    }
    if (a.GetType() != b.GetType()) return false;
    if (a.IsArray()) {
        if (a.Size() != b.Size()) return false;
        for (rapidjson::SizeType i = 0; i < a.Size(); ++i)
            if (!same(a[i], b[i])) return false;
        return true;
    }
    if (a.IsObject()) {
        if (a.MemberCount() != b.MemberCount()) return false;
        for (auto ia = a.MemberBegin(), ib = b.MemberBegin(); ia != a.MemberEnd(); ++ia, ++ib) {
            if (ia->name != ib->name || !same(ia->value, ib->value)) return false;
        }
        return true;
    }
    return a == b;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);

    json::ParseLimits shallow;
    shallow.max_depth = 3;
    for (const json::ParseLimits limits : {json::ParseLimits{}, shallow}) {
        auto doc = json::parse_json(text, limits);
        if (!doc.ok()) {
            FUZZ_CHECK(!doc.error().message.empty());
            continue;
        }
        const json::Value& root = **doc;
        FUZZ_CHECK(depth_of(root) <= limits.max_depth);
        // A NUL byte is neither white space nor allowed raw inside a string.
        FUZZ_CHECK_MSG(text.find('\0') == std::string_view::npos, fuzz::shown(text));
        // One value: nothing may follow it.
        FUZZ_CHECK_MSG(!json::parse_json(std::string(text) + "x", limits).ok(), fuzz::shown(text));

        json::Buffer buffer;
        json::Writer writer(buffer);
        FUZZ_CHECK(root.Accept(writer));
        const std::string written(buffer.GetString(), buffer.GetSize());
        auto again = json::parse_json(written, limits);
        FUZZ_CHECK_MSG(again.ok(), written);
        FUZZ_CHECK_MSG(same(root, **again), written);
    }
    return 0;
}
