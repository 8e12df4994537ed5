// Where an IP address is: the location the status API shows for a farmer.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace downstream::geo {

// A farmer's location; each part is absent where the database does not know it (the status
// API shows it as null). Names are the English ones, in UTF-8.
struct Location {
    std::optional<std::string> city;
    std::optional<std::string> country;
    std::optional<double> lat;
    std::optional<double> lon;
    std::optional<std::string> state;  // the first (largest) subdivision
    std::optional<std::string> zip;    // the postal code

    // True when nothing at all is known.
    bool unknown() const { return !city && !country && !lat && !lon && !state && !zip; }
};

// Finds the location of an IP address. A seam: the node uses GeoDatabase, tests may use fakes.
class Locator {
public:
    virtual ~Locator() = default;
    // The location of `ip` (IPv4 or IPv6 text); all parts absent when unknown or unparsable.
    // Never throws; implementations must allow concurrent calls.
    virtual Location locate(std::string_view ip) const = 0;
};

// The locator of a node without a usable GeoIP database: every location unknown.
class UnknownLocator final : public Locator {
public:
    Location locate(std::string_view) const override { return {}; }
};

}  // namespace downstream::geo
