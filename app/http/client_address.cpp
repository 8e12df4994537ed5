#include "http/client_address.h"

namespace downstream::http {

namespace {

std::string_view trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    return text;
}

// One X-Forwarded-For entry, with an optional port removed.
Result<IpAddress> parse_entry(std::string_view entry) {
    entry = trim(entry);
    if (!entry.empty() && entry.front() == '[') {
        const std::size_t close = entry.find(']');
        if (close == std::string_view::npos) return make_error("bad entry");
        return IpAddress::parse(entry.substr(0, close + 1));
    }
    // Exactly one colon: IPv4 with a port. More than one: a bare IPv6 address.
    const std::size_t colon = entry.find(':');
    if (colon != std::string_view::npos && entry.find(':', colon + 1) == std::string_view::npos) {
        entry = entry.substr(0, colon);
    }
    return IpAddress::parse(entry);
}

}  // namespace

Result<TrustedProxies> TrustedProxies::parse(std::string_view list) {
    TrustedProxies proxies;
    std::size_t i = 0;
    while (i < list.size()) {
        while (i < list.size() && (list[i] == ',' || list[i] == ' ' || list[i] == '\t')) ++i;
        std::size_t j = i;
        while (j < list.size() && list[j] != ',' && list[j] != ' ' && list[j] != '\t') ++j;
        if (j > i) {
            auto network = IpNetwork::parse(list.substr(i, j - i));
            if (!network.ok()) return make_error("proxy.trusted: " + network.error().message);
            proxies.networks_.push_back(*network);
        }
        i = j;
    }
    return proxies;
}

bool TrustedProxies::contains(const IpAddress& address) const {
    for (const auto& network : networks_) {
        if (network.contains(address)) return true;
    }
    return false;
}

std::string resolve_client_address(std::string_view remote_addr, std::string_view forwarded_for,
                                   const TrustedProxies& trusted) {
    auto peer = IpAddress::parse(trim(remote_addr));
    if (!peer.ok()) return std::string(remote_addr);
    IpAddress nearest = *peer;
    if (!trusted.contains(nearest)) return nearest.to_string();
    // Walk right to left; `nearest` is always an address a trusted hop vouched for.
    std::size_t end = forwarded_for.size();
    while (true) {
        const std::size_t comma = forwarded_for.rfind(',', end == 0 ? 0 : end - 1);
        const std::size_t start = comma == std::string_view::npos || end == 0 ? 0 : comma + 1;
        const std::string_view entry = trim(forwarded_for.substr(start, end - start));
        if (!entry.empty()) {
            auto hop = parse_entry(entry);
            if (!hop.ok()) return nearest.to_string();
            nearest = *hop;
            if (!trusted.contains(nearest)) return nearest.to_string();
        }
        if (start == 0) break;
        end = start - 1;
    }
    // Every hop trusted: the left-most one is the origin.
    return nearest.to_string();
}

}  // namespace downstream::http
