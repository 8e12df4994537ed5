#include "node/interim_address_check.h"

#include "crypto/sha256.h"

#include <string>
#include <vector>

namespace downstream::node {
namespace {

int base58_value(char c) {
    static constexpr std::string_view kAlphabet =
        "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    const auto at = kAlphabet.find(c);
    return at == std::string_view::npos ? -1 : static_cast<int>(at);
}

}  // namespace

bool is_plausible_address(std::string_view address) {
    if (address.empty() || address.size() > 64) return false;
    // Base-58 to base-256, big-endian, most significant byte first.
    std::vector<unsigned char> number;
    for (char c : address) {
        const int digit = base58_value(c);
        if (digit < 0) return false;
        int carry = digit;
        for (auto it = number.rbegin(); it != number.rend(); ++it) {
            carry += 58 * (*it);
            *it = static_cast<unsigned char>(carry & 0xff);
            carry >>= 8;
        }
        while (carry > 0) {
            number.insert(number.begin(), static_cast<unsigned char>(carry & 0xff));
            carry >>= 8;
        }
    }
    std::string bytes;
    for (char c : address) {  // each leading '1' is a leading zero byte
        if (c != '1') break;
        bytes += '\0';
    }
    bytes.append(number.begin(), number.end());
    if (bytes.size() != 21 + 4) return false;
    const std::string payload = bytes.substr(0, 21);
    return crypto::double_sha256(payload).substr(0, 4) == bytes.substr(21);
}

}  // namespace downstream::node
