// Bounds on every Swizzle object the node parses, checked before any big-integer arithmetic.
//
// The reference extension bounds only an Int's byte length (1024) and the state's size (2048);
// the rest are this node's, chosen so that no hostile heartbeat, tag, challenge or proof can
// make parsing, proving or verifying expensive or degenerate (docs/DECISIONS.md). Every object
// the reference itself produces is well inside them.
#pragma once

#include <cstddef>
#include <cstdint>

namespace downstream::proof {

// The reference's limit on an Int's length field ("Maximum integer size exceeded").
inline constexpr std::uint32_t kSwizzleMaxIntBytes = 1024;

// The reference's limit on a state's raw length ("Reported size of encrypted state is too
// large.").
inline constexpr std::uint32_t kSwizzleMaxStateRawBytes = 2048;

// Largest bit length of any integer value the node accepts: p, B, tag sigmas, proof values.
// A 1024-bit modulus plus one byte of slack; leading zero bytes do not count.
inline constexpr int kSwizzleMaxValueBits = 1024 + 8;

// Smallest modulus p accepted in a heartbeat: below this the tags could simply be guessed.
inline constexpr int kSwizzleMinModulusBits = 512;

// Sectors per chunk (s) accepted in a heartbeat, and so the number of mu values in a proof.
// The reference uses 10; s = 0 makes its encoder loop forever.
inline constexpr std::uint32_t kSwizzleMaxSectors = 1024;

// Sector size S in bytes: at least 1 (0 makes the reference loop forever), at most the byte
// length of the largest accepted value, so sector values stay within kSwizzleMaxValueBits.
inline constexpr std::uint32_t kSwizzleMaxSectorSize = kSwizzleMaxValueBits / 8;

// Key lengths AES accepts; PRF keys and challenge keys must have one of them.
inline constexpr bool is_swizzle_key_size(std::size_t size) {
    return size == 16 || size == 24 || size == 32;
}

// The node's own keys (k_enc, k_mac), the per-file PRF keys and challenge keys it draws.
inline constexpr std::size_t kSwizzleKeySize = 32;

}  // namespace downstream::proof
