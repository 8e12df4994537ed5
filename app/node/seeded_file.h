// The bytes of a chunk as the farmer regenerates them from its seed: the seeded random
// stream (AES-256-CTR keystream, key = SHA-256 of the seed text, 128-bit big-endian counter
// starting at 1 for byte offset 0).
//
// TODO(integrator): app/proof/random_stream.h (branch `proof`) implements this stream for
// the heartbeat schemes; once merged, make this a thin call to it (or delete this file and
// call it from chunk_generator.cpp). The unit test checks this implementation against
// test/vectors/randomio.json, the farmers' reference output, so either is correct.
#pragma once

#include <string>
#include <string_view>

namespace downstream::node {

// The first `size` bytes of the seeded random stream of `seed`.
std::string seeded_file_bytes(std::string_view seed, std::size_t size);

}  // namespace downstream::node
