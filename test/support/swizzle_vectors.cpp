#include "support/swizzle_vectors.h"

#include "crypto/sha256.h"
#include "encoding/base64.h"
#include "encoding/hex.h"
#include "proof/random_stream.h"

#include <cppunit/TestAssert.h>

namespace downstream::testing {

const json::Value& member(const json::Value& obj, const char* name) {
    if (!obj.IsObject()) CPPUNIT_FAIL(std::string("vector: not an object where '") + name + "' is wanted");
    const auto it = obj.FindMember(name);
    if (it == obj.MemberEnd()) CPPUNIT_FAIL(std::string("vector: member missing: ") + name);
    return it->value;
}

const json::Value& array_member(const json::Value& obj, const char* name) {
    const json::Value& v = member(obj, name);
    if (!v.IsArray()) CPPUNIT_FAIL(std::string("vector: not an array: ") + name);
    return v;
}

std::string string_member(const json::Value& obj, const char* name) {
    const json::Value& v = member(obj, name);
    if (!v.IsString()) CPPUNIT_FAIL(std::string("vector: not a string: ") + name);
    return std::string(v.GetString(), v.GetStringLength());
}

std::uint64_t uint_member(const json::Value& obj, const char* name) {
    const json::Value& v = member(obj, name);
    if (!v.IsUint64()) CPPUNIT_FAIL(std::string("vector: not an unsigned integer: ") + name);
    return v.GetUint64();
}

double number_member(const json::Value& obj, const char* name) {
    const json::Value& v = member(obj, name);
    if (!v.IsNumber()) CPPUNIT_FAIL(std::string("vector: not a number: ") + name);
    return v.GetDouble();
}

bool bool_member(const json::Value& obj, const char* name) {
    const json::Value& v = member(obj, name);
    if (!v.IsBool()) CPPUNIT_FAIL(std::string("vector: not a bool: ") + name);
    return v.GetBool();
}

std::string hex_member(const json::Value& obj, const char* name) {
    auto bytes = encoding::hex_decode(string_member(obj, name));
    if (!bytes) CPPUNIT_FAIL(std::string("vector: bad hex in ") + name);
    return *bytes;
}

std::string base64_member(const json::Value& obj, const char* name) {
    auto bytes = encoding::base64_decode_skipping(string_member(obj, name));
    if (!bytes) CPPUNIT_FAIL(std::string("vector: bad base64 in ") + name);
    return *bytes;
}

proof::SwizzleHeartbeat heartbeat_from_fields(const json::Value& fields) {
    proof::SwizzleKeys keys{hex_member(fields, "k_enc_hex"), hex_member(fields, "k_mac_hex")};
    auto heartbeat = proof::SwizzleHeartbeat::create(
        std::move(keys), static_cast<std::uint32_t>(uint_member(fields, "sectors")),
        static_cast<std::uint32_t>(uint_member(fields, "sector_size")),
        proof::BigNumber::from_bytes(hex_member(fields, "p_hex")));
    if (!heartbeat) CPPUNIT_FAIL("vector heartbeat rejected: " + heartbeat.error().message);
    return std::move(heartbeat).value();
}

std::string vector_file(const json::Value& file_entry) {
    const json::Value& stream = member(file_entry, "stream");
    std::string bytes = proof::RandomStream(string_member(stream, "seed"),
                                           uint_member(stream, "size")).generate();
    CPPUNIT_ASSERT_EQUAL_MESSAGE("sha256 of the regenerated vector file",
                                 string_member(file_entry, "sha256"),
                                 encoding::hex_encode(crypto::sha256(bytes)));
    if (file_entry.HasMember("file_hex"))
        CPPUNIT_ASSERT_EQUAL_MESSAGE("file_hex of the regenerated vector file",
                                     string_member(file_entry, "file_hex"),
                                     encoding::hex_encode(bytes));
    return bytes;
}

}  // namespace downstream::testing
