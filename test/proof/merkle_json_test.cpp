#include "proof/merkle_json.h"

#include "crypto/sha256.h"
#include "encoding/base64.h"
#include "json/json_parse.h"
#include "proof/merkle_heartbeat.h"
#include "support/test_data.h"
#include "support/vector_fields.h"

#include <cppunit/extensions/HelperMacros.h>

#include <random>

using downstream::encoding::base64_encode;
using namespace downstream::proof;
using namespace downstream::testing;
namespace json = downstream::json;
namespace crypto = downstream::crypto;

namespace {

std::unique_ptr<json::Document> parse(const std::string& text) {
    json::ParseLimits limits;
    limits.max_depth = 200;
    auto doc = json::parse_json(text, limits);
    if (!doc.ok()) CPPUNIT_FAIL("test JSON does not parse: " + doc.error().message + ": " + text);
    return std::move(doc).value();
}

const json::Value* find_case(const json::Value& vectors, const std::string& name) {
    for (const auto& c : array_field(vectors, "cases", 10).GetArray())
        if (string_field(c, "name") == name) return &c;
    CPPUNIT_FAIL("no vector case " + name);
    return nullptr;
}

// The proof of `step` in case `name`, its challenge and state, as JSON text to alter.
struct StepJson {
    std::string proof;
    std::string challenge;
    std::string state;
};

StepJson step_json(const json::Value& vectors, const std::string& name, rapidjson::SizeType step) {
    const json::Value& s = array_field(*find_case(vectors, name), "steps", step + 1)[step];
    return {compact_json(field(s, "proof")), compact_json(field(s, "challenge")),
            compact_json(field(s, "state_after"))};
}

std::string replace(std::string text, const std::string& from, const std::string& to) {
    const auto at = text.find(from);
    if (at == std::string::npos) CPPUNIT_FAIL("test text has no " + from);
    return text.replace(at, from.size(), to);
}

}  // namespace

// The JSON forms against test/vectors/merkle.json (every object of every case, every
// proof_parsing case) and against hostile input.
class MerkleJsonTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(MerkleJsonTest);
    CPPUNIT_TEST(everyObjectRoundTripsToReferenceText);
    CPPUNIT_TEST(proofParsingCasesMatchReference);
    CPPUNIT_TEST(leafIndexComparesAndHashesAsPython);
    CPPUNIT_TEST(floatIndexTextCanMatchACraftedLeaf);
    CPPUNIT_TEST(listsWhereBytesBelongParseButNeverVerify);
    CPPUNIT_TEST(hostileProofsAreErrors);
    CPPUNIT_TEST(hostileTagsChallengesStatesAreErrors);
    CPPUNIT_TEST(mutatedProofsNeverThrow);
    CPPUNIT_TEST(repeatedKeysLastOneCounts);
    CPPUNIT_TEST(heartbeatTextAsPythonWritesIt);
    CPPUNIT_TEST(signedStatesSurviveTheirJsonForm);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override {
        vectors_ = load_vectors("merkle.json");
        auto hb = MerkleHeartbeat::create(b64_field(*vectors_, "node_key_b64"), 0.01);
        heartbeat_ = std::make_unique<MerkleHeartbeat>(*hb);
    }

    // Verifies proof text against challenge and state text; "corrupted" when the proof does
    // not decode, "raises" when verify fails, else "true"/"false".
    std::string outcome(const std::string& proof, const std::string& challenge,
                        const std::string& state) {
        auto p = decode_proof(*parse(proof));
        if (!p.ok()) return "corrupted";
        auto result = heartbeat_->verify(*p, *decode_challenge(*parse(challenge)),
                                         *decode_state(*parse(state)));
        if (!result.ok()) return "raises";
        return *result ? "true" : "false";
    }

    void everyObjectRoundTripsToReferenceText() {
        int objects = 0;
        for (const auto& c : array_field(*vectors_, "cases", 10).GetArray()) {
            for (const char* name : {"heartbeat_private", "heartbeat_public"}) {
                auto hb = decode_heartbeat(field(c, name));
                CPPUNIT_ASSERT(hb.ok());
                CPPUNIT_ASSERT_EQUAL(compact_json(field(c, name)),
                                     heartbeat_to_json(hb->key, hb->check_fraction));
                ++objects;
            }
            auto tag = decode_tag(field(c, "tag"));
            CPPUNIT_ASSERT(tag.ok());
            CPPUNIT_ASSERT_EQUAL(compact_json(field(c, "tag")), to_json(*tag));
            auto state = decode_state(field(c, "state_after_encode"));
            CPPUNIT_ASSERT(state.ok());
            CPPUNIT_ASSERT_EQUAL(compact_json(field(c, "state_after_encode")), to_json(*state));
            objects += 2;
            for (const auto& step : array_field(c, "steps").GetArray()) {
                auto challenge = decode_challenge(field(step, "challenge"));
                auto proof = decode_proof(field(step, "proof"));
                auto after = decode_state(field(step, "state_after"));
                CPPUNIT_ASSERT(challenge.ok() && proof.ok() && after.ok());
                CPPUNIT_ASSERT(proof->verifiable && proof->leaf_index_text.empty());
                CPPUNIT_ASSERT_EQUAL(compact_json(field(step, "challenge")), to_json(*challenge));
                CPPUNIT_ASSERT_EQUAL(compact_json(field(step, "proof")), to_json(*proof));
                CPPUNIT_ASSERT_EQUAL(compact_json(field(step, "state_after")), to_json(*after));
                objects += 3;
            }
        }
        CPPUNIT_ASSERT_EQUAL(10 * 4 + 3 * 544, objects);
    }

    void proofParsingCasesMatchReference() {
        const auto& parsing = field(*vectors_, "proof_parsing");
        CPPUNIT_ASSERT_EQUAL(std::string("n256_32k_fraction_0.01"), string_field(parsing, "case"));
        int checked = 0;
        int refused = 0;
        for (const auto& p : array_field(parsing, "cases", 8).GetArray()) {
            const std::string name = string_field(p, "name");
            const auto& expected = field(p, "expected");
            const std::string got = outcome(compact_json(field(p, "proof")),
                                            compact_json(field(p, "challenge")),
                                            compact_json(field(p, "state")));
            std::string want;
            if (expected.HasMember("raises")) {
                want = string_field(expected, "stage") == "Proof.fromdict" ? "corrupted" : "raises";
                refused += want == "corrupted";
            } else {
                want = bool_field(expected, "result") ? "true" : "false";
            }
            CPPUNIT_ASSERT_EQUAL_MESSAGE(name, want, got);
            ++checked;
        }
        CPPUNIT_ASSERT_EQUAL(8, checked);
        CPPUNIT_ASSERT_EQUAL(4, refused);
    }

    void leafIndexComparesAndHashesAsPython() {
        const StepJson s = step_json(*vectors_, "n256_32k_fraction_0.01", 1);  // index 1
        CPPUNIT_ASSERT_EQUAL(std::string("true"), outcome(s.proof, s.challenge, s.state));
        // 1.0 == 1 and True == 1 in Python, but the leaf hashes "1.0" / "True": false.
        for (const char* index : {"1.0", "true", "1e0"}) {
            const std::string proof = replace(s.proof, "\"index\":1", std::string("\"index\":") + index);
            auto decoded = decode_proof(*parse(proof));
            CPPUNIT_ASSERT(decoded.ok() && decoded->verifiable);
            CPPUNIT_ASSERT_EQUAL(std::uint64_t{1}, decoded->leaf_index);
            CPPUNIT_ASSERT(!decoded->leaf_index_text.empty());
            CPPUNIT_ASSERT_EQUAL(std::string("false"), outcome(proof, s.challenge, s.state));
        }
        CPPUNIT_ASSERT_EQUAL(std::string("1.0"),
                             decode_proof(*parse(replace(s.proof, "\"index\":1", "\"index\":1e0")))->leaf_index_text);
        CPPUNIT_ASSERT_EQUAL(std::string("True"),
                             decode_proof(*parse(replace(s.proof, "\"index\":1", "\"index\":true")))->leaf_index_text);
        // Values no index equals: false, never an error.
        for (const char* index : {"\"1\"", "null", "-1", "1.5", "[1]", "{}", "18446744073709551617"}) {
            const std::string proof = replace(s.proof, "\"index\":1", std::string("\"index\":") + index);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(index, std::string("false"), outcome(proof, s.challenge, s.state));
        }
        // json.loads('-0') is the int 0: step 0's proof with index -0 verifies.
        const StepJson s0 = step_json(*vectors_, "n256_32k_fraction_0.01", 0);
        CPPUNIT_ASSERT_EQUAL(std::string("true"),
                             outcome(replace(s0.proof, "\"index\":0", "\"index\":-0"), s0.challenge, s0.state));
    }

    void floatIndexTextCanMatchACraftedLeaf() {
        // Hand-worked: leaf 0's blob ends in "0.", so SHA-256(blob ‖ "0") equals
        // SHA-256(blob[:-2] ‖ "0.0"): Python accepts index 0.0 with the shortened blob.
        auto tree = MerkleTree::build({"xyz0.", "other"});
        MerkleState state;
        state.seed = "s";
        state.n = 2;
        state.root = tree->root();
        state.timestamp = 1.5;
        state.hmac = heartbeat_->state_hmac(state);
        const std::string rows = "[[\"" + base64_encode(tree->nodes()[1]) + "\",\"" +
                                 base64_encode(tree->nodes()[2]) + "\"]]";
        const std::string challenge = "{\"seed\":\"\",\"index\":0}";
        const std::string state_text = to_json(state);
        auto proof_with = [&](const std::string& index, const std::string& blob) {
            return "{\"leaf\":{\"index\":" + index + ",\"blob\":\"" + base64_encode(blob) +
                   "\"},\"branch\":{\"rows\":" + rows + "}}";
        };
        CPPUNIT_ASSERT_EQUAL(std::string("true"), outcome(proof_with("0", "xyz0."), challenge, state_text));
        CPPUNIT_ASSERT_EQUAL(std::string("true"), outcome(proof_with("0.0", "xyz"), challenge, state_text));
        CPPUNIT_ASSERT_EQUAL(std::string("false"), outcome(proof_with("0.0", "xyz0."), challenge, state_text));
        CPPUNIT_ASSERT_EQUAL(std::string("false"), outcome(proof_with("0", "xyz"), challenge, state_text));
    }

    void listsWhereBytesBelongParseButNeverVerify() {
        const StepJson s = step_json(*vectors_, "n256_32k_fraction_0.01", 1);
        auto proof = parse(s.proof);
        const std::string blob = (*proof)["leaf"]["blob"].GetString();
        const std::string left = (*proof)["branch"]["rows"][0][0].GetString();
        // A list blob: hashlib refuses it, verify says false.
        CPPUNIT_ASSERT_EQUAL(std::string("false"),
                             outcome(replace(s.proof, "\"" + blob + "\"", "[\"" + blob + "\"]"), s.challenge, s.state));
        CPPUNIT_ASSERT_EQUAL(std::string("false"),
                             outcome(replace(s.proof, "\"" + blob + "\"", "[]"), s.challenge, s.state));
        // A non-empty list as a row entry.
        CPPUNIT_ASSERT_EQUAL(std::string("false"),
                             outcome(replace(s.proof, "\"" + left + "\"", "[\"" + left + "\"]"), s.challenge, s.state));
        // Lists must still hold base64 strings.
        CPPUNIT_ASSERT_EQUAL(std::string("corrupted"),
                             outcome(replace(s.proof, "\"" + blob + "\"", "[1]"), s.challenge, s.state));
        CPPUNIT_ASSERT_EQUAL(std::string("corrupted"),
                             outcome(replace(s.proof, "\"" + blob + "\"", "[\"abc\"]"), s.challenge, s.state));
        // An empty list entry behaves as empty bytes: a leaf whose partner is empty (root =
        // SHA-256 of the leaf alone) verifies with [] as the partner, as with "".
        MerkleState state;
        state.seed = "s";
        state.n = 1;
        state.root = crypto::sha256(leaf_hash("a", 0));
        state.timestamp = 2.0;
        state.hmac = heartbeat_->state_hmac(state);
        const std::string leaf = "{\"index\":0,\"blob\":\"" + base64_encode("a") + "\"}";
        const std::string lh = base64_encode(leaf_hash("a", 0));
        const std::string c = "{\"seed\":\"\",\"index\":0}";
        CPPUNIT_ASSERT_EQUAL(std::string("true"),
                             outcome("{\"leaf\":" + leaf + ",\"branch\":{\"rows\":[[\"" + lh + "\",\"\"]]}}", c, to_json(state)));
        CPPUNIT_ASSERT_EQUAL(std::string("true"),
                             outcome("{\"leaf\":" + leaf + ",\"branch\":{\"rows\":[[\"" + lh + "\",[]]]}}", c, to_json(state)));
    }

    void hostileProofsAreErrors() {
        const StepJson s = step_json(*vectors_, "n256_32k_fraction_0.01", 1);
        auto proof = parse(s.proof);
        const std::string blob = (*proof)["leaf"]["blob"].GetString();
        const std::string rows = compact_json((*proof)["branch"]["rows"]);
        const std::string first_row = compact_json((*proof)["branch"]["rows"][0]);
        const std::string bad[] = {
            "null", "[]", "\"proof\"", "17", "{}",
            "{\"leaf\":1,\"branch\":{\"rows\":[]}}",
            "{\"leaf\":[],\"branch\":{\"rows\":[]}}",
            replace(s.proof, "\"branch\":", "\"twig\":"),
            replace(s.proof, "\"rows\":", "\"cols\":"),
            replace(s.proof, "\"blob\":", "\"blub\":"),
            replace(s.proof, "\"index\":", "\"idx\":"),
            replace(s.proof, "\"" + blob + "\"", "\"abc\""),       // bad padding
            replace(s.proof, "\"" + blob + "\"", "42"),
            replace(s.proof, "\"" + blob + "\"", "null"),
            replace(s.proof, "\"" + blob + "\"", "{}"),
            replace(s.proof, rows, "\"rows\""),                    // a string (Python: chars)
            replace(s.proof, rows, "{\"ab\":1}"),                  // an object (Python: keys)
            replace(s.proof, rows, "null"),
            replace(s.proof, first_row, "\"ab\""),                 // a row that is a string
            replace(s.proof, first_row, "{}"),
            replace(s.proof, first_row, "7"),
            replace(s.proof, first_row, "[]"),
            "{\"leaf\":{\"index\":1,\"blob\":\"\"},\"branch\":[]}",
            "{\"leaf\":{\"index\":1,\"blob\":\"\"},\"branch\":\"rows\"}",
        };
        int checked = 0;
        for (const std::string& text : bad) {
            auto doc = parse(text);
            auto decoded = decode_proof(*doc);
            CPPUNIT_ASSERT_MESSAGE(text, !decoded.ok());
            CPPUNIT_ASSERT_MESSAGE(text, !decoded.error().message.empty());
            ++checked;
        }
        CPPUNIT_ASSERT_EQUAL(24, checked);

        // Huge arrays: refused by count, before any row is decoded.
        std::string many = "{\"leaf\":{\"index\":1,\"blob\":\"\"},\"branch\":{\"rows\":[";
        for (int i = 0; i < 100000; ++i) many += i ? ",[\"\",\"\"]" : "[\"\",\"\"]";
        many += "]}}";
        CPPUNIT_ASSERT(!decode_proof(*parse(many)).ok());
        std::string limit = "{\"leaf\":{\"index\":1,\"blob\":\"\"},\"branch\":{\"rows\":[";
        for (std::size_t i = 0; i < kMaxBranchRows; ++i) limit += i ? ",[\"\",\"\"]" : "[\"\",\"\"]";
        limit += "]}}";
        CPPUNIT_ASSERT(decode_proof(*parse(limit)).ok());

        // Deep nesting: lists within lists parse to a depth, and a document built in memory
        // deeper than any parser allows is refused, not recursed into without bound.
        std::string nested = s.proof;
        nested = replace(nested, "\"" + blob + "\"", std::string(20, '[') + "\"" + blob + "\"" + std::string(20, ']'));
        auto shallow = decode_proof(*parse(nested));
        CPPUNIT_ASSERT(shallow.ok() && !shallow->verifiable);
        json::Document deep;
        deep.SetObject();
        json::Value list(rapidjson::kArrayType);
        for (int i = 0; i < 1000; ++i) {
            json::Value outer(rapidjson::kArrayType);
            outer.PushBack(list, deep.GetAllocator());
            list = std::move(outer);
        }
        json::Value leaf(rapidjson::kObjectType);
        leaf.AddMember("index", 1, deep.GetAllocator());
        leaf.AddMember("blob", list, deep.GetAllocator());
        deep.AddMember("leaf", leaf, deep.GetAllocator());
        json::Value branch(rapidjson::kObjectType);
        branch.AddMember("rows", json::Value(rapidjson::kArrayType), deep.GetAllocator());
        deep.AddMember("branch", branch, deep.GetAllocator());
        CPPUNIT_ASSERT(!decode_proof(deep).ok());
    }

    void hostileTagsChallengesStatesAreErrors() {
        const json::Value& c = *find_case(*vectors_, "n5_explicit_chunksz");
        const std::string tag = compact_json(field(c, "tag"));
        const std::string state = compact_json(field(c, "state_after_encode"));
        const std::string challenge = compact_json(field(array_field(c, "steps")[0], "challenge"));
        CPPUNIT_ASSERT(decode_tag(*parse(tag)).ok());
        CPPUNIT_ASSERT(decode_state(*parse(state)).ok());
        CPPUNIT_ASSERT(decode_challenge(*parse(challenge)).ok());
        const std::string bad_tags[] = {
            "[]", replace(tag, "\"filesz\":", "\"size\":"), replace(tag, "\"leaves\":[]", "\"leaves\":{}"),
            replace(tag, "\"leaves\":", "\"leafs\":"), replace(tag, "\"order\":3", "\"order\":63"),
            replace(tag, "\"order\":3", "\"order\":-3"), replace(tag, "\"order\":3", "\"order\":3.0"),
            replace(tag, "\"chunksz\":64", "\"chunksz\":\"64\""), replace(tag, "\"nodes\":[", "\"nodes\":[7,"),
            replace(tag, "\"nodes\":[", "\"nodes\":[\"abc\","), replace(tag, "\"order\":3", "\"order\":3,\"nodes\":1"),  // the last "nodes" counts
        };
        for (const std::string& text : bad_tags) CPPUNIT_ASSERT_MESSAGE(text, !decode_tag(*parse(text)).ok());
        std::string huge = "{\"tree\":{\"nodes\":[";
        for (std::size_t i = 0; i <= kMaxTagNodes; ++i) huge += i ? ",\"\"" : "\"\"";
        huge += "],\"order\":1,\"leaves\":[]},\"chunksz\":1,\"filesz\":1}";
        CPPUNIT_ASSERT(!decode_tag(*parse(huge)).ok());

        const std::string bad_challenges[] = {
            "{}", "[]", replace(challenge, "\"index\":0", "\"index\":0.0"),
            replace(challenge, "\"index\":0", "\"index\":-1"), replace(challenge, "\"index\":0", "\"index\":\"0\""),
            replace(challenge, "\"seed\":\"", "\"seed\":\"ab"),
        };
        for (const std::string& text : bad_challenges)
            CPPUNIT_ASSERT_MESSAGE(text, !decode_challenge(*parse(text)).ok());

        const std::string bad_states[] = {
            "{}", replace(state, "\"timestamp\":1418245200.739021", "\"timestamp\":1418245200"),
            replace(state, "\"timestamp\":", "\"time\":"), replace(state, "\"n\":5", "\"n\":-5"),
            replace(state, "\"hmac\":\"", "\"hmac\":\"ab"),
        };
        for (const std::string& text : bad_states) CPPUNIT_ASSERT_MESSAGE(text, !decode_state(*parse(text)).ok());
    }

    void mutatedProofsNeverThrow() {
        // A deterministic stand-in for fuzzing: thousands of byte-level mutations of a valid
        // proof. Whatever parses must decode to a value or an Error and verify to a verdict,
        // never throw; nothing but the original may verify.
        const StepJson s = step_json(*vectors_, "n5_explicit_chunksz", 1);
        auto challenge = decode_challenge(*parse(s.challenge));
        auto state = decode_state(*parse(s.state));
        std::mt19937 random(20141210);
        const std::string alphabet = "{}[]\",:0123456789.-eE+/=Aatrufnl \\";
        int parsed = 0;
        int decoded = 0;
        for (int round = 0; round < 4000; ++round) {
            std::string text = s.proof;
            const int edits = 1 + static_cast<int>(random() % 3);
            for (int e = 0; e < edits; ++e) {
                const std::size_t at = random() % text.size();
                switch (random() % 3) {
                case 0: text[at] = alphabet[random() % alphabet.size()]; break;
                case 1: text.erase(at, 1 + random() % 8); break;
                default: text.insert(at, 1, alphabet[random() % alphabet.size()]); break;
                }
                if (text.empty()) text = "0";
            }
            auto doc = json::parse_json(text);
            if (!doc.ok()) continue;
            ++parsed;
            try {
                auto proof = decode_proof(**doc);
                if (!proof.ok()) continue;
                ++decoded;
                auto result = heartbeat_->verify(*proof, *challenge, *state);
                CPPUNIT_ASSERT(result.ok());
                if (*result) CPPUNIT_ASSERT_EQUAL(to_json(*decode_proof(*parse(s.proof))), to_json(*proof));
            } catch (const std::exception& e) {
                CPPUNIT_FAIL(std::string("threw on ") + text + ": " + e.what());
            }
        }
        CPPUNIT_ASSERT(parsed > 500);
        CPPUNIT_ASSERT(decoded > 200);
    }

    void repeatedKeysLastOneCounts() {
        const StepJson s = step_json(*vectors_, "n256_32k_fraction_0.01", 1);
        const std::string twice = replace(s.proof, "\"index\":1", "\"index\":5,\"index\":1");
        CPPUNIT_ASSERT_EQUAL(std::uint64_t{1}, decode_proof(*parse(twice))->leaf_index);
        CPPUNIT_ASSERT_EQUAL(std::string("true"), outcome(twice, s.challenge, s.state));
    }

    void heartbeatTextAsPythonWritesIt() {
        CPPUNIT_ASSERT_EQUAL(std::string("{\"key\":\"\",\"check_fraction\":0.01}"), heartbeat_to_json("", 0.01));
        CPPUNIT_ASSERT_EQUAL(std::string("{\"key\":\"\",\"check_fraction\":null}"), heartbeat_to_json("", std::nullopt));
        CPPUNIT_ASSERT_EQUAL(std::string("{\"key\":\"AAE=\",\"check_fraction\":1e-05}"),
                             heartbeat_to_json(std::string("\0\1", 2), 1e-05));
        CPPUNIT_ASSERT_EQUAL(std::string("{\"key\":\"\",\"check_fraction\":1.0}"), heartbeat_to_json("", 1.0));
    }

    // Found by test/fuzz/merkle_json_fuzz: JSON numbers were read up to a few ulp off, so a
    // state whose timestamp was such a double came back from its JSON form with another
    // timestamp, and so another text under its HMAC: a valid state would have failed.
    void signedStatesSurviveTheirJsonForm() {
        int checked = 0;
        for (double timestamp : {2.3999999999999994e+67, 0.30000000000000004, 5e-324,
                                 1.7976931348623157e308, 123456789.12345679, 1418245200.739021,
                                 9.0071992547409930e+25, 2.2250738585072009e-308}) {
            MerkleState state;
            state.index = 2;
            state.seed = std::string(32, '\x5a');
            state.n = 4;
            state.root = std::string(32, '\xa5');
            state.timestamp = timestamp;
            state.hmac = heartbeat_->state_hmac(state);
            const std::string text = to_json(state);
            auto decoded = decode_state(*parse(text));
            CPPUNIT_ASSERT_MESSAGE(text, decoded.ok());
            CPPUNIT_ASSERT_EQUAL_MESSAGE(text, timestamp, decoded->timestamp);
            CPPUNIT_ASSERT_MESSAGE(text, heartbeat_->is_authentic(*decoded));
            ++checked;
        }
        CPPUNIT_ASSERT_EQUAL(8, checked);
    }

private:
    std::unique_ptr<json::Document> vectors_;
    std::unique_ptr<MerkleHeartbeat> heartbeat_;
};
CPPUNIT_TEST_SUITE_REGISTRATION(MerkleJsonTest);
