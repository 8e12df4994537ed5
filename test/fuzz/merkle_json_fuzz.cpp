// Fuzzes the Merkle heartbeat's JSON decoders (proof/merkle_json.h) and the verify path of
// MerkleScheme behind the HeartbeatScheme seam, on arbitrary JSON text.
//
// The text is parsed once and decoded as every object kind. Invariants: decoders return
// errors, never throw; what decodes writes back to text that decodes to the same object; the
// node's opaque state and challenge records round-trip; and verify(proof) against a fixed
// valid challenge and state (merkle.json, case "file_smaller_than_default_chunk",
// verify case "valid_reference") is never an Error, is Corrupted exactly when the proof does
// not decode, and is Valid only for the reference proof itself.
#include "base/clock.h"
#include "encoding/base64.h"
#include "fuzz/fuzz_check.h"
#include "json/json_parse.h"
#include "proof/merkle_json.h"
#include "proof/merkle_scheme.h"

#include <cmath>
#include <memory>
#include <string>

using namespace downstream;
using namespace downstream::proof;

namespace {

constexpr char kNodeKey[] = "JbmFfZk+BcFOxVDchM00HdnhHD9P/Rz6JCj7F5q6PRU=";
constexpr char kChallenge[] = R"({"seed":"ZJ8PJBz9hjzVoaZ+KCXLyFf4wy9KftbJybBxAvoxUmY=","index":1})";
constexpr char kState[] =
    R"({"index":2,"seed":"ZJ8PJBz9hjzVoaZ+KCXLyFf4wy9KftbJybBxAvoxUmY=","n":4,)"
    R"("root":"CvysCAD8SPuGgcN7Ck5Ba7k4+sT5DppxvlitUnsuGKQ=",)"
    R"("hmac":"2/sNO6UmI3C28+P9ui9mjycrcyckBj2zBIGBodr/DsQ=","timestamp":1418245200.739021})";
constexpr char kProof[] =
    R"({"leaf":{"index":1,"blob":"1m62fcysL55DfKN0JhrA06ibDO+udqYTsPwTq/2ztyU="},)"
    R"("branch":{"rows":[["4aPHJrTWjlhvT8EwkXw8/eH/CInPRMSKvujrk+tUp/M=",)"
    R"("j6nVIxwL62TfvcP8bDqAABipfBeDtVKriCtysRDLwI8="],)"
    R"(["xjUJnDM2D8zVOyLf69K4hXig3g/UOl+G/g8mzwWBiOI=",)"
    R"("2YM4oCrQ6aMJyWZQXpJ0QZCVSruq2b+euWdylJ2C6M0="]]}})";

std::unique_ptr<json::Document> parse_or_die(std::string_view text) {
    auto doc = json::parse_json(text);
    FUZZ_CHECK_MSG(doc.ok(), text);
    return std::move(doc).value();
}

// The scheme and the node's records of the fixed case, checked once: the reference proof
// must verify, or the target would fuzz nothing.
struct Fixture {
    ManualClock clock{0};
    std::unique_ptr<MerkleScheme> scheme;
    std::string challenge;
    std::string state;
    MerkleProof proof;

    Fixture() {
        MerkleSchemeConfig config;
        config.key = encoding::base64_decode_skipping(kNodeKey).value();
        scheme = MerkleScheme::create(config, clock).value();
        challenge = MerkleScheme::serialize_challenge(decode_challenge(*parse_or_die(kChallenge)).value());
        state = MerkleScheme::serialize_state(decode_state(*parse_or_die(kState)).value());
        const auto proof_doc = parse_or_die(kProof);
        proof = decode_proof(*proof_doc).value();
        const auto verdict = scheme->verify(*proof_doc, challenge, state);
        FUZZ_CHECK(verdict.ok() && *verdict == Verdict::Valid);
    }
};

const Fixture& fixture() {
    static const Fixture instance;
    return instance;
}

// to_json(decode(text)) decodes again to an object that writes the same text.
template <class T, class Decode>
void check_round_trip(const T& object, Decode decode) {
    const std::string text = to_json(object);
    const auto doc = parse_or_die(text);
    const auto again = decode(*doc);
    FUZZ_CHECK_MSG(again.ok(), text);
    FUZZ_CHECK_MSG(to_json(*again) == text, text);
}

void check_heartbeat(const json::Value& value) {
    const auto heartbeat = decode_heartbeat(value);
    if (!heartbeat.ok()) return;
    // parse_json holds finite numbers only.
    if (heartbeat->check_fraction) FUZZ_CHECK(std::isfinite(*heartbeat->check_fraction));
    const std::string text = heartbeat_to_json(heartbeat->key, heartbeat->check_fraction);
    const auto again = decode_heartbeat(*parse_or_die(text));
    FUZZ_CHECK_MSG(again.ok() && again->key == heartbeat->key, text);
    FUZZ_CHECK_MSG(again->check_fraction == heartbeat->check_fraction, text);
}

void check_tag(const json::Value& value) {
    const auto tag = decode_tag(value);
    if (!tag.ok()) return;
    FUZZ_CHECK(tag->tree.nodes().size() <= kMaxTagNodes);
    FUZZ_CHECK(tag->tree.order() <= kMaxTagOrder);
    check_round_trip(*tag, decode_tag);
    // The farmer's side reads branches out of tags: bounds are checked, never assumed.
    for (std::uint64_t index : {std::uint64_t{0}, std::uint64_t{1}, std::uint64_t{5},
                                tag->tree.nodes().size() / 2, ~std::uint64_t{0}}) {
        const auto branch = tag->tree.branch(index);
        if (branch.ok()) FUZZ_CHECK(branch->size() == tag->tree.order());
    }
}

void check_proof(const json::Value& value) {
    const Fixture& f = fixture();
    const auto proof = decode_proof(value);
    if (proof.ok()) {
        FUZZ_CHECK(proof->branch.size() <= kMaxBranchRows);
        if (proof->verifiable) check_round_trip(*proof, decode_proof);
    }
    const auto verdict = f.scheme->verify(value, f.challenge, f.state);
    FUZZ_CHECK_MSG(verdict.ok(), verdict.ok() ? "" : verdict.error().message);
    FUZZ_CHECK((*verdict == Verdict::Corrupted) == !proof.ok());
    if (*verdict == Verdict::Valid) {
        // Anything else verifying would be a forged proof.
        FUZZ_CHECK(proof->leaf_index == f.proof.leaf_index && proof->leaf_index_text.empty());
        FUZZ_CHECK(proof->leaf_blob == f.proof.leaf_blob);
        FUZZ_CHECK(proof->branch == f.proof.branch);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);

    // The node's own records: parse only exact records, which serialize back to themselves.
    if (const auto state = MerkleScheme::parse_state(text); state.ok())
        FUZZ_CHECK(MerkleScheme::serialize_state(*state) == text);
    if (const auto challenge = MerkleScheme::parse_challenge(text); challenge.ok())
        FUZZ_CHECK(MerkleScheme::serialize_challenge(*challenge) == text);

    const auto doc = json::parse_json(text);
    if (!doc.ok()) return 0;
    const json::Value& value = **doc;

    check_heartbeat(value);
    if (const auto challenge = decode_challenge(value); challenge.ok())
        check_round_trip(*challenge, decode_challenge);
    check_tag(value);
    if (const auto state = decode_state(value); state.ok()) {
        check_round_trip(*state, decode_state);
        // The node's record holds byte strings of up to 255 bytes (longer ones are refused
        // with std::invalid_argument, documented): issue a challenge from it, as the node
        // would from a stored state. Only a state signed with the node key may issue one.
        if (state->seed.size() <= 255 && state->root.size() <= 255 && state->hmac.size() <= 255) {
            const auto issued =
                fixture().scheme->gen_challenge(MerkleScheme::serialize_state(*state));
            if (issued.ok() && issued->has_value()) {
                FUZZ_CHECK(fixture().scheme->heartbeat().is_authentic(*state));
                const auto next = MerkleScheme::parse_state((*issued)->state);
                FUZZ_CHECK(next.ok() && next->index == state->index + 1);
            }
        }
    }
    check_proof(value);
    return 0;
}
