#include "proof/swizzle_state.h"

#include "encoding/base64.h"
#include "encoding/hex.h"
#include "support/swizzle_vectors.h"
#include "support/test_data.h"

#include <cppunit/extensions/HelperMacros.h>

using downstream::encoding::base64_encode;
using downstream::encoding::hex_encode;
using downstream::proof::SwizzleHeartbeat;
using downstream::proof::SwizzleState;
namespace proof = downstream::proof;
namespace t = downstream::testing;

namespace {

void put_u32(std::string& bytes, std::size_t offset, std::uint32_t value) {
    for (int i = 0; i < 4; ++i) bytes[offset + static_cast<std::size_t>(i)] = static_cast<char>((value >> (8 * i)) & 0xff);
}

struct Fixture {
    std::unique_ptr<downstream::json::Document> doc = t::load_vectors("swizzle_deterministic.json");
    const downstream::json::Value& hb = t::member(*doc, "heartbeat");
    SwizzleHeartbeat heartbeat = t::heartbeat_from_fields(t::member(hb, "private_fields"));
    const downstream::json::Value& file = t::array_member(hb, "files")[3];  // file_65536
    std::string state = t::base64_member(file, "state_b64");
};

// The 144-byte layout (SWIZZLE.md §5.4), sealing from the recorded fields, and the opening
// rules: a wrong MAC or MAC length fails the check, short data is an error.
class SwizzleStateTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(SwizzleStateTest);
    CPPUNIT_TEST(layoutHasTheSpecifiedOffsets);
    CPPUNIT_TEST(sealsEveryVectorStateFromItsFields);
    CPPUNIT_TEST(opensToTheRecordedKeys);
    CPPUNIT_TEST(tamperingFailsTheCheck);
    CPPUNIT_TEST(macLengthOtherThan32FailsTheCheck);
    CPPUNIT_TEST(shortDataIsAnError);
    CPPUNIT_TEST(publicOrForeignKeysFailTheCheck);
    CPPUNIT_TEST(parseLimitsAndTrailingBytes);
    CPPUNIT_TEST(everyTruncationFailsCleanly);
    CPPUNIT_TEST_SUITE_END();

public:
    void layoutHasTheSpecifiedOffsets() {
        Fixture f;
        const auto& fields = t::member(f.file, "state_fields");
        const std::string& s = f.state;
        CPPUNIT_ASSERT_EQUAL(std::size_t{144}, s.size());
        CPPUNIT_ASSERT_EQUAL(std::string("8c000000"), hex_encode(s.substr(0, 4)));    // raw 140
        CPPUNIT_ASSERT_EQUAL(std::string("64000000"), hex_encode(s.substr(4, 4)));    // signed 100
        CPPUNIT_ASSERT_EQUAL(std::string("34000000"), hex_encode(s.substr(8, 4)));    // n = 52
        CPPUNIT_ASSERT_EQUAL(std::string("10000000"), hex_encode(s.substr(12, 4)));   // IV 16
        CPPUNIT_ASSERT_EQUAL(t::string_member(fields, "iv_hex"), hex_encode(s.substr(16, 16)));
        CPPUNIT_ASSERT_EQUAL(std::string("48000000"), hex_encode(s.substr(32, 4)));   // 72
        CPPUNIT_ASSERT_EQUAL(t::string_member(fields, "encrypted_hex"), hex_encode(s.substr(36, 72)));
        CPPUNIT_ASSERT_EQUAL(std::string("20000000"), hex_encode(s.substr(108, 4)));  // MAC 32
        CPPUNIT_ASSERT_EQUAL(t::string_member(fields, "mac_hex"), hex_encode(s.substr(112, 32)));
        CPPUNIT_ASSERT_EQUAL(t::string_member(fields, "signed_hex"), hex_encode(s.substr(8, 100)));
        CPPUNIT_ASSERT_EQUAL(std::size_t{192}, base64_encode(s).size());
    }
    void sealsEveryVectorStateFromItsFields() {
        const auto doc = t::load_vectors("swizzle_deterministic.json");
        int sealed = 0;
        for (const char* name : {"heartbeat", "three_sector_heartbeat"}) {
            const auto& hb = t::member(*doc, name);
            const SwizzleHeartbeat heartbeat = t::heartbeat_from_fields(t::member(hb, "private_fields"));
            for (const auto& file : t::array_member(hb, "files").GetArray()) {
                const auto& fields = t::member(file, "state_fields");
                const SwizzleState state = SwizzleState::seal(
                    *heartbeat.keys(), static_cast<std::uint32_t>(t::uint_member(fields, "n")),
                    proof::SwizzleFileKeys{t::hex_member(fields, "f_key_hex"), t::hex_member(fields, "alpha_key_hex")},
                    t::hex_member(fields, "iv_hex"));
                CPPUNIT_ASSERT_EQUAL(t::string_member(file, "state_b64"), base64_encode(state.serialize()));
                CPPUNIT_ASSERT(t::bool_member(fields, "mac_ok"));
                CPPUNIT_ASSERT_EQUAL(t::string_member(fields, "mac_expected_hex"), t::string_member(fields, "mac_hex"));
                ++sealed;
            }
        }
        CPPUNIT_ASSERT_EQUAL(5, sealed);
    }
    void opensToTheRecordedKeys() {
        Fixture f;
        const auto& fields = t::member(f.file, "state_fields");
        auto state = SwizzleState::parse(f.state);
        CPPUNIT_ASSERT(state.ok());
        CPPUNIT_ASSERT_EQUAL(std::uint32_t{52}, state->n());
        CPPUNIT_ASSERT_EQUAL(f.state, state->serialize());
        auto opened = state->open(f.heartbeat.keys());
        CPPUNIT_ASSERT(opened.ok());
        CPPUNIT_ASSERT(opened->has_value());
        CPPUNIT_ASSERT_EQUAL(std::uint32_t{52}, (*opened)->n);
        CPPUNIT_ASSERT_EQUAL(t::string_member(fields, "f_key_hex"), hex_encode((*opened)->keys.f_key));
        CPPUNIT_ASSERT_EQUAL(t::string_member(fields, "alpha_key_hex"), hex_encode((*opened)->keys.alpha_key));
        CPPUNIT_ASSERT_EQUAL(t::string_member(fields, "plaintext_hex"),
                             "20000000" + hex_encode((*opened)->keys.f_key) + "20000000" +
                                 hex_encode((*opened)->keys.alpha_key));
    }
    void tamperingFailsTheCheck() {
        Fixture f;
        int checked = 0;
        // Every byte of the signed data and the MAC (offsets 8..107 and 112..143).
        for (std::size_t offset = 8; offset < 144; ++offset) {
            if (offset >= 108 && offset < 112) continue;
            std::string bytes = f.state;
            bytes[offset] = static_cast<char>(bytes[offset] ^ 0x01);
            auto opened = SwizzleState::parse(bytes)->open(f.heartbeat.keys());
            CPPUNIT_ASSERT(opened.ok());
            CPPUNIT_ASSERT(!opened->has_value());
            ++checked;
        }
        CPPUNIT_ASSERT_EQUAL(132, checked);
    }
    void macLengthOtherThan32FailsTheCheck() {
        Fixture f;
        for (std::uint32_t length : {0u, 31u, 33u, 0xffffffffu}) {
            std::string bytes = f.state;
            put_u32(bytes, 108, length);
            auto opened = SwizzleState::parse(bytes)->open(f.heartbeat.keys());
            CPPUNIT_ASSERT(opened.ok());
            CPPUNIT_ASSERT(!opened->has_value());
        }
    }
    void shortDataIsAnError() {
        Fixture f;
        // Signed length beyond the raw data, or so long the MAC field is cut.
        for (std::uint32_t length : {1000u, 137u, 0xffffffffu}) {
            std::string bytes = f.state;
            put_u32(bytes, 4, length);
            auto opened = SwizzleState::parse(bytes)->open(f.heartbeat.keys());
            CPPUNIT_ASSERT(!opened.ok());
            CPPUNIT_ASSERT_EQUAL(std::string("Incorrect size transferred."), opened.error().message);
        }
        // A MAC field of length 32 with fewer bytes behind it.
        std::string cut = f.state.substr(0, 140);
        put_u32(cut, 0, 136);
        auto opened = SwizzleState::parse(cut)->open(f.heartbeat.keys());
        CPPUNIT_ASSERT(!opened.ok());
    }
    void publicOrForeignKeysFailTheCheck() {
        Fixture f;
        auto state = SwizzleState::parse(f.state);
        auto as_public = state->open(nullptr);
        CPPUNIT_ASSERT(as_public.ok());
        CPPUNIT_ASSERT(!as_public->has_value());
        const SwizzleHeartbeat other = t::heartbeat_from_fields(
            t::member(t::member(*f.doc, "three_sector_heartbeat"), "private_fields"));
        auto foreign = state->open(other.keys());
        CPPUNIT_ASSERT(foreign.ok());
        CPPUNIT_ASSERT(!foreign->has_value());
    }
    void parseLimitsAndTrailingBytes() {
        Fixture f;
        std::string big = f.state;
        put_u32(big, 0, 2049);
        CPPUNIT_ASSERT_EQUAL(std::string("Reported size of encrypted state is too large."),
                             SwizzleState::parse(big).error().message);
        put_u32(big, 0, 0xffffffffu);
        CPPUNIT_ASSERT(!SwizzleState::parse(big).ok());
        CPPUNIT_ASSERT_EQUAL(std::string("Raw data incorrect size."),
                             SwizzleState::parse(f.state.substr(0, 143)).error().message);
        CPPUNIT_ASSERT_EQUAL(std::string("Unable to get raw size of state."),
                             SwizzleState::parse("").error().message);
        auto trailing = SwizzleState::parse(f.state + "abc");
        CPPUNIT_ASSERT(trailing.ok());
        CPPUNIT_ASSERT_EQUAL(f.state, trailing->serialize());
        CPPUNIT_ASSERT((*trailing->open(f.heartbeat.keys())).has_value());
        // Raw data too short for n.
        std::string tiny = std::string("\x07\x00\x00\x00", 4) + "1234567";
        CPPUNIT_ASSERT_EQUAL(std::string("Unable to get n."), SwizzleState::parse(tiny).error().message);
    }
    void everyTruncationFailsCleanly() {
        Fixture f;
        // Keep the outer length consistent so each cut reaches open().
        int refused = 0;
        for (std::size_t raw = 0; raw < 140; ++raw) {
            std::string bytes = f.state.substr(0, 4 + raw);
            put_u32(bytes, 0, static_cast<std::uint32_t>(raw));
            auto state = SwizzleState::parse(bytes);
            if (!state) { ++refused; continue; }
            auto opened = state->open(f.heartbeat.keys());
            CPPUNIT_ASSERT(!opened.ok() || !opened->has_value());
            ++refused;
        }
        CPPUNIT_ASSERT_EQUAL(140, refused);
    }
};
CPPUNIT_TEST_SUITE_REGISTRATION(SwizzleStateTest);

}  // namespace
