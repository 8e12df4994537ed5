#include "proof/swizzle_encode.h"

#include "encoding/base64.h"
#include "encoding/hex.h"
#include "proof/swizzle_prf.h"
#include "support/replay_random_source.h"
#include "support/swizzle_vectors.h"
#include "support/test_data.h"

#include <cppunit/extensions/HelperMacros.h>

using downstream::encoding::base64_encode;
using downstream::encoding::hex_encode;
using downstream::proof::BigNumber;
using downstream::proof::SwizzleHeartbeat;
using downstream::proof::SwizzlePrf;
namespace proof = downstream::proof;
namespace t = downstream::testing;

namespace {
std::string minimal_hex(const BigNumber& n) { return n.is_zero() ? "00" : hex_encode(n.to_bytes()); }
}  // namespace

// Every file of swizzle_deterministic.json encoded from the recorded draws (k_f, k_alpha, IV):
// the tag and the state byte for byte, and every intermediate f(i) and alpha_j.
class SwizzleEncodeTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(SwizzleEncodeTest);
    CPPUNIT_TEST(chunkCountIsFloorPlusOne);
    CPPUNIT_TEST(everyVectorFileEncodesByteForByte);
    CPPUNIT_TEST(everyPrfValueOfEveryFile);
    CPPUNIT_TEST(publicHeartbeatCannotEncode);
    CPPUNIT_TEST_SUITE_END();

public:
    void chunkCountIsFloorPlusOne() {
        CPPUNIT_ASSERT_EQUAL(std::uint64_t{1}, proof::swizzle_chunk_count(0, 1270));
        CPPUNIT_ASSERT_EQUAL(std::uint64_t{1}, proof::swizzle_chunk_count(1000, 1270));
        CPPUNIT_ASSERT_EQUAL(std::uint64_t{2}, proof::swizzle_chunk_count(1270, 1270));
        CPPUNIT_ASSERT_EQUAL(std::uint64_t{3}, proof::swizzle_chunk_count(2540, 1270));
        CPPUNIT_ASSERT_EQUAL(std::uint64_t{52}, proof::swizzle_chunk_count(65536, 1270));
        CPPUNIT_ASSERT_EQUAL(std::uint64_t{3}, proof::swizzle_chunk_count(1000, 384));
    }

    void everyVectorFileEncodesByteForByte() {
        const auto doc = t::load_vectors("swizzle_deterministic.json");
        int files = 0, sigmas = 0;
        for (const char* name : {"heartbeat", "three_sector_heartbeat"}) {
            const auto& hb = t::member(*doc, name);
            const SwizzleHeartbeat heartbeat = t::heartbeat_from_fields(t::member(hb, "private_fields"));
            for (const auto& file : t::array_member(hb, "files").GetArray()) {
                const std::string where = std::string(name) + " " + t::string_member(file, "name");
                const std::string bytes = t::vector_file(file);
                const auto& state_fields = t::member(file, "state_fields");
                t::ReplayRandomSource random({t::hex_member(state_fields, "f_key_hex"),
                                              t::hex_member(state_fields, "alpha_key_hex"),
                                              t::hex_member(state_fields, "iv_hex")});
                auto encoding = proof::encode_swizzle_file(heartbeat, bytes, random);
                CPPUNIT_ASSERT_MESSAGE(where, encoding.ok());
                CPPUNIT_ASSERT_EQUAL_MESSAGE(where, std::size_t{0}, random.remaining());

                const auto n = t::uint_member(file, "n");
                CPPUNIT_ASSERT_EQUAL_MESSAGE(where, n, proof::swizzle_chunk_count(bytes.size(), heartbeat.chunk_size()));
                CPPUNIT_ASSERT_EQUAL_MESSAGE(where, n, std::uint64_t{encoding->tag.sigmas.size()});
                const auto& vector_sigmas = t::array_member(t::member(file, "tag_fields"), "sigma");
                CPPUNIT_ASSERT_EQUAL_MESSAGE(where, n, std::uint64_t{vector_sigmas.Size()});
                for (rapidjson::SizeType i = 0; i < vector_sigmas.Size(); ++i) {
                    CPPUNIT_ASSERT_EQUAL_MESSAGE(where, t::string_member(vector_sigmas[i], "hex"),
                                                 minimal_hex(encoding->tag.sigmas[i]));
                    ++sigmas;
                }
                CPPUNIT_ASSERT_EQUAL_MESSAGE(where, t::string_member(file, "tag_b64"),
                                             base64_encode(serialize(encoding->tag)));
                const std::string state = encoding->state.serialize();
                CPPUNIT_ASSERT_EQUAL_MESSAGE(where, std::size_t{144}, state.size());
                CPPUNIT_ASSERT_EQUAL_MESSAGE(where, t::string_member(file, "state_b64"), base64_encode(state));
                CPPUNIT_ASSERT_EQUAL_MESSAGE(where, n, std::uint64_t{encoding->state.n()});
                ++files;
            }
        }
        CPPUNIT_ASSERT_EQUAL(5, files);
        CPPUNIT_ASSERT_EQUAL(1 + 1 + 3 + 52 + 3, sigmas);
    }

    void everyPrfValueOfEveryFile() {
        const auto doc = t::load_vectors("swizzle_deterministic.json");
        int f_values = 0, alpha_values = 0;
        for (const char* name : {"heartbeat", "three_sector_heartbeat"}) {
            const auto& hb = t::member(*doc, name);
            const BigNumber p = BigNumber::from_bytes(t::hex_member(t::member(hb, "private_fields"), "p_hex"));
            for (const auto& file : t::array_member(hb, "files").GetArray()) {
                const auto& state_fields = t::member(file, "state_fields");
                SwizzlePrf f = SwizzlePrf::create(t::hex_member(state_fields, "f_key_hex"), p).value();
                for (const auto& e : t::array_member(file, "prf_f").GetArray()) {
                    const auto out = f.evaluate(static_cast<std::uint32_t>(t::uint_member(e, "i")));
                    CPPUNIT_ASSERT_EQUAL(t::string_member(e, "hex"), minimal_hex(out.value));
                    CPPUNIT_ASSERT_EQUAL(static_cast<int>(t::uint_member(e, "attempts")), out.attempts);
                    ++f_values;
                }
                SwizzlePrf alpha = SwizzlePrf::create(t::hex_member(state_fields, "alpha_key_hex"), p).value();
                for (const auto& e : t::array_member(file, "prf_alpha").GetArray()) {
                    const auto out = alpha.evaluate(static_cast<std::uint32_t>(t::uint_member(e, "j")));
                    CPPUNIT_ASSERT_EQUAL(t::string_member(e, "hex"), minimal_hex(out.value));
                    CPPUNIT_ASSERT_EQUAL(static_cast<int>(t::uint_member(e, "attempts")), out.attempts);
                    ++alpha_values;
                }
            }
        }
        CPPUNIT_ASSERT_EQUAL(1 + 1 + 3 + 52 + 3, f_values);
        CPPUNIT_ASSERT_EQUAL(4 * 10 + 3, alpha_values);
    }

    void publicHeartbeatCannotEncode() {
        const auto doc = t::load_vectors("swizzle_deterministic.json");
        auto pub = SwizzleHeartbeat::parse(t::base64_member(t::member(*doc, "heartbeat"), "public_b64"));
        t::ReplayRandomSource random({});
        CPPUNIT_ASSERT(!proof::encode_swizzle_file(*pub, "data", random).ok());
    }
};
CPPUNIT_TEST_SUITE_REGISTRATION(SwizzleEncodeTest);
