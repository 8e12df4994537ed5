#include "proof/merkle_scheme.h"

#include "crypto/secure_random.h"
#include "proof/merkle_json.h"

#include <cstring>
#include <stdexcept>

namespace downstream::proof {
namespace {

constexpr char kFormatVersion = '\x01';
constexpr std::size_t kRootSeedSize = 32;

void put_u64(std::string& out, std::uint64_t value) {
    for (int shift = 56; shift >= 0; shift -= 8)
        out += static_cast<char>((value >> shift) & 0xff);
}

void put_bytes(std::string& out, std::string_view bytes) {
    if (bytes.size() > 255)
        throw std::invalid_argument("Merkle record field longer than 255 bytes");
    out += static_cast<char>(bytes.size());
    out += bytes;
}

// Reads a record front to back; any read past the end marks it failed.
class RecordReader {
public:
    explicit RecordReader(std::string_view bytes) : rest_(bytes) {}

    std::uint64_t u64() {
        if (rest_.size() < 8) return fail();
        std::uint64_t value = 0;
        for (int i = 0; i < 8; ++i) value = (value << 8) | static_cast<unsigned char>(rest_[i]);
        rest_.remove_prefix(8);
        return value;
    }
    char byte() {
        if (rest_.empty()) return static_cast<char>(fail());
        const char b = rest_[0];
        rest_.remove_prefix(1);
        return b;
    }
    std::string bytes() {
        const auto length = static_cast<unsigned char>(byte());
        if (failed_ || rest_.size() < length) return fail(), std::string();
        std::string out(rest_.substr(0, length));
        rest_.remove_prefix(length);
        return out;
    }
    // True when every read succeeded and nothing is left over.
    bool complete() const { return !failed_ && rest_.empty(); }

private:
    std::uint64_t fail() {
        failed_ = true;
        rest_ = {};
        return 0;
    }
    std::string_view rest_;
    bool failed_ = false;
};

}  // namespace

Result<std::unique_ptr<MerkleScheme>> MerkleScheme::create(const MerkleSchemeConfig& config,
                                                           const Clock& clock,
                                                           RandomBytes random_bytes) {
    if (config.key.size() != 32)
        return make_error("the Merkle heartbeat key must be 32 bytes, not " +
                          std::to_string(config.key.size()));
    if (config.challenges < 1 || config.challenges > MerkleHeartbeat::kMaxChallenges)
        return make_error("heartbeat.challenges must be from 1 to " +
                          std::to_string(MerkleHeartbeat::kMaxChallenges));
    auto heartbeat = MerkleHeartbeat::create(config.key, config.check_fraction);
    if (!heartbeat.ok()) return heartbeat.error();
    if (!random_bytes) random_bytes = crypto::secure_random_bytes;
    return std::make_unique<MerkleScheme>(ConstructionKey(), std::move(heartbeat).value(),
                                          config.challenges, clock, std::move(random_bytes));
}

std::string_view MerkleScheme::type_name() const { return "Merkle"; }

std::string MerkleScheme::public_heartbeat_json() const {
    return heartbeat_to_json("", heartbeat_.check_fraction());
}

EncodedFile MerkleScheme::encode(std::string_view file) const {
    MerkleHeartbeat::EncodeOptions options;
    options.n = challenges_;
    options.seed = random_bytes_(kRootSeedSize);
    options.timestamp = timestamp_at(clock_.now_ms());
    auto encoded = heartbeat_.encode(file, options);
    // create() validated n; nothing else in encode can fail.
    if (!encoded.ok()) throw std::logic_error("Merkle encode failed: " + encoded.error().message);
    return EncodedFile{to_json(encoded->tag), serialize_state(encoded->state)};
}

Result<std::optional<IssuedChallenge>> MerkleScheme::gen_challenge(
    std::string_view state_bytes) const {
    auto state = parse_state(state_bytes);
    if (!state.ok()) return state.error();
    auto issued = heartbeat_.gen_challenge(*state);
    if (!issued.ok()) return issued.error();
    if (!issued->has_value()) return std::optional<IssuedChallenge>();
    const MerkleHeartbeat::Issued& next = **issued;
    return std::optional<IssuedChallenge>(IssuedChallenge{
        to_json(next.challenge), serialize_challenge(next.challenge), serialize_state(next.state)});
}

Result<Verdict> MerkleScheme::verify(const json::Value& proof_json,
                                     std::string_view challenge_bytes,
                                     std::string_view state_bytes) const {
    // As the reference node: the proof is parsed before the state is looked at.
    auto proof = decode_proof(proof_json);
    if (!proof.ok()) return Verdict::Corrupted;
    auto challenge = parse_challenge(challenge_bytes);
    if (!challenge.ok()) return challenge.error();
    auto state = parse_state(state_bytes);
    if (!state.ok()) return state.error();
    auto valid = heartbeat_.verify(*proof, *challenge, *state);
    if (!valid.ok()) return valid.error();
    return *valid ? Verdict::Valid : Verdict::Invalid;
}

std::string MerkleScheme::serialize_state(const MerkleState& state) {
    std::string out;
    out.reserve(25 + 3 * 33);
    out += kFormatVersion;
    put_u64(out, state.index);
    put_u64(out, state.n);
    std::uint64_t bits = 0;
    static_assert(sizeof bits == sizeof state.timestamp);
    std::memcpy(&bits, &state.timestamp, sizeof bits);
    put_u64(out, bits);
    put_bytes(out, state.seed);
    put_bytes(out, state.root);
    put_bytes(out, state.hmac);
    return out;
}

Result<MerkleState> MerkleScheme::parse_state(std::string_view bytes) {
    RecordReader in(bytes);
    if (in.byte() != kFormatVersion) return make_error("stored Merkle state has an unknown format");
    MerkleState state;
    state.index = in.u64();
    state.n = in.u64();
    const std::uint64_t bits = in.u64();
    std::memcpy(&state.timestamp, &bits, sizeof bits);
    state.seed = in.bytes();
    state.root = in.bytes();
    state.hmac = in.bytes();
    if (!in.complete()) return make_error("stored Merkle state is malformed");
    return state;
}

std::string MerkleScheme::serialize_challenge(const MerkleChallenge& challenge) {
    std::string out;
    out.reserve(10 + 32);
    out += kFormatVersion;
    put_u64(out, challenge.index);
    put_bytes(out, challenge.seed);
    return out;
}

Result<MerkleChallenge> MerkleScheme::parse_challenge(std::string_view bytes) {
    RecordReader in(bytes);
    if (in.byte() != kFormatVersion)
        return make_error("stored Merkle challenge has an unknown format");
    MerkleChallenge challenge;
    challenge.index = in.u64();
    challenge.seed = in.bytes();
    if (!in.complete()) return make_error("stored Merkle challenge is malformed");
    return challenge;
}

Result<std::unique_ptr<HeartbeatScheme>> make_merkle_scheme(std::string_view key,
                                                            double check_fraction,
                                                            std::uint64_t challenges) {
    static const SystemClock system_clock;
    MerkleSchemeConfig config;
    config.key = std::string(key);
    config.check_fraction = check_fraction;
    config.challenges = challenges;
    auto scheme = MerkleScheme::create(config, system_clock);
    if (!scheme.ok()) return scheme.error();
    return std::unique_ptr<HeartbeatScheme>(std::move(scheme).value());
}

}  // namespace downstream::proof
