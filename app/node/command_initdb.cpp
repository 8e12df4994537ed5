// initdb and migrate.
#include "base/log.h"
#include "node/command.h"
#include "store/database.h"
#include "store/migrations.h"
#include "store/node_settings_repository.h"

namespace downstream::node {
namespace {

// Applies the migrations and logs what happened; false on failure (already logged).
bool migrate(CommandContext& context) {
    auto report = store::apply_migrations(context.database(), store::embedded_migrations(),
                                          context.clock().now_ms());
    if (!report) {
        log::error("migrate: " + report.error().message);
        return false;
    }
    for (const auto& warning : report->warnings) log::warn("migrate: " + warning);
    if (report->applied.empty())
        log::info("migrate: schema is up to date (version " +
                  std::to_string(report->schema_version) + ")");
    else
        log::info("migrate: applied " + std::to_string(report->applied.size()) +
                  " migration(s); schema is at version " + std::to_string(report->schema_version));
    return true;
}

}  // namespace

int run_migrate(CommandContext& context) {
    return migrate(context) ? kExitOk : kExitFailure;
}

int run_initdb(CommandContext& context) {
    const bool replace_key = context.flag("--replace-key");
    if (!migrate(context)) return kExitFailure;

    bool created = false;
    auto key = create_heartbeat_key_if_missing(context.config().heartbeat_key_file,
                                               context.config().heartbeat_type, created);
    if (!key) {
        log::error("initdb: " + key.error().message);
        return kExitFailure;
    }
    log::info(std::string("initdb: heartbeat key ") + key->path +
              (created ? " created" : " exists") + ", fingerprint " + key->fingerprint_hex());

    store::NodeSettingsRepository settings(context.database());
    const UnixMillis now = context.clock().now_ms();
    const std::string recorded =
        settings.set_if_absent(store::kHeartbeatKeyFingerprint, key->fingerprint_hex(), now);
    if (recorded != key->fingerprint_hex()) {
        if (!replace_key) {
            log::error("initdb: " + check_heartbeat_key(*key, settings).error().message);
            return kExitFailure;
        }
        settings.set(store::kHeartbeatKeyFingerprint, key->fingerprint_hex(), now);
        log::warn("initdb: the database now records heartbeat key " + key->fingerprint_hex() +
                  " instead of " + recorded + "; contracts issued with the old key cannot be "
                  "verified and its pool chunks are never handed out (run clearchunks)");
    }
    log::info("initdb: done");
    return kExitOk;
}

}  // namespace downstream::node
