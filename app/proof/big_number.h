// Arbitrary-precision non-negative integers: an RAII wrapper over OpenSSL's BIGNUM.
//
// All arithmetic is OpenSSL's; this file only owns the memory and converts to and from the
// node's byte strings (big-endian, as the Swizzle wire format writes integers).
#pragma once

#include "base/result.h"

#include <openssl/bn.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace downstream::proof {

// Scratch space for multiplication and reduction (OpenSSL's BN_CTX). Not thread-safe: one per
// thread or per call. Movable, not copyable.
class BigNumberContext {
public:
    BigNumberContext();
    BigNumberContext(BigNumberContext&&) noexcept = default;
    BigNumberContext& operator=(BigNumberContext&&) noexcept = default;

    BN_CTX* get() const { return ctx_.get(); }

private:
    struct Free { void operator()(BN_CTX* ctx) const { BN_CTX_free(ctx); } };
    std::unique_ptr<BN_CTX, Free> ctx_;
};

// A non-negative integer of any size. Movable, not copyable (copy() makes an explicit deep
// copy). Every operation keeps the value non-negative. Allocation failures throw
// std::bad_alloc.
class BigNumber {
public:
    // Zero.
    BigNumber();
    BigNumber(BigNumber&&) noexcept = default;
    BigNumber& operator=(BigNumber&&) noexcept = default;

    // The unsigned big-endian value of `bytes` (leading zeros allowed; empty is zero).
    static BigNumber from_bytes(std::string_view bytes);
    static BigNumber from_word(std::uint64_t value);
    // A decimal text of digits only; anything else is an error.
    static Result<BigNumber> from_decimal(std::string_view text);
    // A random prime of exactly `bits` bits (top bit set), from OpenSSL's CSPRNG.
    static BigNumber random_prime(int bits);

    BigNumber copy() const;
    // Sets the value to the unsigned big-endian `bytes`, reusing this object's memory.
    void assign_bytes(std::string_view bytes);

    // The minimal big-endian bytes: bytelen(value) bytes, so zero gives the empty string.
    std::string to_bytes() const;
    // The value as a word; only meaningful when bit_length() <= 64.
    std::uint64_t to_word() const;
    std::string to_decimal() const;

    // bitlen(x): the number of significant bits, 0 for zero.
    int bit_length() const;
    bool is_zero() const;
    // -1, 0 or 1 as this is less than, equal to or greater than `other`.
    int compare(const BigNumber& other) const;
    bool operator==(const BigNumber& other) const { return compare(other) == 0; }
    bool operator!=(const BigNumber& other) const { return compare(other) != 0; }
    bool operator<(const BigNumber& other) const { return compare(other) < 0; }

    // this += addend.
    void add(const BigNumber& addend);
    // this += a · b (exact).
    void add_product(const BigNumber& a, const BigNumber& b, BigNumberContext& ctx);
    // this = this mod modulus, in [0, modulus). The modulus must not be zero.
    void reduce(const BigNumber& modulus, BigNumberContext& ctx);

    const BIGNUM* get() const { return bn_.get(); }

private:
    struct Free { void operator()(BIGNUM* bn) const { BN_free(bn); } };
    explicit BigNumber(std::unique_ptr<BIGNUM, Free> bn) : bn_(std::move(bn)) {}
    std::unique_ptr<BIGNUM, Free> bn_;
};

}  // namespace downstream::proof
