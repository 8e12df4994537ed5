// cleandb and clearchunks.
#include "base/log.h"
#include "node/command.h"
#include "node/scheme_factory.h"
#include "store/chunk_pool_repository.h"
#include "store/contract_repository.h"
#include "store/token_repository.h"

namespace downstream::node {
namespace {

// Deletion records are kept this long for status caches that were offline for a while.
constexpr UnixMillis kKeepDeletionRecordsMs = 7LL * 24 * 3600 * 1000;

bool prepare(CommandContext& context, const char* name, std::optional<HeartbeatKey>& key) {
    if (Status s = context.require_schema(); !s) {
        log::error(std::string(name) + ": " + s.error().message);
        return false;
    }
    auto loaded = context.load_checked_key();
    if (!loaded) {
        log::error(std::string(name) + ": " + loaded.error().message);
        return false;
    }
    key = std::move(loaded).value();
    return true;
}

}  // namespace

int run_cleandb(CommandContext& context) {
    std::optional<HeartbeatKey> key;
    if (!prepare(context, "cleandb", key)) return kExitFailure;
    auto scheme = make_heartbeat_scheme(context.config(), *key);
    if (!scheme) {
        log::error("cleandb: " + scheme.error().message);
        return kExitFailure;
    }
    store::ContractRepository contracts(context.database(), **scheme);
    const UnixMillis now = context.clock().now_ms();
    // First fold: contracts whose time is up leave their farmers' online counters (their
    // lifetimes are already part of the uptime summary, kept at issue and answer time).
    const store::SweepReport swept = contracts.sweep_expired(now);
    const UnixMillis keep = context.config().contract_keep_expired_s * 1000;
    const store::DeletionReport deleted = contracts.delete_expired(now - keep);
    store::ChunkPoolRepository pool(context.database());
    const std::int64_t orphans = pool.delete_unreferenced_files();
    store::TokenRepository tokens(context.database());
    const std::size_t housekeeping = tokens.forget_old_deletions(now - kKeepDeletionRecordsMs);
    log::info("cleandb: " + std::to_string(swept.contracts) + " contracts of " +
              std::to_string(swept.tokens) + " farmers went offline; deleted " +
              std::to_string(deleted.contracts) + " expired contracts, " +
              std::to_string(deleted.files + static_cast<std::size_t>(orphans)) + " files, " +
              std::to_string(housekeeping) + " stale bookkeeping rows");
    return kExitOk;
}

int run_clearchunks(CommandContext& context) {
    std::optional<HeartbeatKey> key;
    if (!prepare(context, "clearchunks", key)) return kExitFailure;
    store::ChunkPoolRepository pool(context.database());
    const std::int64_t deleted = pool.clear();
    log::info("clearchunks: deleted " + std::to_string(deleted) + " pool chunks");
    return kExitOk;
}

}  // namespace downstream::node
