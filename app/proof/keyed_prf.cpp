#include "proof/keyed_prf.h"

#include "crypto/aes_encryptor.h"
#include "crypto/sha256.h"

#include <stdexcept>

namespace downstream::proof {
namespace {

bool valid_aes_key_size(std::size_t size) { return size == 16 || size == 24 || size == 32; }

unsigned bit_length(unsigned char byte) {
    unsigned bits = 0;
    while (byte != 0) {
        ++bits;
        byte = static_cast<unsigned char>(byte >> 1);
    }
    return bits;
}

}  // namespace

Result<KeyedPrf> KeyedPrf::create(std::string_view key, std::string_view range_be) {
    if (!valid_aes_key_size(key.size()))
        return make_error("keyed PRF: a key of " + std::to_string(key.size()) +
                          " bytes is not an AES key");
    std::size_t first = 0;
    while (first < range_be.size() && range_be[first] == '\0') ++first;
    if (first == range_be.size()) return make_error("keyed PRF: the range must not be zero");
    std::string range(range_be.substr(first));
    const unsigned bits = static_cast<unsigned>(range.size() - 1) * 8 +
                          bit_length(static_cast<unsigned char>(range[0]));
    return KeyedPrf(std::string(key), std::move(range), bits);
}

Result<KeyedPrf> KeyedPrf::create(std::string_view key, std::uint64_t range) {
    std::string be(8, '\0');
    for (int i = 7; i >= 0; --i) {
        be[static_cast<std::size_t>(i)] = static_cast<char>(range & 0xff);
        range >>= 8;
    }
    return create(key, be);
}

std::string KeyedPrf::input_block(std::uint64_t x) const {
    std::string block = crypto::sha256(std::to_string(x));
    block.resize(block_bytes(), '\0');  // truncates, or pads with zeros on the right
    return block;
}

KeyedPrf::Trace KeyedPrf::eval_traced(std::uint64_t x) const {
    auto aes = crypto::AesEncryptor::create(crypto::AesMode::Cfb8, key_, std::string(16, '\0'));
    // create() validated the key; a 16-byte IV is always valid.
    if (!aes.ok()) throw std::logic_error(aes.error().message);
    const std::string block = input_block(x);
    const unsigned spare_bits = static_cast<unsigned>(block_bytes() * 8) - range_bits_;
    const auto top_mask = static_cast<unsigned char>(0xff >> spare_bits);
    Trace trace;
    // Each attempt succeeds with probability above 1/2, so this ends.
    for (;;) {
        std::string candidate = aes->update(block);
        trace.ciphertexts.push_back(candidate);
        candidate[0] = static_cast<char>(static_cast<unsigned char>(candidate[0]) & top_mask);
        // Same length, big-endian: std::string compares bytes as unsigned char, so byte
        // order is numeric order.
        if (candidate < range_) {
            trace.output = std::move(candidate);
            return trace;
        }
    }
}

std::string KeyedPrf::eval(std::uint64_t x) const { return eval_traced(x).output; }

std::uint64_t KeyedPrf::eval_u64(std::uint64_t x) const {
    if (range_bits_ > 64) throw std::logic_error("KeyedPrf::eval_u64 on a range beyond 64 bits");
    std::uint64_t value = 0;
    for (char byte : eval(x)) value = (value << 8) | static_cast<unsigned char>(byte);
    return value;
}

}  // namespace downstream::proof
