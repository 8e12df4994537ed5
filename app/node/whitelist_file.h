// Reading a whitelist CSV file: a header row naming at least the columns `address` and
// `crowdsale_balance` (others are ignored, order is free), then one row per address. Quoted
// fields (RFC 4180), CRLF line ends and a UTF-8 byte-order mark are accepted; blank lines are
// skipped. Every problem is reported with its line number, so the operator can fix the file
// in one go; a file with any problem is applied not at all.
#pragma once

#include "store/address_repository.h"

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace downstream::node {

struct WhitelistFile {
    std::vector<store::WhitelistEntry> entries;
    std::vector<std::string> errors;  // "line 7: '1Abc' is not a valid address", ...
};

using AddressCheck = std::function<bool(std::string_view)>;

WhitelistFile parse_whitelist_csv(std::string_view text, const AddressCheck& is_valid_address);

}  // namespace downstream::node
