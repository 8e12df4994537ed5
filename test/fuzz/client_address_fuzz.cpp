// Fuzzes the client-address rules (http/client_address.h, http/ip_address.h): the
// proxy.trusted list, REMOTE_ADDR and X-Forwarded-For.
//
// Input: the trusted list '\n' REMOTE_ADDR '\n' X-Forwarded-For (the rest).
// Invariants: parsing returns errors, never throws; an address that parses is canonical after
// one round (text -> address -> text -> the same address) and contains no NUL; a network
// contains its own base; the resolved client is the peer unchanged when the peer is no IP,
// otherwise a canonical address chosen exactly as a plain right-to-left walk over the
// comma-separated entries chooses it.
#include "fuzz/fuzz_check.h"
#include "http/client_address.h"
#include "http/ip_address.h"

#include <string>
#include <vector>

using namespace downstream;
using namespace downstream::http;

namespace {

std::string_view trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    return text;
}

void check_address(std::string_view text) {
    const auto address = IpAddress::parse(text);
    if (!address.ok()) return;
    FUZZ_CHECK_MSG(text.find('\0') == std::string_view::npos, fuzz::shown(text));
    const std::string canonical = address->to_string();
    const auto again = IpAddress::parse(canonical);
    FUZZ_CHECK_MSG(again.ok() && *again == *address, canonical);
    FUZZ_CHECK(again->to_string() == canonical);
    FUZZ_CHECK(again->is_v4() == address->is_v4());
}

void check_network(std::string_view text) {
    const auto network = IpNetwork::parse(text);
    if (!network.ok()) return;
    FUZZ_CHECK_MSG(text.find('\0') == std::string_view::npos, fuzz::shown(text));
    const std::string canonical = network->to_string();
    const auto again = IpNetwork::parse(canonical);
    FUZZ_CHECK_MSG(again.ok() && again->to_string() == canonical, canonical);
    const auto base = IpAddress::parse(text.substr(0, text.find('/')));
    FUZZ_CHECK(base.ok() && network->contains(*base));
}

// One X-Forwarded-For entry as the header documents it: an address, "[v6]" with an optional
// port, or v4 with a port.
Result<IpAddress> model_entry(std::string_view entry) {
    if (!entry.empty() && entry.front() == '[') {
        const std::size_t close = entry.find(']');
        if (close == std::string_view::npos) return make_error("bad");
        return IpAddress::parse(entry.substr(0, close + 1));
    }
    const std::size_t colon = entry.find(':');
    if (colon != std::string_view::npos && entry.find(':', colon + 1) == std::string_view::npos)
        entry = entry.substr(0, colon);
    return IpAddress::parse(entry);
}

std::string model_resolve(std::string_view remote, std::string_view forwarded,
                          const TrustedProxies& trusted) {
    const auto peer = IpAddress::parse(trim(remote));
    if (!peer.ok()) return std::string(remote);
    std::vector<std::string_view> entries;
    std::size_t start = 0;
    for (std::size_t i = 0; i <= forwarded.size(); ++i) {
        if (i == forwarded.size() || forwarded[i] == ',') {
            entries.push_back(trim(forwarded.substr(start, i - start)));
            start = i + 1;
        }
    }
    IpAddress nearest = *peer;
    if (!trusted.contains(nearest)) return nearest.to_string();
    for (auto it = entries.rbegin(); it != entries.rend(); ++it) {
        if (it->empty()) continue;
        const auto hop = model_entry(*it);
        if (!hop.ok()) break;
        nearest = *hop;
        if (!trusted.contains(nearest)) break;
    }
    return nearest.to_string();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    fuzz::FuzzInput input(data, size);
    const std::string_view trusted_text = input.field('\n');
    const std::string_view remote = input.field('\n');
    const std::string_view forwarded = input.rest();

    check_address(remote);
    check_address(trim(remote));
    check_network(trusted_text);

    auto trusted = TrustedProxies::parse(trusted_text);
    if (!trusted.ok()) {
        FUZZ_CHECK(!trusted.error().message.empty());
        trusted = TrustedProxies::parse("127.0.0.1, ::1, 10.0.0.0/8, 2001:db8::/32");
        FUZZ_CHECK(trusted.ok());
    }
    const std::string client = resolve_client_address(remote, forwarded, *trusted);
    const auto peer = IpAddress::parse(trim(remote));
    if (!peer.ok()) {
        FUZZ_CHECK(client == remote);
    } else {
        const auto parsed = IpAddress::parse(client);
        FUZZ_CHECK_MSG(parsed.ok() && parsed->to_string() == client, client);
    }
    FUZZ_CHECK_MSG(client == model_resolve(remote, forwarded, *trusted), client);
    return 0;
}
