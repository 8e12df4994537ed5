// serve: the FastCGI worker pool (DESIGN.md §1 "Workers").
//
// The master checks everything that can be checked once (config, schema, heartbeat key, GeoIP
// file), opens or inherits the socket, and forks the workers. Each worker builds its own
// world after the fork — database sessions, scheme, GeoIP handle, router — because none of
// them may be shared across a fork, then serves until told to stop.
#include "api/api_context.h"
#include "api/routes.h"
#include "api/status_index.h"
#include "base/log.h"
#include "crypto/hmac_sha256.h"
#include "geo/geo_database.h"
#include "http/client_address.h"
#include "http/fcgi_server.h"
#include "http/router.h"
#include "node/command.h"
#include "node/heartbeat_key.h"
#include "node/listen_socket.h"
#include "node/scheme_factory.h"
#include "node/worker_pool.h"
#include "store/contract_repository.h"
#include "store/database.h"
#include "store/status_repository.h"
#include "store/token_repository.h"

#include <malloc.h>
#include <unistd.h>

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

// One worker: everything below lives as long as the worker process.
int serve_worker(WorkerContext& worker, const Config& config, const HeartbeatKey& key) {
    // Large blocks (status index snapshots, list sort scratch, streamed bodies) are mapped
    // and unmapped, so the worker returns them to the system when freed; glibc would
    // otherwise raise this threshold after the first free and keep every such block in the
    // arenas of the threads that used it.
    mallopt(M_MMAP_THRESHOLD, 256 * 1024);
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
    store::ContractRepository contracts(database, **scheme);

    // The master already logged a missing or corrupt GeoIP file once; workers stay quiet.
    auto geo = geo::GeoDatabase::open(config.geoip_mmdb);
    const geo::UnknownLocator unknown;
    const geo::Locator& locator = geo ? static_cast<const geo::Locator&>(*geo) : unknown;

    const SystemClock clock;
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
    api::ApiContext context{clock,
                            tokens,
                            contracts,
                            **scheme,
                            store::PoolKey{std::string((*scheme)->type_name()), key.fingerprint},
                            locator,
                            rules};
    context.status = &status;
    http::Router router;
    api::add_api_routes(router, context);

    http::FcgiServerOptions options;
    options.threads = config.threads;
    options.max_body_size = static_cast<std::size_t>(config.limits_max_body_size);
    options.trusted = *trusted;
    http::FcgiServer server(worker.listen_fd(), options,
                            [&router](const http::Request& request, http::ResponseWriter& out) {
                                return router.dispatch(request, out);
                            });
    server.serve(worker.stop_fd(), [&worker] { worker.ready(); });
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
    if (auto scheme = make_heartbeat_scheme(context.config(), *key); !scheme) {
        log::error("serve: " + scheme.error().message);
        return kExitFailure;
    }
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
        [current, &worker_key](WorkerContext& worker) {
            return serve_worker(worker, *current, worker_key);
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
