// Fuzzes json::parse_json (json/json_parse.h), the one entry point for untrusted JSON text.
//
// Invariants: exactly one value is accepted (anything glued after it is refused); the depth
// limit holds; what was accepted is valid UTF-8 without NUL bytes and survives writing and
// re-parsing exactly (numbers included: every number is finite and read correctly rounded, so
// the writer's shortest digits read back to the same double); every refusal has a message.
#include "fuzz/fuzz_check.h"
#include "json/json_parse.h"

#include <algorithm>
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
        FUZZ_CHECK_MSG(root == **again, written);  // numbers compare exactly
    }
    return 0;
}
