// Which address a request comes from: the farmer's, not a proxy's.
//
// REMOTE_ADDR is the TCP peer of nginx. When that peer is a trusted proxy (config
// `proxy.trusted`, default 127.0.0.1), the X-Forwarded-For chain is read from the right:
// every entry appended by a trusted proxy is skipped and the first untrusted one is the
// client. Entries left of it were written by the client itself and are never believed.
// When nginx's realip module already rewrote REMOTE_ADDR, leave `proxy.trusted` empty.
#pragma once

#include "base/result.h"
#include "http/ip_address.h"

#include <string>
#include <string_view>
#include <vector>

namespace downstream::http {

class TrustedProxies {
public:
    // A list of addresses and CIDR blocks separated by commas and/or spaces, e.g.
    // "127.0.0.1, ::1, 10.0.0.0/8". Empty text trusts nobody. Any bad entry is an error
    // naming it (a typo must not silently trust or distrust a proxy).
    static Result<TrustedProxies> parse(std::string_view list);

    bool contains(const IpAddress& address) const;
    bool empty() const { return networks_.empty(); }

private:
    std::vector<IpNetwork> networks_;
};

// The client's address in canonical text. `remote_addr` is the TCP peer (REMOTE_ADDR);
// `forwarded_for` the X-Forwarded-For value (possibly empty, possibly several headers joined
// by commas). Entries may carry ports ("1.2.3.4:5678", "[2001:db8::1]:80"). A garbage entry
// ends the walk: the nearest address known good (the hop to its right) is returned. If
// `remote_addr` itself does not parse (a non-IP peer such as a unix socket), it is returned
// unchanged.
std::string resolve_client_address(std::string_view remote_addr, std::string_view forwarded_for,
                                   const TrustedProxies& trusted);

}  // namespace downstream::http
