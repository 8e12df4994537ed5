#include "proof/swizzle_state.h"

#include "crypto/aes_encryptor.h"
#include "crypto/hmac_sha256.h"
#include "proof/swizzle_codec.h"
#include "proof/swizzle_limits.h"

namespace downstream::proof {

Result<SwizzleState> SwizzleState::parse(std::string_view bytes) {
    SwizzleReader in(bytes);
    auto raw_size = in.u32("Unable to get raw size of state.");
    if (!raw_size) return raw_size.error();
    if (*raw_size > kSwizzleMaxStateRawBytes)
        return make_error("Reported size of encrypted state is too large.");
    auto raw = in.bytes(*raw_size, "Raw data incorrect size.");
    if (!raw) return raw.error();
    // n sits right after the signed-data length.
    SwizzleReader fields(*raw);
    auto signed_size = fields.bytes(4, "Unable to get n.");
    if (!signed_size) return signed_size.error();
    auto n = fields.u32("Unable to get n.");
    if (!n) return n.error();
    return SwizzleState(std::string(*raw), *n);
}

SwizzleState SwizzleState::seal(const SwizzleKeys& keys, std::uint32_t n,
                                const SwizzleFileKeys& file_keys, std::string_view iv) {
    SwizzleWriter plain;
    plain.put_sized_bytes(file_keys.f_key);
    plain.put_sized_bytes(file_keys.alpha_key);
    std::string text = plain.take();
    auto aes = crypto::AesEncryptor::create(crypto::AesMode::Cfb128, keys.encryption, iv);
    // The heartbeat guarantees a 32-byte key; the IV length is the caller's contract.
    aes.value().update(text, text.data());

    SwizzleWriter signed_data;
    signed_data.put_u32(n);
    signed_data.put_sized_bytes(iv);
    signed_data.put_sized_bytes(text);
    const std::string signed_bytes = signed_data.take();

    SwizzleWriter raw;
    raw.put_sized_bytes(signed_bytes);
    raw.put_sized_bytes(crypto::hmac_sha256(keys.mac, signed_bytes));
    return SwizzleState(raw.take(), n);
}

std::string SwizzleState::serialize() const {
    SwizzleWriter out;
    out.put_sized_bytes(raw_);
    return out.take();
}

Result<std::optional<SwizzleOpenedState>> SwizzleState::open(const SwizzleKeys* keys) const {
    SwizzleReader in(raw_);
    auto signed_size = in.u32("Incorrect size transferred.");
    if (!signed_size) return signed_size.error();
    auto signed_bytes = in.bytes(*signed_size, "Incorrect size transferred.");
    if (!signed_bytes) return signed_bytes.error();
    auto mac_size = in.u32("Incorrect size transferred.");
    if (!mac_size) return mac_size.error();
    if (*mac_size != crypto::kHmacSha256Size) return std::optional<SwizzleOpenedState>();
    auto mac = in.bytes(*mac_size, "Incorrect size transferred.");
    if (!mac) return mac.error();
    if (!keys || !crypto::constant_time_equal(crypto::hmac_sha256(keys->mac, *signed_bytes), *mac))
        return std::optional<SwizzleOpenedState>();

    // Authenticated from here on: the node wrote these bytes, so a malformed field means a
    // different implementation wrote them, which is an error rather than a failed check.
    SwizzleReader fields(*signed_bytes);
    auto n = fields.u32("state: n missing");
    if (!n) return n.error();
    auto iv_size = fields.u32("state: IV length missing");
    if (!iv_size) return iv_size.error();
    auto iv = fields.bytes(*iv_size, "state: IV truncated");
    if (!iv) return iv.error();
    auto cipher_size = fields.u32("state: ciphertext length missing");
    if (!cipher_size) return cipher_size.error();
    auto ciphertext = fields.bytes(*cipher_size, "state: ciphertext truncated");
    if (!ciphertext) return ciphertext.error();
    auto plain = crypto::aes_cfb128_decrypt(keys->encryption, *iv, *ciphertext);
    if (!plain) return plain.error();

    SwizzleReader secrets(*plain);
    SwizzleOpenedState opened;
    opened.n = *n;
    for (std::string* key : {&opened.keys.f_key, &opened.keys.alpha_key}) {
        auto size = secrets.u32("state: key length missing");
        if (!size) return size.error();
        auto body = secrets.bytes(*size, "state: key truncated");
        if (!body) return body.error();
        if (!is_swizzle_key_size(body->size()))
            return make_error("state: a PRF key of " + std::to_string(body->size()) +
                              " bytes is not an AES key length");
        *key = std::string(*body);
    }
    return std::optional<SwizzleOpenedState>(std::move(opened));
}

}  // namespace downstream::proof
