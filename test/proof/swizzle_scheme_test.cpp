#include "proof/swizzle_scheme.h"

#include "encoding/base64.h"
#include "json/json_parse.h"
#include "proof/swizzle_challenge.h"
#include "proof/swizzle_json.h"
#include "proof/swizzle_prove.h"
#include "proof/swizzle_tag.h"
#include "support/replay_random_source.h"
#include "proof/random_stream.h"
#include "support/swizzle_vectors.h"
#include "support/test_data.h"

#include <cppunit/extensions/HelperMacros.h>

#include <cmath>
#include <limits>
#include <map>
#include <random>

using downstream::encoding::base64_decode_prefix;
using downstream::proof::SwizzleScheme;
using downstream::proof::Verdict;
namespace json = downstream::json;
namespace proof = downstream::proof;
namespace t = downstream::testing;

namespace {

// What the node makes of each verify_cases[] entry (the reference's outcome in the comment).
// "Error" is the interface's error (the node's own state or challenge is bad); "NoScheme" means
// the node refuses the heartbeat when loading its key file.
const std::map<std::string, std::string> kNodeVerdicts = {
    {"valid_reference", "Valid"},                       // true
    {"proof_sigma_last_byte_flipped", "Invalid"},       // false
    {"proof_mu0_byte_flipped", "Invalid"},              // false
    {"proof_mu_count_9", "Invalid"},                    // false
    {"proof_mu_count_11", "Invalid"},                   // false
    {"proof_sigma_plus_p", "Invalid"},                  // false
    {"proof_mu0_plus_p", "Valid"},                      // true
    {"proof_sigma_non_minimal_encoding", "Valid"},      // true
    {"proof_trailing_bytes", "Valid"},                  // true
    {"proof_base64_unpadded", "Valid"},                 // true
    {"proof_base64_newline_inside", "Corrupted"},       // raises (parse)
    {"proof_base64_invalid_text", "Corrupted"},         // raises (parse)
    {"proof_for_other_challenge", "Invalid"},           // false
    {"proof_other_file", "Invalid"},                    // false
    {"challenge_l_plus_1", "Invalid"},                  // false
    {"challenge_key_byte_flipped", "Invalid"},          // false
    {"challenge_B_changed_original_proof", "Invalid"},  // false
    {"challenge_B_changed_matching_proof", "Valid"},    // true
    {"challenge_key_16_bytes", "Valid"},                // true
    {"challenge_key_size_33", "Error"},                 // raises (parse)
    {"state_n_changed", "Error"},                       // false: MAC fails
    {"state_iv_byte_flipped", "Error"},                 // false: MAC fails
    {"state_ciphertext_byte_flipped", "Error"},         // false: MAC fails
    {"state_mac_byte_flipped", "Error"},                // false: MAC fails
    {"state_mac_size_31", "Error"},                     // false: MAC length
    {"state_signed_size_plus_1", "Error"},              // false: MAC length misread
    {"state_signed_size_1000", "Error"},                // raises (verify)
    {"state_signed_size_minus_1", "Error"},             // false: MAC length misread
    {"state_raw_size_2049", "Error"},                   // raises (parse)
    {"state_truncated", "Error"},                       // raises (parse)
    {"state_trailing_bytes", "Valid"},                  // true
    {"state_other_file", "Invalid"},                    // false: a valid state, wrong file
    {"verify_with_public_heartbeat", "NoScheme"},       // false
    {"verify_with_other_private_heartbeat", "Error"},   // false: MAC fails
    {"heartbeat_public_flag_with_keys", "NoScheme"},    // raises (parse)
    {"heartbeat_flags_0x02", "Valid"},                  // true
    {"heartbeat_key_size_16", "NoScheme"},              // raises (parse)
    {"proof_from_tampered_tag", "Invalid"},             // false
    {"l0_zero_proof", "Error"},                         // true: the node never issues l = 0
    {"l0_zero_proof_other_state", "Error"},             // true: likewise
};

const char* name_of(Verdict v) {
    switch (v) {
    case Verdict::Valid: return "Valid";
    case Verdict::Invalid: return "Invalid";
    case Verdict::Corrupted: return "Corrupted";
    }
    return "?";
}

// The proof as the answer route hands it over: a JSON string value.
std::unique_ptr<json::Document> json_string(const std::string& text) {
    auto doc = std::make_unique<json::Document>();
    doc->SetString(text.c_str(), static_cast<rapidjson::SizeType>(text.size()), doc->GetAllocator());
    return doc;
}

std::string verdict_of(const SwizzleScheme& scheme, const json::Value& proof,
                       const std::string& challenge, const std::string& state) {
    auto verdict = scheme.verify(proof, challenge, state);
    return verdict.ok() ? name_of(*verdict) : "Error";
}

std::unique_ptr<SwizzleScheme> scheme_from(const std::string& private_bytes, double fraction,
                                           std::shared_ptr<proof::RandomSource> random =
                                               std::make_shared<proof::SecureRandomSource>()) {
    auto scheme = SwizzleScheme::create(private_bytes, fraction, std::move(random));
    if (!scheme) CPPUNIT_FAIL("scheme refused: " + scheme.error().message);
    return std::move(scheme).value();
}

std::string from_json_text(const std::string& text) {
    auto doc = json::parse_json(text);
    if (!doc) CPPUNIT_FAIL("not JSON: " + text.substr(0, 40));
    return proof::swizzle_bytes_from_json(**doc).value();
}

}  // namespace

// The scheme behind HeartbeatScheme: the JSON texts, encode and gen_challenge from recorded
// draws, the node's verdict for every recorded verify case, a full round trip, and hostile
// input.
class SwizzleSchemeTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(SwizzleSchemeTest);
    CPPUNIT_TEST(factoryRefusesBadInput);
    CPPUNIT_TEST(announcesSwizzleAndThePublicHeartbeatString);
    CPPUNIT_TEST(encodesAndChallengesFromRecordedDraws);
    CPPUNIT_TEST(neverIssuesAZeroChunkChallenge);
    CPPUNIT_TEST(challengeForABadStateIsAnError);
    CPPUNIT_TEST(everyVerifyCaseGetsTheNodesVerdict);
    CPPUNIT_TEST(hostileProofsAreCorruptedOrInvalid);
    CPPUNIT_TEST(hostileStoredChallenges);
    CPPUNIT_TEST(roundTripWithAFreshHeartbeat);
    CPPUNIT_TEST(randomMutationsNeverCrashOrHang);
    CPPUNIT_TEST_SUITE_END();

public:
    void factoryRefusesBadInput() {
        const auto doc = t::load_vectors("swizzle_deterministic.json");
        const auto& hb = t::member(*doc, "heartbeat");
        const std::string private_bytes = t::base64_member(hb, "private_b64");
        CPPUNIT_ASSERT(SwizzleScheme::create(private_bytes, 1.0).ok());
        CPPUNIT_ASSERT(SwizzleScheme::create(private_bytes, 0.01).ok());
        CPPUNIT_ASSERT(!SwizzleScheme::create(t::base64_member(hb, "public_b64"), 1.0).ok());
        CPPUNIT_ASSERT(!SwizzleScheme::create("", 1.0).ok());
        CPPUNIT_ASSERT(!SwizzleScheme::create(private_bytes.substr(0, 100), 1.0).ok());
        for (double fraction : {0.0, -0.5, 1.5, std::nan(""), std::numeric_limits<double>::infinity()})
            CPPUNIT_ASSERT(!SwizzleScheme::create(private_bytes, fraction).ok());
        CPPUNIT_ASSERT(!SwizzleScheme::create(private_bytes, 1.0, nullptr).ok());
    }
    void announcesSwizzleAndThePublicHeartbeatString() {
        const auto doc = t::load_vectors("swizzle_deterministic.json");
        const auto& hb = t::member(*doc, "heartbeat");
        const auto scheme = scheme_from(t::base64_member(hb, "private_b64"), 1.0);
        CPPUNIT_ASSERT_EQUAL(std::string("Swizzle"), std::string(scheme->type_name()));
        CPPUNIT_ASSERT_EQUAL(t::string_member(*doc, "type_name"), std::string(scheme->type_name()));
        CPPUNIT_ASSERT_EQUAL("\"" + t::string_member(hb, "public_b64") + "\"", scheme->public_heartbeat_json());
    }
    void encodesAndChallengesFromRecordedDraws() {
        const auto doc = t::load_vectors("swizzle_deterministic.json");
        int files = 0;
        for (const char* name : {"heartbeat", "three_sector_heartbeat"}) {
            const auto& hb = t::member(*doc, name);
            const double fraction = t::number_member(t::member(hb, "constructor_args"), "check_fraction");
            for (const auto& file : t::array_member(hb, "files").GetArray()) {
                const auto& fields = t::member(file, "state_fields");
                // Challenge 0 of each file used the constructor's fraction (1.0 or 0.7), which
                // gives l >= 1 for every file, so the node's rule changes nothing there.
                const auto& first = t::array_member(file, "challenges")[0];
                auto random = std::make_shared<t::ReplayRandomSource>(std::vector<std::string>{
                    t::hex_member(fields, "f_key_hex"), t::hex_member(fields, "alpha_key_hex"),
                    t::hex_member(fields, "iv_hex"),
                    t::hex_member(t::member(first, "challenge_fields"), "key_hex")});
                const auto scheme = scheme_from(t::base64_member(hb, "private_b64"), fraction, random);
                const auto encoded = scheme->encode(t::vector_file(file));
                CPPUNIT_ASSERT_EQUAL("\"" + t::string_member(file, "tag_b64") + "\"", encoded.tag_json);
                CPPUNIT_ASSERT_EQUAL(t::base64_member(file, "state_b64"), encoded.state);
                auto issued = scheme->gen_challenge(encoded.state);
                CPPUNIT_ASSERT(issued.ok());
                CPPUNIT_ASSERT(issued->has_value());
                CPPUNIT_ASSERT_EQUAL("\"" + t::string_member(first, "challenge_b64") + "\"", (*issued)->challenge_json);
                CPPUNIT_ASSERT_EQUAL(t::base64_member(first, "challenge_b64"), (*issued)->challenge);
                CPPUNIT_ASSERT_EQUAL(encoded.state, (*issued)->state);
                CPPUNIT_ASSERT_EQUAL(std::size_t{0}, random->remaining());
                // The recorded proof of that challenge verifies through the interface.
                const auto proof_json = json_string(t::string_member(first, "proof_b64"));
                CPPUNIT_ASSERT_EQUAL(std::string("Valid"),
                                     verdict_of(*scheme, *proof_json, (*issued)->challenge, (*issued)->state));
                ++files;
            }
        }
        CPPUNIT_ASSERT_EQUAL(5, files);
    }
    void neverIssuesAZeroChunkChallenge() {
        const auto doc = t::load_vectors("swizzle_deterministic.json");
        const auto& hb = t::member(*doc, "heartbeat");
        const auto scheme = scheme_from(t::base64_member(hb, "private_b64"), 0.01);
        for (rapidjson::SizeType f = 0; f < 4; ++f) {
            const auto& file = t::array_member(hb, "files")[f];
            auto issued = scheme->gen_challenge(t::base64_member(file, "state_b64"));
            const auto challenge = proof::parse_swizzle_challenge((*issued)->challenge).value();
            CPPUNIT_ASSERT(challenge.l >= 1);
            CPPUNIT_ASSERT(challenge.bound == scheme->heartbeat().p());
            CPPUNIT_ASSERT_EQUAL(std::size_t{32}, challenge.key.size());
        }
    }
    void challengeForABadStateIsAnError() {
        const auto doc = t::load_vectors("swizzle_deterministic.json");
        const auto scheme = scheme_from(t::base64_member(t::member(*doc, "heartbeat"), "private_b64"), 1.0);
        int refused = 0;
        for (const auto& c : t::array_member(*doc, "gen_challenge_cases").GetArray()) {
            if (t::string_member(c, "heartbeat") != "private") continue;
            const bool ok = t::member(c, "expected").HasMember("result");
            CPPUNIT_ASSERT_EQUAL(ok, scheme->gen_challenge(t::base64_member(c, "state")).ok());
            if (!ok) ++refused;
        }
        CPPUNIT_ASSERT_EQUAL(2, refused);
        CPPUNIT_ASSERT(!scheme->gen_challenge("").ok());
        CPPUNIT_ASSERT(!scheme->gen_challenge(std::string(144, '\xff')).ok());
    }
    void everyVerifyCaseGetsTheNodesVerdict() {
        const auto doc = t::load_vectors("swizzle_deterministic.json");
        const std::string private_bytes = t::base64_member(t::member(*doc, "heartbeat"), "private_b64");
        const auto scheme = scheme_from(private_bytes, 1.0);
        int checked = 0;
        for (const auto& c : t::array_member(*doc, "verify_cases").GetArray()) {
            const std::string name = t::string_member(c, "name");
            const auto expected = kNodeVerdicts.find(name);
            CPPUNIT_ASSERT_MESSAGE("no node verdict for " + name, expected != kNodeVerdicts.end());
            const std::string who = t::string_member(c, "heartbeat");
            std::string actual;
            std::unique_ptr<SwizzleScheme> given;
            const SwizzleScheme* used = scheme.get();
            if (who != "private") {
                const std::string bytes = base64_decode_prefix(
                    who == "public" ? t::string_member(t::member(*doc, "heartbeat"), "public_b64")
                                    : t::string_member(c, "heartbeat_b64"));
                auto made = SwizzleScheme::create(bytes, 1.0);
                if (made) given = std::move(made).value();
                used = given.get();
            }
            if (!used) {
                actual = "NoScheme";
            } else {
                const auto proof_json = json_string(t::string_member(c, "proof"));
                actual = verdict_of(*used, *proof_json, base64_decode_prefix(t::string_member(c, "challenge")),
                                    base64_decode_prefix(t::string_member(c, "state")));
            }
            CPPUNIT_ASSERT_EQUAL_MESSAGE(name, expected->second, actual);
            ++checked;
        }
        CPPUNIT_ASSERT_EQUAL(40, checked);
        CPPUNIT_ASSERT_EQUAL(kNodeVerdicts.size(), std::size_t{40});
    }
    void hostileProofsAreCorruptedOrInvalid() {
        const auto doc = t::load_vectors("swizzle_deterministic.json");
        const auto& hb = t::member(*doc, "heartbeat");
        const auto scheme = scheme_from(t::base64_member(hb, "private_b64"), 1.0);
        const auto& file = t::array_member(hb, "files")[3];
        const auto& c = t::array_member(file, "challenges")[1];
        const std::string challenge = t::base64_member(c, "challenge_b64");
        const std::string state = t::base64_member(file, "state_b64");
        int checked = 0;
        for (const char* text : {"{\"leaf\": 1}", "[]", "null", "12", "\"\"", "\"////\"", "\"CgAAAA\"",
                                 "\"/////w==\""}) {
            const auto value = json::parse_json(text).value();
            CPPUNIT_ASSERT_EQUAL_MESSAGE(text, std::string("Corrupted"), verdict_of(*scheme, *value, challenge, state));
            ++checked;
        }
        // Parses, but is not a proof of this challenge: all zeros with the right count.
        std::string zero_proof("\x0a\0\0\0", 4);
        for (int j = 0; j <= 10; ++j) zero_proof += std::string("\x01\0\0\0\0", 5);
        const auto zero_json = json_string(downstream::encoding::base64_encode(zero_proof));
        CPPUNIT_ASSERT_EQUAL(std::string("Invalid"), verdict_of(*scheme, *zero_json, challenge, state));
        CPPUNIT_ASSERT_EQUAL(8, checked);
    }
    void hostileStoredChallenges() {
        const auto doc = t::load_vectors("swizzle_deterministic.json");
        const auto& hb = t::member(*doc, "heartbeat");
        const auto scheme = scheme_from(t::base64_member(hb, "private_b64"), 1.0);
        const auto& file = t::array_member(hb, "files")[3];
        const auto& check_all = t::array_member(file, "challenges")[0];
        const std::string state = t::base64_member(file, "state_b64");
        const auto proof_json = json_string(t::string_member(check_all, "proof_b64"));
        auto challenge = proof::parse_swizzle_challenge(t::base64_member(check_all, "challenge_b64")).value();
        // l = 2^32 - 1: check-all, bounded by the state's n = 52.
        challenge.l = 0xffffffffu;
        CPPUNIT_ASSERT_EQUAL(std::string("Valid"), verdict_of(*scheme, *proof_json, serialize(challenge), state));
        // Garbage or a B the parser refuses: the node's own data is bad, an Error.
        CPPUNIT_ASSERT_EQUAL(std::string("Error"), verdict_of(*scheme, *proof_json, "", state));
        challenge.bound = proof::BigNumber::from_word(1);
        CPPUNIT_ASSERT_EQUAL(std::string("Error"), verdict_of(*scheme, *proof_json, serialize(challenge), state));
        challenge.bound = proof::BigNumber();
        CPPUNIT_ASSERT_EQUAL(std::string("Error"), verdict_of(*scheme, *proof_json, serialize(challenge), state));
    }
    void roundTripWithAFreshHeartbeat() {
        proof::SecureRandomSource random;
        const std::string private_bytes = proof::generate_swizzle_private_heartbeat(random);
        CPPUNIT_ASSERT_EQUAL(std::size_t{213}, private_bytes.size());
        const auto scheme = scheme_from(private_bytes, 0.5);
        const std::string file = proof::RandomStream("swizzle round trip", 20000).generate();
        const auto encoded = scheme->encode(file);
        CPPUNIT_ASSERT_EQUAL(std::size_t{144}, encoded.state.size());

        // The farmer's side, from the JSON texts alone.
        const auto heartbeat = proof::SwizzleHeartbeat::parse(from_json_text(scheme->public_heartbeat_json())).value();
        CPPUNIT_ASSERT(heartbeat.is_public());
        const auto tag = proof::parse_swizzle_tag(from_json_text(encoded.tag_json)).value();
        CPPUNIT_ASSERT_EQUAL(std::size_t{20000 / 1270 + 1}, tag.sigmas.size());
        int valid = 0, invalid = 0;
        for (int round = 0; round < 3; ++round) {
            auto issued = scheme->gen_challenge(encoded.state);
            CPPUNIT_ASSERT(issued.ok() && issued->has_value());
            const auto challenge = proof::parse_swizzle_challenge(from_json_text((*issued)->challenge_json)).value();
            CPPUNIT_ASSERT_EQUAL(std::uint32_t{8}, challenge.l);  // trunc(0.5 × 16)
            const auto made = proof::prove_swizzle(heartbeat, file, challenge, tag).value();
            const auto proof_json = json_string(downstream::encoding::base64_encode(serialize(made)));
            CPPUNIT_ASSERT_EQUAL(std::string("Valid"),
                                 verdict_of(*scheme, *proof_json, (*issued)->challenge, (*issued)->state));
            ++valid;
            // A farmer who lost one chunk's bytes (all of them changed) fails whenever that
            // chunk is selected; with every chunk altered it always fails.
            std::string damaged = file;
            for (char& ch : damaged) ch = static_cast<char>(ch ^ 0x5a);
            const auto bad = proof::prove_swizzle(heartbeat, damaged, challenge, tag).value();
            const auto bad_json = json_string(downstream::encoding::base64_encode(serialize(bad)));
            CPPUNIT_ASSERT_EQUAL(std::string("Invalid"),
                                 verdict_of(*scheme, *bad_json, (*issued)->challenge, (*issued)->state));
            ++invalid;
        }
        CPPUNIT_ASSERT_EQUAL(3, valid);
        CPPUNIT_ASSERT_EQUAL(3, invalid);
    }
    void randomMutationsNeverCrashOrHang() {
        // Byte flips, truncations and extensions of a valid proof, challenge and state (fixed
        // seed): every outcome is a verdict or an Error, never a crash or a hang.
        const auto doc = t::load_vectors("swizzle_deterministic.json");
        const auto& hb = t::member(*doc, "heartbeat");
        const auto scheme = scheme_from(t::base64_member(hb, "private_b64"), 1.0);
        const auto& file = t::array_member(hb, "files")[2];  // file_2540, n = 3
        const auto& c = t::array_member(file, "challenges")[0];
        const std::string proof_bytes = t::base64_member(c, "proof_b64");
        const std::string challenge = t::base64_member(c, "challenge_b64");
        const std::string state = t::base64_member(file, "state_b64");
        std::mt19937 rng(20240601);
        const auto mutate = [&](std::string bytes) {
            switch (rng() % 3) {
            case 0: bytes[rng() % bytes.size()] ^= static_cast<char>(1 + rng() % 255); break;
            case 1: bytes.resize(rng() % bytes.size()); break;
            default: bytes += std::string(1 + rng() % 8, static_cast<char>(rng())); break;
            }
            return bytes;
        };
        std::map<std::string, int> seen;
        for (int round = 0; round < 1500; ++round) {
            std::string p = proof_bytes, ch = challenge, st = state;
            switch (round % 3) {
            case 0: p = mutate(p); break;
            case 1: ch = mutate(ch); break;
            default: st = mutate(st); break;
            }
            const auto proof_json = json_string(downstream::encoding::base64_encode(p));
            const std::string verdict = verdict_of(*scheme, *proof_json, ch, st);
            // A changed proof or state is never valid, save for appended bytes (trailing
            // data is ignored). A changed stored challenge may be: l >= n is check-all
            // whatever its value, and B only bounds the coefficients, so a small change to B
            // often leaves every v_k the same.
            if (verdict == "Valid" && round % 3 != 1)
                CPPUNIT_ASSERT(p.size() > proof_bytes.size() || st.size() > state.size());
            ++seen[verdict];
        }
        CPPUNIT_ASSERT(seen["Invalid"] > 0);
        CPPUNIT_ASSERT(seen["Corrupted"] > 0);
        CPPUNIT_ASSERT(seen["Error"] > 0);
    }
};
CPPUNIT_TEST_SUITE_REGISTRATION(SwizzleSchemeTest);
