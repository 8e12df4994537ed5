// The admin subcommands of the node binary and what they share: the configuration, the
// arguments, the database (opened on first use) and the checks every command makes.
#pragma once

#include "base/clock.h"
#include "base/result.h"
#include "node/config.h"
#include "node/heartbeat_key.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace downstream::store {
class Database;
}

namespace downstream::node {

// Exit codes of the binary.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;  // the operation failed (bad input data, database, key)
inline constexpr int kExitUsage = 2;    // bad command line or configuration

class CommandContext {
public:
    CommandContext(Config config, std::vector<std::string> config_paths,
                   std::vector<std::string> args, const Clock& clock);
    ~CommandContext();

    const Config& config() const { return config_; }
    // The --config files the configuration came from, in order (serve re-reads them).
    const std::vector<std::string>& config_paths() const { return config_paths_; }
    const Clock& clock() const { return clock_; }

    // Positional arguments after the command name (its options taken out).
    const std::vector<std::string>& args() const { return args_; }

    // The value of an option of the command (`--jobs 2` or `--jobs=2`), if given.
    std::optional<std::string> option(const std::string& name) const;
    // Whether a flag of the command (`--replace-key`) was given.
    bool flag(const std::string& name) const;

    // Separates the command's declared options and flags from its positional arguments;
    // an undeclared `--option` or an option without its value is an error.
    Status take_options(const std::vector<std::string>& value_options,
                        const std::vector<std::string>& flags);

    // The database of db.uri, opened on first use (throws DatabaseUnavailable).
    store::Database& database();

    // Fails unless the database schema has every migration of this binary applied.
    Status require_schema();

    // Loads heartbeat.key_file and checks it against the fingerprint in the database.
    Result<HeartbeatKey> load_checked_key();

private:
    Config config_;
    std::vector<std::string> config_paths_;
    std::vector<std::string> args_;
    std::vector<std::pair<std::string, std::string>> options_;
    std::vector<std::string> flags_;
    const Clock& clock_;
    std::unique_ptr<store::Database> database_;
};

// The value of --jobs (encoder threads for generate-chunk and maintain, 0..64, default 1).
Result<int> jobs_option(const CommandContext& context);

// One subcommand.
struct Command {
    const char* name;
    const char* usage;    // arguments, e.g. "SIZE [COUNT] [--jobs N]"
    const char* summary;  // one line for --help
    std::size_t min_args;
    std::size_t max_args;
    std::vector<std::string> value_options;  // e.g. "--jobs"
    std::vector<std::string> flags;          // e.g. "--replace-key"
    bool built;           // false: listed, but refuses to run ("not built yet")
    int (*run)(CommandContext&);
};

// Every subcommand, in the order --help lists them.
const std::vector<Command>& commands();

int run_initdb(CommandContext& context);
int run_migrate(CommandContext& context);
int run_whitelist(CommandContext& context);
int run_generate_chunk(CommandContext& context);
int run_maintain(CommandContext& context);
int run_cleandb(CommandContext& context);
int run_clearchunks(CommandContext& context);
int run_revoke_token(CommandContext& context);
int run_print_config(CommandContext& context);
int run_serve(CommandContext& context);

}  // namespace downstream::node
