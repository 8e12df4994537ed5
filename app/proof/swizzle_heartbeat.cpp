#include "proof/swizzle_heartbeat.h"

#include "proof/swizzle_codec.h"
#include "proof/swizzle_limits.h"

namespace downstream::proof {
namespace {

constexpr std::uint8_t kPublicFlag = 0x01;

}  // namespace

Result<SwizzleHeartbeat> SwizzleHeartbeat::create(std::optional<SwizzleKeys> keys,
                                                  std::uint32_t sectors,
                                                  std::uint32_t sector_size, BigNumber p) {
    if (keys && (keys->encryption.size() != kSwizzleKeySize || keys->mac.size() != kSwizzleKeySize))
        return make_error("Incompatible key sizes.");
    if (sectors < 1 || sectors > kSwizzleMaxSectors)
        return make_error("heartbeat sector count " + std::to_string(sectors) +
                          " is outside 1.." + std::to_string(kSwizzleMaxSectors));
    if (sector_size < 1 || sector_size > kSwizzleMaxSectorSize)
        return make_error("heartbeat sector size " + std::to_string(sector_size) +
                          " is outside 1.." + std::to_string(kSwizzleMaxSectorSize));
    if (p.bit_length() < kSwizzleMinModulusBits || p.bit_length() > kSwizzleMaxValueBits)
        return make_error("heartbeat modulus of " + std::to_string(p.bit_length()) +
                          " bits is outside " + std::to_string(kSwizzleMinModulusBits) + ".." +
                          std::to_string(kSwizzleMaxValueBits));
    return SwizzleHeartbeat(std::move(keys), sectors, sector_size, std::move(p));
}

Result<SwizzleHeartbeat> SwizzleHeartbeat::parse(std::string_view bytes) {
    SwizzleReader in(bytes);
    auto flags = in.u8("Unable to retrieve heartbeat flags.");
    if (!flags) return flags.error();
    std::optional<SwizzleKeys> keys;
    if ((*flags & kPublicFlag) == 0) {
        SwizzleKeys read;
        for (std::string* key : {&read.encryption, &read.mac}) {
            auto size = in.u32("Unable to retrieve key size.");
            if (!size) return size.error();
            if (*size != kSwizzleKeySize) return make_error("Incompatible key sizes.");
            auto body = in.bytes(*size, "Key corrupted.");
            if (!body) return body.error();
            *key = std::string(*body);
        }
        keys = std::move(read);
    }
    auto sectors = in.u32("Unable to read sector count.");
    if (!sectors) return sectors.error();
    auto sector_size = in.u32("Unable to read sector size.");
    if (!sector_size) return sector_size.error();
    auto p = in.integer("Unable to read p size.");
    if (!p) return p.error();
    return create(std::move(keys), *sectors, *sector_size, std::move(p).value());
}

SwizzleHeartbeat SwizzleHeartbeat::generate(RandomSource& random, std::uint32_t sectors) {
    SwizzleKeys keys;
    keys.encryption = random.bytes(kSwizzleKeySize);
    keys.mac = random.bytes(kSwizzleKeySize);
    BigNumber p = BigNumber::random_prime(kSwizzleGeneratedModulusBits);
    const auto sector_size = static_cast<std::uint32_t>(p.bit_length() / 8);
    // Only an out-of-range `sectors` can fail; that is the caller's bug.
    return create(std::move(keys), sectors, sector_size, std::move(p)).value();
}

std::string SwizzleHeartbeat::serialize() const {
    SwizzleWriter out;
    out.put_u8(keys_ ? 0 : kPublicFlag);
    if (keys_) {
        out.put_sized_bytes(keys_->encryption);
        out.put_sized_bytes(keys_->mac);
    }
    out.put_u32(sectors_);
    out.put_u32(sector_size_);
    out.put_int(p_);
    return out.take();
}

SwizzleHeartbeat SwizzleHeartbeat::public_heartbeat() const {
    return SwizzleHeartbeat(std::nullopt, sectors_, sector_size_, p_.copy());
}

}  // namespace downstream::proof
