// The Swizzle binary codec: the field encodings every Swizzle object is built from.
//
// * u32: 4 bytes, little-endian. (The reference swaps to "network order" and then writes with a
//   big-endian writer; the swaps cancel on x86, so the wire is little-endian.)
// * Int: u32 length L, then L bytes of the unsigned value, big-endian. Writers use the minimal
//   length and write zero as the single byte 00; readers accept 0 <= L <= 1024, leading zeros,
//   and L = 0 as zero.
#pragma once

#include "base/result.h"
#include "proof/big_number.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace downstream::proof {

// Builds a serialisation field by field.
class SwizzleWriter {
public:
    void put_u8(std::uint8_t value) { out_ += static_cast<char>(value); }
    void put_u32(std::uint32_t value);
    void put_bytes(std::string_view bytes) { out_.append(bytes); }
    // u32 length, then the bytes (keys, IVs, the state's inner fields).
    void put_sized_bytes(std::string_view bytes);
    // An Int of minimal length; zero is 01 00 00 00 00.
    void put_int(const BigNumber& value);

    std::string take() { return std::move(out_); }

private:
    std::string out_;
};

// Reads fields from the front of a byte string. Every read either succeeds or returns an Error
// carrying the message the caller names (the reference's text where it has one) and leaves
// the reader where it was. Reads never look past the end and allocate at most what the data
// holds.
class SwizzleReader {
public:
    explicit SwizzleReader(std::string_view data) : data_(data) {}

    Result<std::uint8_t> u8(const char* missing);
    Result<std::uint32_t> u32(const char* missing);
    Result<std::string_view> bytes(std::size_t count, const char* missing);
    // An Int. `missing_length` is the error when its length field is absent; an oversize
    // length gives "Maximum integer size exceeded", a short body "Integer not retrievable.".
    Result<BigNumber> integer(const char* missing_length);

    std::size_t remaining() const { return data_.size() - position_; }
    std::size_t position() const { return position_; }

private:
    std::string_view data_;
    std::size_t position_ = 0;
};

}  // namespace downstream::proof
