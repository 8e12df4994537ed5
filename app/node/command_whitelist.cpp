// whitelist FILE|ADDRESS
#include "base/log.h"
#include "node/command.h"
#include "identity/base58check.h"
#include "node/whitelist_file.h"
#include "store/address_repository.h"

#include <fstream>
#include <sstream>
#include <sys/stat.h>

namespace downstream::node {
namespace {

// Problems printed before "... and N more".
constexpr std::size_t kMaxReportedErrors = 50;

// Exactly the addresses GET/POST /new accepts (base58check, DESIGN.md §2), in the exact form a
// token route looks them up: the reference decoder would also accept trailing white space, but
// a stored address must be the canonical text.
bool is_valid_address(std::string_view address) {
    const auto decoded = identity::base58check_decode(address);
    return decoded.ok() && decoded->canonical == address;
}

bool is_regular_file(const std::string& path) {
    struct stat st {};
    return stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

int replace_from_file(CommandContext& context, const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        log::error("whitelist: cannot read " + path);
        return kExitFailure;
    }
    std::ostringstream text;
    text << in.rdbuf();
    const WhitelistFile file = parse_whitelist_csv(text.str(), is_valid_address);
    if (!file.errors.empty()) {
        for (std::size_t i = 0; i < file.errors.size() && i < kMaxReportedErrors; ++i)
            log::error("whitelist: " + path + ": " + file.errors[i]);
        if (file.errors.size() > kMaxReportedErrors)
            log::error("whitelist: ... and " + std::to_string(file.errors.size() - kMaxReportedErrors) +
                       " more problems");
        log::error("whitelist: " + path + " has " + std::to_string(file.errors.size()) +
                   " problem(s); the whitelist was not changed");
        return kExitFailure;
    }
    if (file.entries.empty()) {
        log::error("whitelist: " + path + " lists no address; refusing to empty the whitelist "
                   "(every token would be deleted)");
        return kExitFailure;
    }
    store::AddressRepository addresses(context.database());
    const store::WhitelistChange change = addresses.replace(file.entries, context.clock().now_ms());
    log::info("whitelist: " + std::to_string(file.entries.size()) + " addresses from " + path +
              ": " + std::to_string(change.added) + " added, " + std::to_string(change.updated) +
              " balances changed, " + std::to_string(change.unchanged) + " unchanged, " +
              std::to_string(change.removed) + " removed (with " +
              std::to_string(change.tokens_removed) + " tokens and " +
              std::to_string(change.contracts_removed) + " contracts)");
    return kExitOk;
}

}  // namespace

int run_whitelist(CommandContext& context) {
    if (Status s = context.require_schema(); !s) {
        log::error("whitelist: " + s.error().message);
        return kExitFailure;
    }
    if (auto key = context.load_checked_key(); !key) {
        log::error("whitelist: " + key.error().message);
        return kExitFailure;
    }
    const std::string& target = context.args().at(0);
    if (is_regular_file(target)) return replace_from_file(context, target);
    if (!is_valid_address(target)) {
        log::error("whitelist: '" + target + "' is neither a readable file nor a valid address");
        return kExitFailure;
    }
    store::AddressRepository addresses(context.database());
    const std::int64_t balance = context.config().limits_min_balance;
    if (addresses.add(store::WhitelistEntry{target, balance}, context.clock().now_ms()))
        log::info("whitelist: added " + target + " with balance " + std::to_string(balance));
    else
        log::info("whitelist: " + target + " is already on the whitelist (left unchanged)");
    return kExitOk;
}

}  // namespace downstream::node
