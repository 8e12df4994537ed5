// The seeded random stream (RandomIO) from which a farmer regenerates a contract's file.
//
// Byte k of the stream of seed s is byte k of the AES-256-CTR keystream under the key
// SHA-256(s) whose 128-bit big-endian counter is 1 for bytes 0..15 (block b, bytes
// 16b..16b+15, uses counter b + 1). A stream has a size; reads stop there.
#pragma once

#include "crypto/aes_encryptor.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace downstream::proof {

// Not for sharing between threads: reads move one position and reuse one cipher context.
class RandomStream {
public:
    // The stream of `seed` (its bytes are hashed as given: pass UTF-8 text) that is `size`
    // bytes long, positioned at offset 0.
    RandomStream(std::string_view seed, std::uint64_t size);

    std::uint64_t size() const { return size_; }
    // The position of the next read.
    std::uint64_t tell() const { return position_; }

    // Moves to `offset` (from the start); an offset at or past the end makes reads empty.
    void seek(std::uint64_t offset) { position_ = offset; }
    // The reference's seek(offset, whence=2): it *subtracts* the offset, landing at
    // size - offset. An offset larger than the size lands at 0 (the reference does not say).
    void seek_end(std::uint64_t offset) { position_ = offset > size_ ? 0 : size_ - offset; }

    // Reads up to `length` bytes at the position and advances past them; fewer (possibly
    // none) near or past the end.
    std::string read(std::size_t length);
    // The same into `out`; returns how many bytes were written.
    std::size_t read(char* out, std::size_t length);

    // Writes the stream's bytes [offset, offset + length) into `out`, without moving the
    // position, as fast as AES-NI allows (the keystream of large slices of a zeroed buffer).
    // Stops at the end of the stream; returns how many bytes were written.
    std::size_t fill(std::uint64_t offset, char* out, std::size_t length);

    // The whole stream, `size` bytes (what a farmer writes to disk).
    std::string generate();

private:
    crypto::AesEncryptor aes_;
    std::uint64_t size_;
    std::uint64_t position_ = 0;
};

}  // namespace downstream::proof
