#include "proof/merkle_heartbeat.h"

#include "crypto/hmac_sha256.h"
#include "crypto/sha256.h"
#include "proof/keyed_prf.h"
#include "proof/python_float.h"
#include "proof/random_stream.h"

#include <cmath>
#include <limits>
#include <vector>

namespace downstream::proof {
namespace {

// filesz - chunksz + 1 as a big-endian number: it reaches 2^64 for an empty chunk of a file
// of 2^64 - 1 bytes, so it gets a ninth byte.
std::string prf_range(std::uint64_t filesz, std::uint64_t effective_chunksz) {
    std::uint64_t low = filesz - effective_chunksz + 1;
    std::string be(9, '\0');
    be[0] = low == 0 ? '\1' : '\0';  // wrapped: the range is exactly 2^64
    for (int i = 8; i >= 1; --i) {
        be[static_cast<std::size_t>(i)] = static_cast<char>(low & 0xff);
        low >>= 8;
    }
    return be;
}

std::string hmac_of_chunk(std::string_view file, std::string_view seed, std::uint64_t offset,
                          std::uint64_t length) {
    return crypto::hmac_sha256(seed, file.substr(static_cast<std::size_t>(offset),
                                                 static_cast<std::size_t>(length)));
}

std::string hmac_of_chunk(RandomStream& file, std::string_view seed, std::uint64_t offset,
                          std::uint64_t length) {
    std::string chunk(static_cast<std::size_t>(length), '\0');
    file.fill(offset, chunk.data(), chunk.size());
    return crypto::hmac_sha256(seed, chunk);
}

template <class File>
Result<std::string> chunk_hash_of(File& file, std::uint64_t filesz, std::string_view seed,
                                  std::uint64_t chunksz) {
    const std::uint64_t effective = effective_chunk_size(chunksz, filesz);
    auto offset = chunk_offset(seed, filesz, effective);
    if (!offset.ok()) return offset.error();
    return hmac_of_chunk(file, seed, *offset, effective);
}

template <class File>
Result<MerkleProof> prove_file(File& file, std::uint64_t filesz,
                               const MerkleChallenge& challenge, const MerkleTag& tag) {
    auto blob = chunk_hash_of(file, filesz, challenge.seed, tag.chunksz);
    if (!blob.ok()) return blob.error();
    auto branch = tag.tree.branch(challenge.index);
    if (!branch.ok()) return branch.error();
    MerkleProof proof;
    proof.leaf_index = challenge.index;
    proof.leaf_blob = std::move(blob).value();
    proof.branch = std::move(branch).value();
    return proof;
}

}  // namespace

std::string next_seed(std::string_view key, std::string_view seed) {
    return crypto::hmac_sha256(key, seed);
}

std::uint64_t chunk_size_from_fraction(std::optional<double> check_fraction,
                                       std::uint64_t filesz) {
    if (!check_fraction) return kDefaultChunkSize;
    // int(check_fraction * filesz): the product in double precision, truncated.
    const double product = *check_fraction * static_cast<double>(filesz);
    if (!(product > 0)) return 0;  // also NaN, which create() never lets through
    if (product >= 18446744073709551616.0) return std::numeric_limits<std::uint64_t>::max();
    return static_cast<std::uint64_t>(product);
}

std::uint64_t effective_chunk_size(std::uint64_t chunksz, std::uint64_t filesz) {
    return chunksz < filesz ? chunksz : filesz;
}

Result<std::uint64_t> chunk_offset(std::string_view seed, std::uint64_t filesz,
                                   std::uint64_t effective_chunksz) {
    if (effective_chunksz > filesz)
        return make_error("a chunk of " + std::to_string(effective_chunksz) +
                          " bytes does not fit a file of " + std::to_string(filesz));
    auto prf = KeyedPrf::create(seed, prf_range(filesz, effective_chunksz));
    if (!prf.ok()) return prf.error();
    // The offset is at most filesz - chunksz, so it fits 64 bits.
    std::uint64_t offset = 0;
    for (char byte : prf->eval(0)) offset = (offset << 8) | static_cast<unsigned char>(byte);
    return offset;
}

Result<std::string> chunk_hash(std::string_view file, std::string_view seed,
                               std::uint64_t chunksz) {
    return chunk_hash_of(file, file.size(), seed, chunksz);
}

Result<std::string> chunk_hash(RandomStream& file, std::string_view seed,
                               std::uint64_t chunksz) {
    return chunk_hash_of(file, file.size(), seed, chunksz);
}

std::string state_hmac_input(const MerkleState& state) {
    std::string input;
    input.reserve(20 + state.seed.size() + 20 + state.root.size() + 32);
    input += std::to_string(state.index);
    input += state.seed;
    input += std::to_string(state.n);
    input += state.root;
    input += python_float_repr(state.timestamp);
    return input;
}

Result<MerkleHeartbeat> MerkleHeartbeat::create(std::string_view key,
                                                std::optional<double> check_fraction) {
    if (check_fraction &&
        !(std::isfinite(*check_fraction) && *check_fraction >= 0 && *check_fraction <= 1))
        return make_error("the check fraction must be a number from 0 to 1");
    return MerkleHeartbeat(std::string(key), check_fraction);
}

std::string MerkleHeartbeat::next_seed(std::string_view seed) const { return mac_.mac(seed); }

std::string MerkleHeartbeat::state_hmac(const MerkleState& state) const {
    return mac_.mac(state_hmac_input(state));
}

bool MerkleHeartbeat::is_authentic(const MerkleState& state) const {
    return crypto::constant_time_equal(state_hmac(state), state.hmac);
}

template <class File>
Result<MerkleHeartbeat::Encoded> MerkleHeartbeat::encode_file(
    File& file, std::uint64_t filesz, const EncodeOptions& options) const {
    if (options.n < 1 || options.n > kMaxChallenges)
        return make_error("a file is encoded with 1 to " + std::to_string(kMaxChallenges) +
                          " challenges, not " + std::to_string(options.n));
    const std::uint64_t chunksz =
        options.chunksz ? *options.chunksz : chunk_size_from_fraction(check_fraction_, filesz);
    const auto n = static_cast<std::size_t>(options.n);
    std::vector<std::string> blobs;
    blobs.reserve(n);
    std::string seed = options.seed;
    for (std::size_t i = 0; i < n; ++i) {
        seed = next_seed(seed);
        auto blob = chunk_hash_of(file, filesz, seed, chunksz);
        // Leaf seeds are HMAC outputs (32 bytes), always valid PRF keys.
        if (!blob.ok()) return blob.error();
        blobs.push_back(std::move(blob).value());
    }
    auto tree = MerkleTree::build(blobs);
    if (!tree.ok()) return tree.error();

    Encoded encoded;
    encoded.state.index = 0;
    encoded.state.seed = options.seed;
    encoded.state.n = options.n;
    encoded.state.root = tree->root();
    encoded.state.timestamp = options.timestamp;
    encoded.state.hmac = state_hmac(encoded.state);
    encoded.tag.tree = std::move(tree).value();
    encoded.tag.chunksz = chunksz;
    encoded.tag.filesz = filesz;
    return encoded;
}

Result<MerkleHeartbeat::Encoded> MerkleHeartbeat::encode(std::string_view file,
                                                         const EncodeOptions& options) const {
    return encode_file(file, file.size(), options);
}

Result<MerkleHeartbeat::Encoded> MerkleHeartbeat::encode(RandomStream& file,
                                                         const EncodeOptions& options) const {
    return encode_file(file, file.size(), options);
}

Result<std::optional<MerkleHeartbeat::Issued>> MerkleHeartbeat::gen_challenge(
    const MerkleState& state) const {
    if (!is_authentic(state)) return make_error(std::string(kStateSignatureInvalid));
    if (state.index >= state.n) return std::optional<Issued>();
    Issued issued;
    issued.state = state;
    issued.state.seed = next_seed(state.seed);
    issued.challenge.seed = issued.state.seed;
    issued.challenge.index = state.index;
    issued.state.index = state.index + 1;
    issued.state.hmac = state_hmac(issued.state);
    return std::optional<Issued>(std::move(issued));
}

Result<bool> MerkleHeartbeat::verify(const MerkleProof& proof, const MerkleChallenge& challenge,
                                     const MerkleState& state) const {
    if (!is_authentic(state)) return make_error(std::string(kStateSignatureInvalid));
    if (!proof.verifiable || proof.leaf_index != challenge.index) return false;
    // The leaf hashes with the index's text: the decimal integer, or Python's text of the
    // float or boolean the JSON held (see MerkleProof).
    const std::string index_text = proof.leaf_index_text.empty()
                                       ? std::to_string(proof.leaf_index)
                                       : proof.leaf_index_text;
    const crypto::Sha256Digest leaf = crypto::sha256_digest({proof.leaf_blob, index_text});
    return verify_branch(std::string_view(leaf.data(), leaf.size()), proof.branch, state.root);
}

Result<MerkleProof> MerkleHeartbeat::prove(std::string_view file,
                                           const MerkleChallenge& challenge,
                                           const MerkleTag& tag) {
    return prove_file(file, file.size(), challenge, tag);
}

Result<MerkleProof> MerkleHeartbeat::prove(RandomStream& file, const MerkleChallenge& challenge,
                                           const MerkleTag& tag) {
    return prove_file(file, file.size(), challenge, tag);
}

}  // namespace downstream::proof
