// IPv4 and IPv6 addresses and networks (CIDR), parsed strictly from text.
#pragma once

#include "base/result.h"

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace downstream::http {

// An IPv4 or IPv6 address. IPv4 is kept in its IPv4-mapped IPv6 form (::ffff:a.b.c.d), so
// "1.2.3.4" and "::ffff:1.2.3.4" are the same address.
class IpAddress {
public:
    // Parses "1.2.3.4", "2001:db8::1", "::ffff:1.2.3.4"; also "[2001:db8::1]" in brackets.
    // No ports, no zone ids, no leading zeros tricks beyond what inet_pton accepts.
    static Result<IpAddress> parse(std::string_view text);

    bool is_v4() const;
    // Canonical text: dotted quad for IPv4 (mapped or not), RFC 5952 for IPv6.
    std::string to_string() const;
    const std::array<std::uint8_t, 16>& bytes() const { return bytes_; }

    bool operator==(const IpAddress& other) const { return bytes_ == other.bytes_; }

private:
    std::array<std::uint8_t, 16> bytes_{};
};

// An address block "10.0.0.0/8", "2001:db8::/32", or one address ("127.0.0.1" = /32).
class IpNetwork {
public:
    static Result<IpNetwork> parse(std::string_view text);
    bool contains(const IpAddress& address) const;
    std::string to_string() const;

private:
    IpAddress base_;
    int prefix_bits_ = 128;  // over the 128-bit (mapped) form
};

}  // namespace downstream::http
