#include "node/command.h"

#include "store/database.h"
#include "store/migrations.h"
#include "store/node_settings_repository.h"

#include <algorithm>
#include <cstdlib>

namespace downstream::node {

CommandContext::CommandContext(Config config, std::vector<std::string> config_paths,
                               std::vector<std::string> args, const Clock& clock)
    : config_(std::move(config)), config_paths_(std::move(config_paths)), args_(std::move(args)),
      clock_(clock) {}

CommandContext::~CommandContext() = default;

std::optional<std::string> CommandContext::option(const std::string& name) const {
    for (const auto& [key, value] : options_)
        if (key == name) return value;
    return std::nullopt;
}

bool CommandContext::flag(const std::string& name) const {
    return std::find(flags_.begin(), flags_.end(), name) != flags_.end();
}

Status CommandContext::take_options(const std::vector<std::string>& value_options,
                                    const std::vector<std::string>& flags) {
    std::vector<std::string> positional;
    for (std::size_t i = 0; i < args_.size(); ++i) {
        const std::string& a = args_[i];
        if (a.size() < 3 || a.rfind("--", 0) != 0) {
            positional.push_back(a);
            continue;
        }
        const auto eq = a.find('=');
        const std::string name = a.substr(0, eq);
        if (std::find(flags.begin(), flags.end(), name) != flags.end() && eq == std::string::npos) {
            flags_.push_back(name);
        } else if (std::find(value_options.begin(), value_options.end(), name) != value_options.end()) {
            if (eq != std::string::npos) {
                options_.emplace_back(name, a.substr(eq + 1));
            } else if (i + 1 < args_.size()) {
                options_.emplace_back(name, args_[++i]);
            } else {
                return make_error("option " + name + " needs a value");
            }
        } else {
            return make_error("unknown option " + a);
        }
    }
    args_ = std::move(positional);
    return {};
}

store::Database& CommandContext::database() {
    if (!database_) {
        auto settings = store::parse_db_uri(config_.db_uri);
        // The configuration was validated when loaded; a bad URI here is a bug or an edit race.
        if (!settings) throw std::runtime_error(settings.error().message);
        store::DatabaseOptions options;
        options.max_idle_sessions = static_cast<std::size_t>(std::max(2, config_.threads));
        database_ = std::make_unique<store::Database>(*settings, options);
    }
    return *database_;
}

Status CommandContext::require_schema() {
    const auto applied = store::applied_migrations(database());
    const auto& known = store::embedded_migrations();
    std::size_t missing = 0;
    for (const auto& m : known) {
        const bool done = std::any_of(applied.begin(), applied.end(),
                                      [&](const auto& a) { return a.version == m.version; });
        if (!done) ++missing;
    }
    if (applied.empty())
        return make_error("the database " + store::describe(database().settings()) +
                          " has no schema yet: run `downstream-node initdb`");
    if (missing > 0)
        return make_error("the database schema lacks " + std::to_string(missing) +
                          " migration(s) of this node version: run `downstream-node migrate`");
    return {};
}

Result<HeartbeatKey> CommandContext::load_checked_key() {
    auto key = load_heartbeat_key(config_.heartbeat_key_file, config_.heartbeat_type);
    if (!key) return key.error();
    store::NodeSettingsRepository settings(database());
    if (Status s = check_heartbeat_key(*key, settings); !s) return s.error();
    return key;
}

Result<int> jobs_option(const CommandContext& context) {
    const auto text = context.option("--jobs");
    if (!text) return 1;
    char* end = nullptr;
    const long n = std::strtol(text->c_str(), &end, 10);
    if (text->empty() || *end != '\0' || n < 0 || n > 64)
        return make_error("--jobs takes a number of encoder threads from 0 to 64, not '" + *text + "'");
    return static_cast<int>(n);
}

const std::vector<Command>& commands() {
    static const std::vector<Command> table = {
        {"initdb", "[--replace-key]",
         "create or upgrade the schema, create the heartbeat key if missing, record its "
         "fingerprint (--replace-key: adopt a different key; issued contracts become unverifiable)",
         0, 0, {}, {"--replace-key"}, true, run_initdb},
        {"migrate", "", "apply the schema migrations the database lacks", 0, 0, {}, {}, true, run_migrate},
        {"whitelist", "FILE|ADDRESS",
         "replace the whitelist by a CSV file (header address,crowdsale_balance,...; addresses "
         "not listed are removed with their tokens and contracts), or add one address with "
         "limits.min_balance",
         1, 1, {}, {}, true, run_whitelist},
        {"generate-chunk", "SIZE [COUNT] [--jobs N]",
         "generate COUNT (default 1) pool chunks of SIZE bytes (suffixes K, M, G)", 1, 2,
         {"--jobs"}, {}, true,
         run_generate_chunk},
        {"maintain", "MIN MAX TOTAL BASE [--jobs N]",
         "keep the pool filled: sizes MIN, MIN*BASE, ... up to MAX, an equal share of TOTAL "
         "bytes each; runs until SIGTERM/SIGINT",
         4, 4, {"--jobs"}, {}, true, run_maintain},
        {"cleandb", "",
         "take expired contracts offline in their farmers' summaries, delete those expired "
         "longer than contract.keep_expired and unreferenced files",
         0, 0, {}, {}, true, run_cleandb},
        {"clearchunks", "", "delete every chunk of the pool", 0, 0, {}, {}, true, run_clearchunks},
        {"revoke-token", "TOKEN", "delete a farmer's token with its contracts", 1, 1, {}, {}, true,
         run_revoke_token},
        {"config", "", "print the effective configuration as a commented file", 0, 0, {}, {}, true,
         run_print_config},
        {"serve", "", "run the FastCGI worker pool (SIGTERM drains, SIGHUP reloads the config)", 0, 0,
         {}, {}, true, run_serve},
    };
    return table;
}

}  // namespace downstream::node
