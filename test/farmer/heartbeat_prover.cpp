#include "farmer/heartbeat_prover.h"

#include "json/json_parse.h"
#include "proof/merkle_heartbeat.h"
#include "proof/merkle_json.h"
#include "proof/swizzle_challenge.h"
#include "proof/swizzle_heartbeat.h"
#include "proof/swizzle_json.h"
#include "proof/swizzle_prove.h"
#include "proof/swizzle_tag.h"

namespace downstream::farmer {
namespace {

Result<std::unique_ptr<json::Document>> parse(std::string_view text, const char* what) {
    auto parsed = json::parse_json(text);
    if (!parsed) return make_error(std::string(what) + " is not JSON: " + parsed.error().message);
    return std::move(parsed).value();
}

class MerkleProver final : public HeartbeatProver {
public:
    std::string_view type() const override { return "Merkle"; }

    Result<std::string> prove(std::string_view file, std::string_view challenge_json,
                              const json::Value& tag_value) const override {
        auto challenge_doc = parse(challenge_json, "the challenge");
        if (!challenge_doc) return challenge_doc.error();
        auto challenge = proof::decode_challenge(**challenge_doc);
        if (!challenge) return make_error("bad Merkle challenge: " + challenge.error().message);
        auto tag = proof::decode_tag(tag_value);
        if (!tag) return make_error("bad Merkle tag: " + tag.error().message);
        auto made = proof::MerkleHeartbeat::prove(file, *challenge, *tag);
        if (!made) return make_error("Merkle prove failed: " + made.error().message);
        return proof::to_json(*made);
    }
};

class SwizzleProver final : public HeartbeatProver {
public:
    explicit SwizzleProver(proof::SwizzleHeartbeat heartbeat) : heartbeat_(std::move(heartbeat)) {}

    std::string_view type() const override { return "Swizzle"; }

    Result<std::string> prove(std::string_view file, std::string_view challenge_json,
                              const json::Value& tag_value) const override {
        auto challenge_doc = parse(challenge_json, "the challenge");
        if (!challenge_doc) return challenge_doc.error();
        auto challenge_bytes = proof::swizzle_bytes_from_json(**challenge_doc);
        if (!challenge_bytes) return make_error("bad Swizzle challenge: " + challenge_bytes.error().message);
        auto challenge = proof::parse_swizzle_challenge(*challenge_bytes);
        if (!challenge) return make_error("bad Swizzle challenge: " + challenge.error().message);
        auto tag_bytes = proof::swizzle_bytes_from_json(tag_value);
        if (!tag_bytes) return make_error("bad Swizzle tag: " + tag_bytes.error().message);
        auto tag = proof::parse_swizzle_tag(*tag_bytes);
        if (!tag) return make_error("bad Swizzle tag: " + tag.error().message);
        auto made = proof::prove_swizzle(heartbeat_, file, *challenge, *tag);
        if (!made) return make_error("Swizzle prove failed: " + made.error().message);
        return proof::swizzle_json(proof::serialize(*made));
    }

private:
    proof::SwizzleHeartbeat heartbeat_;
};

}  // namespace

Result<std::unique_ptr<HeartbeatProver>> HeartbeatProver::create(std::string_view type,
                                                                 std::string_view heartbeat_json) {
    auto doc = parse(heartbeat_json, "the heartbeat");
    if (!doc) return doc.error();
    if (type == "Merkle") {
        // The public Merkle heartbeat carries no key; proving needs none. Still, it must be
        // what the client's fromdict reads.
        auto params = proof::decode_heartbeat(**doc);
        if (!params) return make_error("bad Merkle heartbeat: " + params.error().message);
        return std::unique_ptr<HeartbeatProver>(std::make_unique<MerkleProver>());
    }
    if (type == "Swizzle") {
        auto bytes = proof::swizzle_bytes_from_json(**doc);
        if (!bytes) return make_error("bad Swizzle heartbeat: " + bytes.error().message);
        auto heartbeat = proof::SwizzleHeartbeat::parse(*bytes);
        if (!heartbeat) return make_error("bad Swizzle heartbeat: " + heartbeat.error().message);
        return std::unique_ptr<HeartbeatProver>(
            std::make_unique<SwizzleProver>(std::move(heartbeat).value()));
    }
    return make_error("unknown heartbeat type '" + std::string(type) + "'");
}

}  // namespace downstream::farmer
