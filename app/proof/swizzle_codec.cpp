#include "proof/swizzle_codec.h"

#include "proof/swizzle_limits.h"

namespace downstream::proof {

void SwizzleWriter::put_u32(std::uint32_t value) {
    for (int shift = 0; shift < 32; shift += 8) out_ += static_cast<char>((value >> shift) & 0xff);
}

void SwizzleWriter::put_sized_bytes(std::string_view bytes) {
    put_u32(static_cast<std::uint32_t>(bytes.size()));
    put_bytes(bytes);
}

void SwizzleWriter::put_int(const BigNumber& value) {
    const std::string bytes = value.is_zero() ? std::string(1, '\0') : value.to_bytes();
    put_sized_bytes(bytes);
}

Result<std::uint8_t> SwizzleReader::u8(const char* missing) {
    if (remaining() < 1) return make_error(missing);
    return static_cast<std::uint8_t>(data_[position_++]);
}

Result<std::uint32_t> SwizzleReader::u32(const char* missing) {
    if (remaining() < 4) return make_error(missing);
    std::uint32_t value = 0;
    for (int i = 3; i >= 0; --i)
        value = (value << 8) | static_cast<unsigned char>(data_[position_ + static_cast<std::size_t>(i)]);
    position_ += 4;
    return value;
}

Result<std::string_view> SwizzleReader::bytes(std::size_t count, const char* missing) {
    if (remaining() < count) return make_error(missing);
    const std::string_view out = data_.substr(position_, count);
    position_ += count;
    return out;
}

Result<BigNumber> SwizzleReader::integer(const char* missing_length) {
    const std::size_t start = position_;
    auto length = u32(missing_length);
    if (!length) return length.error();
    if (*length > kSwizzleMaxIntBytes) {
        position_ = start;
        return make_error("Maximum integer size exceeded");
    }
    auto body = bytes(*length, "Integer not retrievable.");
    if (!body) {
        position_ = start;
        return body.error();
    }
    return BigNumber::from_bytes(*body);
}

}  // namespace downstream::proof
