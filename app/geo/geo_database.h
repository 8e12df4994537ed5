// A MaxMind city database (GeoLite2-City or GeoIP2-City .mmdb), opened once per process.
#pragma once

#include "base/result.h"
#include "geo/locator.h"

#include <memory>
#include <string>
#include <string_view>

namespace downstream::geo {

// An open .mmdb file, memory-mapped (MMDB_MODE_MMAP). Lookups only read the mapping, so any
// number of threads may call locate() at once. Movable, not copyable; closes the file when
// destroyed.
class GeoDatabase final : public Locator {
public:
    // Opens the file at `path`. A missing, unreadable or corrupt file is an Error whose message
    // names the path and the reason (the node logs it once and serves unknown locations).
    static Result<GeoDatabase> open(const std::string& path);

    GeoDatabase(GeoDatabase&&) noexcept;
    GeoDatabase& operator=(GeoDatabase&&) noexcept;
    GeoDatabase(const GeoDatabase&) = delete;
    GeoDatabase& operator=(const GeoDatabase&) = delete;
    ~GeoDatabase() override;

    // The location of `ip`: an IPv4 address in dotted-quad form or an IPv6 address in any form
    // inet_pton(3) accepts (including "::ffff:a.b.c.d"). An address the database does not
    // contain, and a text that is no such address (a host name, a port, a zone id, garbage),
    // give a Location with every part absent; so does a database record that cannot be read.
    Location locate(std::string_view ip) const override;

private:
    struct Handle;  // the libmaxminddb handle; keeps <maxminddb.h> out of this header
    explicit GeoDatabase(std::unique_ptr<Handle> handle);
    std::unique_ptr<Handle> handle_;
};

}  // namespace downstream::geo
