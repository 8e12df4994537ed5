// Fuzzes Bitcoin signed-message verification (identity/signed_message.h), the check behind
// signed `POST /new/<address>` requests, with any address, message and signature text.
//
// Input: one byte choosing the mode, then
//   even: address '\n' message '\n' signature (the rest): verify what the farmer sent;
//   odd:  32 bytes of secret, one byte of key form, the message (the rest): sign, then verify.
// Invariants: verification never throws and explains every refusal; text that is not 88
// characters is BadSignatureText; a verified signature names a well-formed address and stops
// verifying when the message changes; whatever the node signs verifies against the
// address of either key form.
#include "fuzz/fuzz_check.h"
#include "identity/bitcoin_address.h"
#include "identity/signed_message.h"

#include <string>

using namespace downstream;
using namespace downstream::identity;

namespace {

void check_preimage(std::string_view message) {
    const std::string preimage = signed_message_preimage(message);
    const std::string_view prefix = "\x18" "Bitcoin Signed Message:\n";
    FUZZ_CHECK(preimage.compare(0, prefix.size(), prefix) == 0);
    FUZZ_CHECK(preimage.size() == prefix.size() + bitcoin_varint(message.size()).size() + message.size());
    FUZZ_CHECK(preimage.compare(preimage.size() - message.size(), message.size(), message) == 0);
}

void check_verify(std::string_view address, std::string_view message, std::string_view signature) {
    const SignatureCheck check = verify_signed_message(address, message, signature);
    FUZZ_CHECK(check.reason.empty() == check.verified());
    FUZZ_CHECK(check.malformed() ==
               (check.status != SignatureStatus::Verified && check.status != SignatureStatus::Mismatch));
    if (signature.size() != kSignatureTextLength)
        FUZZ_CHECK(check.status == SignatureStatus::BadSignatureText);
    if (!check.verified()) return;
    FUZZ_CHECK(p2pkh_hash160(address).ok());
    const std::string other = std::string(message) + "!";
    FUZZ_CHECK(!verify_signed_message(address, other, signature).verified());
}

void check_sign(std::string_view secret, KeyForm form, std::string_view message) {
    const auto signature = sign_message(secret, message, form);
    const auto address = address_for_secret(secret, form);
    FUZZ_CHECK(signature.ok() == address.ok());
    if (!signature.ok()) return;
    FUZZ_CHECK(signature->size() == kSignatureTextLength);
    const KeyForm other_form = form == KeyForm::Compressed ? KeyForm::Uncompressed : KeyForm::Compressed;
    const auto other_address = address_for_secret(secret, other_form);
    FUZZ_CHECK(other_address.ok());
    FUZZ_CHECK_MSG(verify_signed_message(*address, message, *signature).verified(), *signature);
    FUZZ_CHECK(verify_signed_message(*other_address, message, *signature).verified());
    FUZZ_CHECK(!verify_signed_message(*address, std::string(message) + "!", *signature).verified());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    fuzz::FuzzInput input(data, size);
    if (input.byte() % 2 == 0) {
        const std::string_view address = input.field('\n');
        const std::string_view message = input.field('\n');
        const std::string_view signature = input.rest();
        check_preimage(message);
        check_verify(address, message, signature);
    } else {
        const std::string_view secret = input.take(kSecretKeySize);
        const KeyForm form = input.byte() % 2 == 0 ? KeyForm::Compressed : KeyForm::Uncompressed;
        check_sign(secret, form, input.rest());
    }
    return 0;
}
