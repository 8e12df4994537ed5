#include "proof/swizzle_scheme.h"

#include "proof/swizzle_challenge.h"
#include "proof/swizzle_encode.h"
#include "proof/swizzle_gen_challenge.h"
#include "proof/swizzle_json.h"
#include "proof/swizzle_proof.h"
#include "proof/swizzle_state.h"
#include "proof/swizzle_tag.h"
#include "proof/swizzle_verify.h"

#include <stdexcept>

namespace downstream::proof {

Result<std::unique_ptr<SwizzleScheme>> SwizzleScheme::create(
    std::string_view private_heartbeat, double check_fraction,
    std::shared_ptr<RandomSource> random) {
    auto heartbeat = SwizzleHeartbeat::parse(private_heartbeat);
    if (!heartbeat) return make_error("Swizzle heartbeat: " + heartbeat.error().message);
    if (heartbeat->is_public())
        return make_error("Swizzle heartbeat: the key file holds a public heartbeat (no keys)");
    if (!(check_fraction > 0.0 && check_fraction <= 1.0))
        return make_error("Swizzle check fraction must be in (0, 1]");
    if (!random) return make_error("Swizzle scheme needs a random source");
    return std::make_unique<SwizzleScheme>(Validated(), std::move(heartbeat).value(),
                                           check_fraction, std::move(random));
}

std::string SwizzleScheme::public_heartbeat_json() const {
    return swizzle_json(heartbeat_.public_heartbeat().serialize());
}

EncodedFile SwizzleScheme::encode(std::string_view file) const {
    auto encoding = encode_swizzle_file(heartbeat_, file, *random_);
    // The heartbeat is private (checked in create), so only a file of 2^32 chunks fails.
    if (!encoding) throw std::length_error(encoding.error().message);
    return EncodedFile{swizzle_json(serialize(encoding->tag)), encoding->state.serialize()};
}

Result<std::optional<IssuedChallenge>> SwizzleScheme::gen_challenge(std::string_view state) const {
    auto parsed = SwizzleState::parse(state);
    if (!parsed) return make_error("Swizzle state: " + parsed.error().message);
    auto challenge = gen_swizzle_challenge(heartbeat_, *parsed, check_fraction_, *random_,
                                           SwizzleCountRule::AtLeastOne);
    if (!challenge) return challenge.error();
    const std::string bytes = serialize(*challenge);
    // Swizzle challenges never run out and leave the state unchanged.
    return std::optional<IssuedChallenge>(
        IssuedChallenge{swizzle_json(bytes), bytes, std::string(state)});
}

Result<Verdict> SwizzleScheme::verify(const json::Value& proof, std::string_view challenge,
                                      std::string_view state) const {
    // The node's own data first: its failures are errors, never the farmer's fault.
    auto parsed_state = SwizzleState::parse(state);
    if (!parsed_state) return make_error("Swizzle state: " + parsed_state.error().message);
    auto opened = parsed_state->open(heartbeat_.keys());
    if (!opened) return make_error("Swizzle state: " + opened.error().message);
    if (!*opened) return make_error("Swizzle state fails authentication");
    if ((*opened)->n == 0) return make_error("Swizzle state has no chunks");
    auto parsed_challenge = parse_swizzle_challenge(challenge);
    if (!parsed_challenge)
        return make_error("stored Swizzle challenge: " + parsed_challenge.error().message);
    if (parsed_challenge->l == 0) return make_error("stored Swizzle challenge checks no chunks");

    auto bytes = swizzle_bytes_from_json(proof);
    if (!bytes) return Verdict::Corrupted;
    auto parsed_proof = parse_swizzle_proof(*bytes);
    if (!parsed_proof) return Verdict::Corrupted;

    auto ok = verify_swizzle_opened(heartbeat_, *parsed_proof, *parsed_challenge, **opened);
    if (!ok) return ok.error();
    return *ok ? Verdict::Valid : Verdict::Invalid;
}

std::string generate_swizzle_private_heartbeat(RandomSource& random) {
    return SwizzleHeartbeat::generate(random).serialize();
}

std::string generate_swizzle_private_heartbeat() {
    SecureRandomSource random;
    return generate_swizzle_private_heartbeat(random);
}

}  // namespace downstream::proof
