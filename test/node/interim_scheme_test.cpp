#include "node/interim_scheme.h"
#include "node/chunk_generator.h"
#include "crypto/sha256.h"
#include "encoding/hex.h"
#include "support/test_data.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace downstream;

class InterimSchemeTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(InterimSchemeTest);
    CPPUNIT_TEST(issuesChallengesThenRunsOut);
    CPPUNIT_TEST(refusesTamperedOrForeignState);
    CPPUNIT_TEST(cannotVerify);
    CPPUNIT_TEST(generatorHashesTheReferenceFile);
    CPPUNIT_TEST_SUITE_END();

public:
    void issuesChallengesThenRunsOut() {
        const node::InterimScheme scheme(std::string(32, 'k'), 3);
        auto encoded = scheme.encode("file bytes");
        CPPUNIT_ASSERT(encoded.tag_json.find(encoding::hex_encode(crypto::sha256("file bytes"))) != std::string::npos);
        std::string state = encoded.state;
        std::string previous;
        for (int i = 0; i < 3; ++i) {
            auto c = scheme.gen_challenge(state);
            CPPUNIT_ASSERT(c.ok());
            CPPUNIT_ASSERT(c->has_value());
            CPPUNIT_ASSERT((*c)->challenge != previous);
            CPPUNIT_ASSERT((*c)->challenge_json.find("\"index\":" + std::to_string(i)) != std::string::npos);
            previous = (*c)->challenge;
            state = (*c)->state;
        }
        auto done = scheme.gen_challenge(state);
        CPPUNIT_ASSERT(done.ok());
        CPPUNIT_ASSERT(!done->has_value());
    }

    void refusesTamperedOrForeignState() {
        const node::InterimScheme scheme(std::string(32, 'k'), 3);
        std::string state = scheme.encode("x").state;
        std::string tampered = state;
        tampered[3] ^= 1;
        CPPUNIT_ASSERT(!scheme.gen_challenge(tampered).ok());
        CPPUNIT_ASSERT(!scheme.gen_challenge(state.substr(1)).ok());
        const node::InterimScheme other(std::string(32, 'o'), 3);
        CPPUNIT_ASSERT(!other.gen_challenge(state).ok());
    }

    void cannotVerify() {
        const node::InterimScheme scheme(std::string(32, 'k'), 3);
        json::Document proof;
        proof.SetObject();
        CPPUNIT_ASSERT(!scheme.verify(proof, "c", scheme.encode("x").state).ok());
    }

    void generatorHashesTheReferenceFile() {
        // The pool's file_hash must be SHA-256 of what the farmer regenerates from the seed:
        // randomio.json's "test seed" / 32768 case.
        auto doc = testing::load_vectors("randomio.json");
        std::string expected;
        for (const auto& c : (*doc)["cases"].GetArray())
            if (std::string(c["seed"].GetString()) == "test seed" && c["size"].GetInt() == 32768)
                expected = c["sha256"].GetString();
        CPPUNIT_ASSERT(!expected.empty());
        const node::InterimScheme scheme(std::string(32, 'k'), 3);
        const node::ChunkGenerator generator(scheme);
        node::GenerationTime time;
        const auto chunk = generator.generate_from_seed("test seed", 32768, time);
        CPPUNIT_ASSERT_EQUAL(expected, encoding::hex_encode(chunk.file_hash));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{32768}, chunk.size);
        CPPUNIT_ASSERT(!chunk.state.empty());
        // Random seeds: 32 hex characters, different each time.
        const auto a = generator.generate(1024, time);
        const auto b = generator.generate(1024, time);
        CPPUNIT_ASSERT(encoding::is_hex(a.seed, 32));
        CPPUNIT_ASSERT(a.seed != b.seed);
        CPPUNIT_ASSERT(a.file_hash != b.file_hash);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(InterimSchemeTest);
