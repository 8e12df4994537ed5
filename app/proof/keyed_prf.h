// The Merkle heartbeat's keyed pseudo-random function, which picks the chunk a challenge
// checks. Byte-compatible with the heartbeat library's KeyedPRF, quirks included.
//
// eval(x): one AES-CFB cipher (8-bit segments, all-zero IV, key = the PRF key) is created
// per evaluation. The input block is SHA-256 of the decimal text of x, truncated or
// zero-padded on the right to ceil(bits(range) / 8) bytes. Each attempt encrypts that same
// block again with the same cipher object, so the CFB stream advances and every attempt's
// ciphertext differs; the ciphertext is read as a big-endian number, masked to bits(range)
// bits and accepted once it is below the range.
#pragma once

#include "base/result.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace downstream::proof {

class KeyedPrf {
public:
    // A PRF with output in [0, range). `range_be` is the range as a big-endian unsigned
    // number of any length (leading zero bytes allowed). Fails for a key that is not 16, 24
    // or 32 bytes long (AES-128/192/256) or a range of zero.
    static Result<KeyedPrf> create(std::string_view key, std::string_view range_be);
    // The same for a range that fits 64 bits.
    static Result<KeyedPrf> create(std::string_view key, std::uint64_t range);

    // Bit length of the range, and the block size in bytes: ceil(range_bits / 8).
    unsigned range_bits() const { return range_bits_; }
    std::size_t block_bytes() const { return range_.size(); }

    // The block every attempt of eval(x) encrypts.
    std::string input_block(std::uint64_t x) const;

    // The output for x, in [0, range), as block_bytes() big-endian bytes.
    std::string eval(std::uint64_t x) const;

    // The output as a number; only for ranges of at most 64 bits (as create(key, uint64)).
    std::uint64_t eval_u64(std::uint64_t x) const;

    // eval(x) with the ciphertext of every attempt in order (the last one is the output
    // before masking): for tests and diagnostics.
    struct Trace {
        std::string output;
        std::vector<std::string> ciphertexts;
    };
    Trace eval_traced(std::uint64_t x) const;

private:
    KeyedPrf(std::string key, std::string range, unsigned range_bits)
        : key_(std::move(key)), range_(std::move(range)), range_bits_(range_bits) {}

    std::string key_;
    std::string range_;  // big-endian, exactly block_bytes() long
    unsigned range_bits_;
};

}  // namespace downstream::proof
