// The node's configuration: one properties file (`key = value`, `#` comments) per --config,
// later files overriding earlier ones, every key with a default and a comment (DESIGN.md §4).
// The rendered defaults are committed as docs/node.conf.example.
#pragma once

#include "base/result.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace downstream::node {

enum class HeartbeatType { Merkle, Swizzle };

struct Config {
    std::string db_uri;
    std::string fcgi_socket;
    unsigned fcgi_socket_mode = 0660;
    std::string fcgi_socket_group;
    std::int64_t fcgi_drain_timeout_s = 30;
    int workers = 0;  // 0: one per CPU
    int threads = 4;
    HeartbeatType heartbeat_type = HeartbeatType::Merkle;
    std::string heartbeat_key_file;
    double heartbeat_check_fraction = 0.01;
    int heartbeat_challenges = 256;
    double heartbeat_swizzle_check_fraction = 1.0;
    std::string geoip_mmdb;
    std::int64_t chunk_default_size = 32768;
    std::int64_t contract_interval_s = 60;
    std::int64_t contract_keep_expired_s = 3600;
    int contract_concurrent_draws = 4;
    std::int64_t limits_max_tokens_per_ip = 5;
    std::int64_t limits_min_balance = 10000;
    bool limits_require_signature = true;
    std::int64_t limits_max_message_size = 1024;
    int limits_max_chunks_per_request = 10;
    std::int64_t limits_max_size_per_address = 1073741824;
    std::int64_t limits_max_body_size = 16777216;
    std::vector<std::string> proxy_trusted;
    std::int64_t maintain_poll_s = 10;
    std::string log_level = "info";

    // The number of worker processes to run: `workers`, or the CPU count when it is 0.
    int effective_workers() const;
};

// The built-in defaults (what an empty configuration file means).
Config default_config();

// Applies one file's text on top of `config`. `origin` names the file in error messages,
// which look like "node.conf:12: unknown key 'db.url'". Unknown keys, lines without '=',
// keys given twice in one file and bad values are errors; nothing is applied on error.
Status apply_config_text(Config& config, std::string_view text, const std::string& origin);

// Defaults, then each file in order (later files win). A missing file is an error.
Result<Config> load_config(const std::vector<std::string>& paths);

// A complete, commented configuration file holding the values of `config`; for the defaults
// this is docs/node.conf.example.
std::string render_config(const Config& config);

}  // namespace downstream::node
