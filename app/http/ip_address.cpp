#include "http/ip_address.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <cstring>

namespace downstream::http {

namespace {

constexpr std::uint8_t kMappedPrefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

}  // namespace

Result<IpAddress> IpAddress::parse(std::string_view text) {
    if (text.size() >= 2 && text.front() == '[' && text.back() == ']') {
        text = text.substr(1, text.size() - 2);
    }
    // inet_pton reads a C string: a NUL would end the text early and let "1.2.3.4\0junk"
    // through as 1.2.3.4.
    if (text.empty() || text.size() > INET6_ADDRSTRLEN ||
        text.find('\0') != std::string_view::npos) {
        return make_error("not an IP address");
    }
    const std::string owned(text);
    IpAddress address;
    in_addr v4{};
    in6_addr v6{};
    if (inet_pton(AF_INET, owned.c_str(), &v4) == 1) {
        std::memcpy(address.bytes_.data(), kMappedPrefix, 12);
        std::memcpy(address.bytes_.data() + 12, &v4, 4);
        return address;
    }
    if (inet_pton(AF_INET6, owned.c_str(), &v6) == 1) {
        std::memcpy(address.bytes_.data(), &v6, 16);
        return address;
    }
    return make_error("not an IP address");
}

bool IpAddress::is_v4() const { return std::memcmp(bytes_.data(), kMappedPrefix, 12) == 0; }

std::string IpAddress::to_string() const {
    char text[INET6_ADDRSTRLEN] = {};
    if (is_v4()) {
        inet_ntop(AF_INET, bytes_.data() + 12, text, sizeof text);
    } else {
        inet_ntop(AF_INET6, bytes_.data(), text, sizeof text);
    }
    return text;
}

Result<IpNetwork> IpNetwork::parse(std::string_view text) {
    const std::size_t slash = text.find('/');
    auto base = IpAddress::parse(text.substr(0, slash));
    if (!base.ok()) return make_error("not an address or CIDR block: \"" + std::string(text) + "\"");
    IpNetwork network;
    network.base_ = *base;
    const int width = base->is_v4() ? 32 : 128;
    int bits = width;
    if (slash != std::string_view::npos) {
        const std::string_view digits = text.substr(slash + 1);
        if (digits.empty() || digits.size() > 3) {
            return make_error("bad prefix length in \"" + std::string(text) + "\"");
        }
        bits = 0;
        for (char c : digits) {
            if (c < '0' || c > '9') return make_error("bad prefix length in \"" + std::string(text) + "\"");
            bits = bits * 10 + (c - '0');
        }
        if (bits > width) return make_error("prefix longer than the address in \"" + std::string(text) + "\"");
    }
    network.prefix_bits_ = bits + (128 - width);
    return network;
}

bool IpNetwork::contains(const IpAddress& address) const {
    const auto& a = address.bytes();
    const auto& b = base_.bytes();
    int bits = prefix_bits_;
    for (std::size_t i = 0; i < 16 && bits > 0; ++i, bits -= 8) {
        const std::uint8_t mask = bits >= 8 ? 0xff : static_cast<std::uint8_t>(0xff << (8 - bits));
        if ((a[i] & mask) != (b[i] & mask)) return false;
    }
    return true;
}

std::string IpNetwork::to_string() const {
    const int width = base_.is_v4() ? 32 : 128;
    return base_.to_string() + "/" + std::to_string(prefix_bits_ - (128 - width));
}

}  // namespace downstream::http
