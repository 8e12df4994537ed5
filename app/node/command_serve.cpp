// serve: the FastCGI worker pool (DESIGN.md §1 "Workers").
//
// The master checks everything that can be checked once (config, schema, heartbeat key, GeoIP
// file), opens or inherits the socket, creates the shared metrics table, and forks the
// workers. Each worker builds its own world after the fork — database sessions, scheme, GeoIP
// handle, router — because none of them may be shared across a fork, then serves until told
// to stop. Besides the API, every worker answers /metrics and /health (metrics/).
#include "api/api_context.h"
#include "api/routes.h"
#include "api/status_index.h"
#include "base/log.h"
#include "crypto/hmac_sha256.h"
#include "geo/geo_database.h"
#include "http/client_address.h"
#include "http/fcgi_server.h"
#include "http/router.h"
#include "metrics/db_stats_publisher.h"
#include "metrics/health_route.h"
#include "metrics/metrics_events.h"
#include "metrics/metrics_route.h"
#include "metrics/metrics_table.h"
#include "metrics/pool_gauge.h"
#include "node/command.h"
#include "node/heartbeat_key.h"
#include "node/listen_socket.h"
#include "node/scheme_factory.h"
#include "node/worker_pool.h"
#include "store/chunk_pool_repository.h"
#include "store/contract_repository.h"
#include "store/database.h"
#include "store/status_repository.h"
#include "store/token_repository.h"

#include <malloc.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <memory>

namespace downstream::node {
namespace {

api::ApiSettings api_settings(const Config& config, const HeartbeatKey& key) {
    api::ApiSettings s;
    s.interval_ms = config.contract_interval_s * 1000;
    s.default_chunk_size = config.chunk_default_size;
    s.max_tokens_per_ip = config.limits_max_tokens_per_ip;
    s.min_balance = config.limits_min_balance;
    s.require_signature = config.limits_require_signature;
    s.max_message_size = config.limits_max_message_size;
    s.max_chunks_per_request = config.limits_max_chunks_per_request;
    s.max_size_per_address = config.limits_max_size_per_address;
    // Derived, not the key itself: the status API's ip_hash must not help anyone attack it.
    s.ip_hash_key = crypto::hmac_sha256(key.bytes, "downstream-node status ip_hash");
    return s;
}

// Who takes the status sweep lease, as an operator would look for it: "host:pid".
std::string lease_holder() {
    char host[256] = {};
    if (gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
    return std::string(host) + ":" + std::to_string(getpid());
}

std::string trusted_list(const Config& config) {
    std::string list;
    for (const std::string& entry : config.proxy_trusted) list += (list.empty() ? "" : ",") + entry;
    return list;
}

// How long the pool's chunk counts shown by /metrics may be reused.
constexpr std::int64_t kPoolGaugeMaxAgeMs = 5000;
// /health and the pool gauge must answer quickly even when MariaDB hangs: their own
// database handle waits at most this long to connect or for a reply.
constexpr int kOpsDatabaseTimeoutS = 2;

// Every route a worker answers: the API under its prefixes, /metrics and /health.
void add_node_routes(http::Router& router, const api::ApiContext& context,
                     const metrics::MetricsTable& table, metrics::MetricsSources metrics_sources,
                     metrics::HealthSources health_sources) {
    api::add_api_routes(router, context);
    metrics::add_metrics_route(router, table, std::move(metrics_sources));
    metrics::add_health_route(router, std::move(health_sources));
}

// The labels of every route (the metrics table's slots), from a router built as a worker
// builds its own. Nothing is called: handlers only hold references.
std::vector<std::string> node_route_labels(CommandContext& command, const proof::HeartbeatScheme& scheme,
                                           const HeartbeatKey& key) {
    const SystemClock clock;
    store::TokenRepository tokens(command.database());
    store::ContractRepository contracts(command.database(), scheme);
    const geo::UnknownLocator locator;
    const api::ApiContext context{clock, tokens, contracts, scheme,
                                  store::PoolKey{std::string(scheme.type_name()), key.fingerprint},
                                  locator, api_settings(command.config(), key)};
    const metrics::MetricsTable unused(std::vector<std::string>{});
    http::Router router;
    add_node_routes(router, context, unused, {}, {});
    return router.labels();
}

store::DbSettings ops_db_settings(store::DbSettings settings) {
    settings.connect_timeout_s = std::min(settings.connect_timeout_s, kOpsDatabaseTimeoutS);
    if (settings.read_timeout_s == 0 || settings.read_timeout_s > kOpsDatabaseTimeoutS)
        settings.read_timeout_s = kOpsDatabaseTimeoutS;
    return settings;
}

// One worker: everything below lives as long as the worker process.
int serve_worker(WorkerContext& worker, const Config& config, const HeartbeatKey& key,
                 metrics::MetricsTable& table) {
    // Large blocks (status index snapshots, list sort scratch, streamed bodies) are mapped
    // and unmapped, so the worker returns them to the system when freed; glibc would
    // otherwise raise this threshold after the first free and keep every such block in the
    // arenas of the threads that used it.
    mallopt(M_MMAP_THRESHOLD, 256 * 1024);
    // Smaller blocks come from the arenas, and an arena keeps up to 4 MiB free at its top. At
    // the default of 128 KiB, each /chunk reply (about 240 KB) was given back to the system
    // when freed and faulted in again, zeroed, for the next one: 1.4-1.8 % of the machine in
    // the bench's contracts phase (docs/DECISIONS.md 116).
    mallopt(M_TRIM_THRESHOLD, 4 * 1024 * 1024);
    auto settings = store::parse_db_uri(config.db_uri);
    auto scheme = make_heartbeat_scheme(config, key);
    auto trusted = http::TrustedProxies::parse(trusted_list(config));
    if (!settings || !scheme || !trusted) {
        // The master checked all three before forking; only a reload can get here.
        log::error("worker: configuration no longer valid");
        return 2;
    }
    store::DatabaseOptions db_options;
    db_options.max_idle_sessions = static_cast<std::size_t>(config.threads);
    store::Database database(*settings, db_options);
    store::TokenRepository tokens(database);
    store::ContractRepository contracts(database, **scheme,
                                        static_cast<std::size_t>(config.contract_concurrent_draws));

    // /health and the pool gauge: a handle of their own with short timeouts, so a probe
    // never waits behind the API's sessions or for the API's long read timeout.
    store::DatabaseOptions ops_options;
    ops_options.max_idle_sessions = 1;
    store::Database ops_database(ops_db_settings(*settings), ops_options);
    store::ChunkPoolRepository pool(ops_database);

    // The master already logged a missing or corrupt GeoIP file once; workers stay quiet.
    auto geo = geo::GeoDatabase::open(config.geoip_mmdb);
    const geo::UnknownLocator unknown;
    const geo::Locator& locator = geo ? static_cast<const geo::Locator&>(*geo) : unknown;

    const SystemClock clock;
    const store::PoolKey pool_key{std::string((*scheme)->type_name()), key.fingerprint};
    metrics::MetricsEvents events(table);
    metrics::DbStatsPublisher db_stats(table, database);
    metrics::PoolGauge pool_gauge([&pool, &pool_key] { return pool.counts_by_size(pool_key); },
                                  clock, kPoolGaugeMaxAgeMs);

    metrics::MetricsSources metrics_sources;
    metrics_sources.before_scrape = [&db_stats] { db_stats.publish(); };
    metrics_sources.workers = [&worker] {
        const PoolCounters& c = worker.counters();
        metrics::WorkerFigures f;
        f.starts = c.worker_starts.load();
        f.restarts = c.worker_restarts.load();
        f.reloads = c.reloads.load();
        f.running = c.workers_running.load();
        return f;
    };
    metrics_sources.pool = [&pool_gauge, &pool_key]() -> std::optional<metrics::PoolFigures> {
        auto counts = pool_gauge.read();
        if (!counts) return std::nullopt;
        return metrics::PoolFigures{pool_key.scheme, std::move(*counts)};
    };
    metrics::HealthSources health_sources;
    health_sources.ping_database = [&ops_database] { ops_database.check_connection(); };
    health_sources.pid = static_cast<long>(::getpid());
    health_sources.generation = worker.generation();

    const api::ApiSettings rules = api_settings(config, key);
    store::StatusRepository status_store(database, contracts);
    api::StatusIndexOptions status_options;
    status_options.holder = lease_holder();
    status_options.background_refresh = true;
    api::StatusIndex status(status_store, clock, rules.ip_hash_key, status_options);
    // Loaded before the worker reports ready, so no visitor waits for it; a database that is
    // down now is tried again by the first status request.
    try {
        status.refresh();
    } catch (const std::exception& e) {
        log::warn(std::string("worker: status index not loaded yet: ") + e.what());
    }
    api::ApiContext context{clock,   tokens, contracts, **scheme, pool_key,
                            locator, rules,  events};
    context.status = &status;
    http::Router router;
    add_node_routes(router, context, table, std::move(metrics_sources), std::move(health_sources));

    http::FcgiServerOptions options;
    options.threads = config.threads;
    options.max_body_size = static_cast<std::size_t>(config.limits_max_body_size);
    options.trusted = *trusted;
    options.on_request = [&table, &db_stats](const http::AccessRecord& record) {
        http::log_access(record);
        table.record_request(table.slot_of(record.route), record.status,
                             static_cast<std::uint64_t>(std::llround(std::max(0.0, record.milliseconds) * 1000)));
        db_stats.publish();
    };
    http::FcgiServer server(worker.listen_fd(), options,
                            [&router](const http::Request& request, http::ResponseWriter& out) {
                                return router.dispatch(request, out);
                            });
    server.serve(worker.stop_fd(), [&worker] { worker.ready(); });
    db_stats.publish();
    return 0;
}

// Everything a worker needs that the master can check before forking; an Error says what is
// wrong in words for the operator.
Status check_before_forking(const Config& config) {
    if (auto s = store::parse_db_uri(config.db_uri); !s) return make_error("db.uri: " + s.error().message);
    if (auto t = http::TrustedProxies::parse(trusted_list(config)); !t)
        return make_error("proxy.trusted: " + t.error().message);
    return {};
}

}  // namespace

int run_serve(CommandContext& context) {
    if (Status s = check_before_forking(context.config()); !s) {
        log::error("serve: " + s.error().message);
        return kExitUsage;
    }
    if (Status s = context.require_schema(); !s) {
        log::error("serve: " + s.error().message);
        return kExitFailure;
    }
    auto key = context.load_checked_key();
    if (!key) {
        log::error("serve: " + key.error().message);
        return kExitFailure;
    }
    auto scheme = make_heartbeat_scheme(context.config(), *key);
    if (!scheme) {
        log::error("serve: " + scheme.error().message);
        return kExitFailure;
    }
    // Shared by every worker (created before the first fork); see metrics/metrics_table.h.
    metrics::MetricsTable table(node_route_labels(context, **scheme, *key));
    if (auto geo = geo::GeoDatabase::open(context.config().geoip_mmdb); !geo)
        log::error("serve: " + geo.error().message + "; farmers' locations will be unknown");
    // The master's sessions must not leak into the workers: each opens its own after the fork.
    context.database().close_idle_sessions();

    // The configuration workers start with; SIGHUP replaces it before new workers are forked.
    auto current = std::make_shared<Config>(context.config());

    ListenSocketOptions socket_options;
    socket_options.path = current->fcgi_socket;
    socket_options.mode = static_cast<mode_t>(current->fcgi_socket_mode);
    socket_options.group = current->fcgi_socket_group;
    auto socket = ListenSocket::open(socket_options);
    if (!socket) {
        log::error("serve: " + socket.error().message);
        return kExitFailure;
    }

    WorkerPoolOptions pool_options;
    pool_options.workers = current->effective_workers();
    pool_options.drain_timeout = std::chrono::seconds(current->fcgi_drain_timeout_s);
    const HeartbeatKey worker_key = *key;
    const std::vector<std::string> config_paths = context.config_paths();
    WorkerPool pool(
        socket->fd(), pool_options,
        [current, &worker_key, &table](WorkerContext& worker) {
            return serve_worker(worker, *current, worker_key, table);
        },
        [current, &config_paths, &worker_key]() -> Result<int> {
            auto reloaded = load_config(config_paths);
            if (!reloaded) return reloaded.error();
            if (Status s = check_before_forking(*reloaded); !s) return s.error();
            // The key and the scheme type cannot change under running contracts.
            if (reloaded->heartbeat_type != worker_key.type ||
                reloaded->heartbeat_key_file != worker_key.path)
                return make_error("heartbeat.type and heartbeat.key_file cannot change on reload; "
                                  "restart the node instead");
            if (auto scheme = make_heartbeat_scheme(*reloaded, worker_key); !scheme)
                return scheme.error();
            *current = std::move(reloaded).value();
            return current->effective_workers();
        });
    log::info("serve: " + std::to_string(pool_options.workers) + " workers x " +
              std::to_string(current->threads) + " threads on " +
              (ListenSocket::find_inherited() >= 0 ? std::string("an inherited socket")
                                                   : current->fcgi_socket));
    return pool.run();
}

}  // namespace downstream::node
