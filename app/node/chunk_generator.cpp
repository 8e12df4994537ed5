#include "node/chunk_generator.h"

#include "crypto/secure_random.h"
#include "crypto/sha256.h"
#include "encoding/hex.h"
#include "proof/random_stream.h"

#include <chrono>

namespace downstream::node {
namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

store::PoolChunk ChunkGenerator::generate(std::int64_t size, GenerationTime& time) const {
    // 16 random bytes as 32 hex characters, the form the farmers' clients use.
    return generate_from_seed(encoding::hex_encode(crypto::secure_random_bytes(16)), size, time);
}

store::PoolChunk ChunkGenerator::generate_from_seed(const std::string& seed, std::int64_t size,
                                                    GenerationTime& time) const {
    auto start = std::chrono::steady_clock::now();
    const std::string file = proof::RandomStream(seed, static_cast<std::uint64_t>(size)).generate();
    store::PoolChunk chunk;
    chunk.seed = seed;
    chunk.size = size;
    chunk.file_hash = crypto::sha256(file);
    time.stream_s += seconds_since(start);

    start = std::chrono::steady_clock::now();
    proof::EncodedFile encoded = scheme_.encode(file);
    time.encode_s += seconds_since(start);
    chunk.tag_json = std::move(encoded.tag_json);
    chunk.state = std::move(encoded.state);
    return chunk;
}

}  // namespace downstream::node
