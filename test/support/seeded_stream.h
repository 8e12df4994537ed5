// The farmers' seeded random stream (RandomIO), as much of it as the Swizzle tests need to
// regenerate their vector files: the AES-256-CTR keystream with key = SHA-256(seed) and a
// 128-bit big-endian counter that is 1 for bytes 0..15.
//
// A test-local stand-in: the node's own proof/random_stream.h lives on another branch. When the
// branches merge, callers switch to it and this file goes.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace downstream::testing {

// The first `size` bytes of the stream for `seed` (its UTF-8 bytes).
std::string seeded_stream_bytes(std::string_view seed, std::size_t size);

}  // namespace downstream::testing
