#include "support/vector_fields.h"

#include "encoding/base64.h"
#include "encoding/hex.h"

#include <cppunit/TestAssert.h>

namespace downstream::testing {

const json::Value& field(const json::Value& entry, const char* name) {
    if (!entry.IsObject()) CPPUNIT_FAIL(std::string("vector entry is not an object (wanted ") + name + ")");
    const auto it = entry.FindMember(name);
    if (it == entry.MemberEnd()) CPPUNIT_FAIL(std::string("vector entry has no member ") + name);
    return it->value;
}

const json::Value& array_field(const json::Value& entry, const char* name, std::size_t min_size) {
    const json::Value& value = field(entry, name);
    if (!value.IsArray()) CPPUNIT_FAIL(std::string("vector member ") + name + " is not an array");
    if (value.Size() < min_size)
        CPPUNIT_FAIL(std::string("vector member ") + name + " has " +
                     std::to_string(value.Size()) + " entries, expected at least " +
                     std::to_string(min_size));
    return value;
}

std::string string_field(const json::Value& entry, const char* name) {
    const json::Value& value = field(entry, name);
    if (!value.IsString()) CPPUNIT_FAIL(std::string("vector member ") + name + " is not a string");
    return std::string(value.GetString(), value.GetStringLength());
}

std::string hex_field(const json::Value& entry, const char* name) {
    auto bytes = encoding::hex_decode(string_field(entry, name));
    if (!bytes.ok()) CPPUNIT_FAIL(std::string("vector member ") + name + " is not hex");
    return *bytes;
}

std::string b64_field(const json::Value& entry, const char* name) {
    auto bytes = encoding::base64_decode_skipping(string_field(entry, name));
    if (!bytes.ok()) CPPUNIT_FAIL(std::string("vector member ") + name + " is not base64");
    return *bytes;
}

std::uint64_t uint_field(const json::Value& entry, const char* name) {
    const json::Value& value = field(entry, name);
    if (!value.IsUint64())
        CPPUNIT_FAIL(std::string("vector member ") + name + " is not an unsigned integer");
    return value.GetUint64();
}

double double_field(const json::Value& entry, const char* name) {
    const json::Value& value = field(entry, name);
    if (!value.IsNumber()) CPPUNIT_FAIL(std::string("vector member ") + name + " is not a number");
    return value.GetDouble();
}

bool bool_field(const json::Value& entry, const char* name) {
    const json::Value& value = field(entry, name);
    if (!value.IsBool()) CPPUNIT_FAIL(std::string("vector member ") + name + " is not a boolean");
    return value.GetBool();
}

std::string compact_json(const json::Value& value) {
    json::Buffer buffer;
    json::Writer writer(buffer);
    value.Accept(writer);
    return std::string(buffer.GetString(), buffer.GetSize());
}

std::unique_ptr<json::Document> copy_json(const json::Value& value) {
    auto doc = std::make_unique<json::Document>();
    doc->CopyFrom(value, doc->GetAllocator());
    return doc;
}

}  // namespace downstream::testing
