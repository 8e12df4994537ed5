#include "proof/random_stream.h"

#include "crypto/sha256.h"

#include <algorithm>
#include <array>
#include <stdexcept>

namespace downstream::proof {
namespace {

// 16-byte big-endian counter for the block holding byte `offset`: block + 1.
std::string counter_block(std::uint64_t offset) {
    std::string iv(16, '\0');
    std::uint64_t counter = offset / 16 + 1;  // never wraps: offset / 16 < 2^60
    for (int i = 15; i >= 8; --i) {
        iv[static_cast<std::size_t>(i)] = static_cast<char>(counter & 0xff);
        counter >>= 8;
    }
    return iv;
}

crypto::AesEncryptor make_cipher(std::string_view seed) {
    auto aes = crypto::AesEncryptor::create(crypto::AesMode::Ctr, crypto::sha256(seed),
                                            counter_block(0));
    // A 32-byte key and a 16-byte IV are always valid; failure means OpenSSL is broken.
    if (!aes.ok()) throw std::runtime_error(aes.error().message);
    return std::move(aes).value();
}

}  // namespace

RandomStream::RandomStream(std::string_view seed, std::uint64_t size)
    : aes_(make_cipher(seed)), size_(size) {}

std::string RandomStream::read(std::size_t length) {
    std::string out(static_cast<std::size_t>(
                        std::min<std::uint64_t>(length, position_ < size_ ? size_ - position_ : 0)),
                    '\0');
    read(out.data(), out.size());
    return out;
}

std::size_t RandomStream::read(char* out, std::size_t length) {
    const std::size_t n = fill(position_, out, length);
    position_ += n;
    return n;
}

std::size_t RandomStream::fill(std::uint64_t offset, char* out, std::size_t length) {
    if (offset >= size_) return 0;
    const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(length, size_ - offset));
    if (n == 0) return 0;
    // restart() cannot fail for a 16-byte IV.
    (void)aes_.restart(counter_block(offset));
    // Enter the first block part-way: the stream cipher keeps its place within a block.
    const auto skip = static_cast<std::size_t>(offset % 16);
    if (skip != 0) {
        std::array<char, 16> discard{};
        aes_.update(std::string_view(discard.data(), skip), discard.data());
    }
    // The keystream is the encryption of zeros: encrypt one cached block of zeros again and
    // again straight into `out`, which is then written once and never read.
    static const std::array<char, 64 * 1024> kZeros{};
    for (std::size_t done = 0; done < n;) {
        const std::size_t step = std::min(kZeros.size(), n - done);
        aes_.update(std::string_view(kZeros.data(), step), out + done);
        done += step;
    }
    return n;
}

std::string RandomStream::generate() {
    std::string out(static_cast<std::size_t>(size_), '\0');
    fill(0, out.data(), out.size());
    return out;
}

}  // namespace downstream::proof
