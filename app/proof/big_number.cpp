#include "proof/big_number.h"

#include <climits>
#include <new>
#include <stdexcept>

namespace downstream::proof {
namespace {

void check(int ok) {
    // BN functions fail only when an allocation fails (or on a zero modulus, which callers
    // exclude), so a failure is treated as out of memory.
    if (ok != 1) throw std::bad_alloc();
}

const unsigned char* bytes_of(std::string_view s) {
    return reinterpret_cast<const unsigned char*>(s.data());
}

}  // namespace

BigNumberContext::BigNumberContext() : ctx_(BN_CTX_new()) {
    if (!ctx_) throw std::bad_alloc();
}

BigNumber::BigNumber() : bn_(BN_new()) {
    if (!bn_) throw std::bad_alloc();
}

BigNumber BigNumber::from_bytes(std::string_view bytes) {
    BigNumber n;
    n.assign_bytes(bytes);
    return n;
}

void BigNumber::assign_bytes(std::string_view bytes) {
    if (bytes.size() > static_cast<std::size_t>(INT_MAX))
        throw std::length_error("BigNumber: too many bytes");
    if (!BN_bin2bn(bytes_of(bytes), static_cast<int>(bytes.size()), bn_.get()))
        throw std::bad_alloc();
}

BigNumber BigNumber::from_word(std::uint64_t value) {
    BigNumber n;
    check(BN_set_word(n.bn_.get(), value));
    return n;
}

Result<BigNumber> BigNumber::from_decimal(std::string_view text) {
    if (text.empty()) return make_error("empty decimal number");
    for (char c : text)
        if (c < '0' || c > '9') return make_error("not a decimal number: " + std::string(text));
    const std::string z(text);
    BIGNUM* raw = nullptr;
    if (BN_dec2bn(&raw, z.c_str()) != static_cast<int>(z.size())) {
        BN_free(raw);
        throw std::bad_alloc();
    }
    return BigNumber(std::unique_ptr<BIGNUM, Free>(raw));
}

BigNumber BigNumber::random_prime(int bits) {
    BigNumber n;
    check(BN_generate_prime_ex(n.bn_.get(), bits, 0, nullptr, nullptr, nullptr));
    return n;
}

BigNumber BigNumber::copy() const {
    std::unique_ptr<BIGNUM, Free> dup(BN_dup(bn_.get()));
    if (!dup) throw std::bad_alloc();
    return BigNumber(std::move(dup));
}

std::string BigNumber::to_bytes() const {
    std::string out(static_cast<std::size_t>(BN_num_bytes(bn_.get())), '\0');
    BN_bn2bin(bn_.get(), reinterpret_cast<unsigned char*>(out.data()));
    return out;
}

std::uint64_t BigNumber::to_word() const {
    std::uint64_t value = 0;
    for (unsigned char b : to_bytes()) value = (value << 8) | b;
    return value;
}

std::string BigNumber::to_decimal() const {
    char* text = BN_bn2dec(bn_.get());
    if (!text) throw std::bad_alloc();
    std::string out(text);
    OPENSSL_free(text);
    return out;
}

int BigNumber::bit_length() const { return BN_num_bits(bn_.get()); }

bool BigNumber::is_zero() const { return BN_is_zero(bn_.get()); }

int BigNumber::compare(const BigNumber& other) const { return BN_cmp(bn_.get(), other.bn_.get()); }

void BigNumber::add(const BigNumber& addend) { check(BN_add(bn_.get(), bn_.get(), addend.bn_.get())); }

void BigNumber::add_product(const BigNumber& a, const BigNumber& b, BigNumberContext& ctx) {
    BN_CTX_start(ctx.get());
    BIGNUM* product = BN_CTX_get(ctx.get());
    const bool ok = product && BN_mul(product, a.bn_.get(), b.bn_.get(), ctx.get()) == 1 &&
                    BN_add(bn_.get(), bn_.get(), product) == 1;
    BN_CTX_end(ctx.get());
    if (!ok) throw std::bad_alloc();
}

void BigNumber::reduce(const BigNumber& modulus, BigNumberContext& ctx) {
    if (modulus.is_zero()) throw std::invalid_argument("BigNumber::reduce: zero modulus");
    check(BN_nnmod(bn_.get(), bn_.get(), modulus.bn_.get(), ctx.get()));
}

}  // namespace downstream::proof
