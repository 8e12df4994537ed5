#include "node/interim_scheme.h"

#include "crypto/hmac_sha256.h"
#include "crypto/sha256.h"
#include "encoding/hex.h"

namespace downstream::node {
namespace {

// state = index (4 bytes, big-endian) || count (4) || SHA-256 of the file (32) || HMAC (32)
constexpr std::size_t kBodySize = 4 + 4 + 32;
constexpr std::size_t kStateSize = kBodySize + 32;

void put_u32(std::string& out, std::uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8) out += static_cast<char>((v >> shift) & 0xff);
}

std::uint32_t get_u32(std::string_view in) {
    std::uint32_t v = 0;
    for (int i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(in[i]);
    return v;
}

std::string seal(const std::string& key, std::uint32_t index, std::uint32_t count,
                 std::string_view root) {
    std::string body;
    put_u32(body, index);
    put_u32(body, count);
    body += root;
    return body + crypto::hmac_sha256(key, body);
}

}  // namespace

std::string InterimScheme::public_heartbeat_json() const { return R"({"key":"","interim":true})"; }

proof::EncodedFile InterimScheme::encode(std::string_view file) const {
    const std::string root = crypto::sha256(file);
    proof::EncodedFile encoded;
    encoded.tag_json = R"({"interim":true,"sha256":")" + encoding::hex_encode(root) + R"("})";
    encoded.state = seal(key_, 0, static_cast<std::uint32_t>(challenges_), root);
    return encoded;
}

Result<std::optional<proof::IssuedChallenge>> InterimScheme::gen_challenge(std::string_view state) const {
    if (state.size() != kStateSize ||
        !crypto::constant_time_equal(crypto::hmac_sha256(key_, state.substr(0, kBodySize)),
                                     state.substr(kBodySize)))
        return make_error("interim scheme: the state fails its authentication");
    const std::uint32_t index = get_u32(state);
    const std::uint32_t count = get_u32(state.substr(4));
    const std::string_view root = state.substr(8, 32);
    if (index >= count) return std::optional<proof::IssuedChallenge>();
    proof::IssuedChallenge issued;
    std::string message(root);
    put_u32(message, index);
    issued.challenge = crypto::hmac_sha256(key_, message);
    issued.challenge_json = R"({"seed":")" + encoding::hex_encode(issued.challenge) +
                            R"(","index":)" + std::to_string(index) + "}";
    issued.state = seal(key_, index + 1, count, root);
    return std::optional<proof::IssuedChallenge>(std::move(issued));
}

Result<proof::Verdict> InterimScheme::verify(const json::Value&, std::string_view,
                                             std::string_view) const {
    return make_error("the interim heartbeat scheme cannot verify proofs (the Merkle scheme is "
                      "not merged into this build yet)");
}

}  // namespace downstream::node
