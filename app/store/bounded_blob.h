// Store-internal: reading a short BLOB column without the connector's 64 KiB buffer.
//
// Poco's MySQL connector allocates and zero-fills a buffer of a result column's declared
// size at every execution of a statement: 64 KiB for a BLOB. A contract's state and
// challenges are a few hundred bytes (a Merkle state about 210 in the test vectors, a Swizzle
// state 192 in base64), so the hot reads select them through SUBSTRING to kBoundedBlobBytes,
// whose declared size is that bound, together with their length: a longer value fails the
// read instead of being cut.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace downstream::store {

// The most bytes a bounded read returns (a sixteenth of the BLOB buffer).
inline constexpr std::int64_t kBoundedBlobBytes = 4096;

// "SUBSTRING(column, 1, 4096)": the column's first kBoundedBlobBytes bytes.
inline std::string bounded_blob(std::string_view column) {
    return "SUBSTRING(" + std::string(column) + ", 1, " + std::to_string(kBoundedBlobBytes) + ")";
}

// Throws std::runtime_error (an internal error, HTTP 500) when a value read through
// bounded_blob() was `length` bytes long, more than it returned.
inline void check_bounded_blob(std::int64_t length, std::string_view what) {
    if (length > kBoundedBlobBytes)
        throw std::runtime_error(std::string(what) + " is " + std::to_string(length) +
                                 " bytes, longer than the " + std::to_string(kBoundedBlobBytes) +
                                 " the store reads");
}

}  // namespace downstream::store
