// A FastCGI fixture for the HTTP integration tests: the real WorkerPool, FcgiServer and
// Router with a few test routes, started behind real nginx by scripts/test-http.sh.
//
//   echo_fcgi_app --socket PATH [--workers N] [--threads N] [--max-body BYTES]
//                 [--trusted LIST] [--pid-file PATH] [--drain-ms MS] [--quiet]
//
// Routes, under /api/downstream and /api/downstream/v1:
//   POST /echo                 the body as received (after inflation), X-Body-Length header
//   GET  /hello                a 100-byte reply (the benchmark's)
//   GET  /stream/<kb:uint>/<pause_ms:uint>   kb KiB in 16 KiB pieces, flushed, pausing between
//   GET  /sleep/<ms:uint>      {"slept": ms} after sleeping
//   GET  /whoami               {"pid", "client", "peer", "generation", "restarts"}
//   GET  /typed/<token:hex>/<size:uint>      the parameters back
//   GET  /fail                 throws std::runtime_error (-> 500)
//   GET  /unavailable          throws StoreUnavailable (-> 503)
#include "base/store_unavailable.h"
#include "http/client_address.h"
#include "http/fcgi_server.h"
#include "http/router.h"
#include "node/listen_socket.h"
#include "node/worker_pool.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <string>
#include <thread>

using namespace downstream;

namespace {

struct Options {
    std::string socket;
    int workers = 2;
    int threads = 4;
    std::size_t max_body = 16 * 1024 * 1024;
    std::string trusted = "127.0.0.1";
    std::string pid_file;
    long drain_ms = 30000;
    bool quiet = false;
};

void add_routes(http::Router& router, const node::WorkerContext& context) {
    auto api = router.under({"/api/downstream", "/api/downstream/v1"});
    api.add("POST", "/echo", [](const http::Request& request, const http::RouteParams&,
                                http::ResponseWriter& out) -> http::HandlerResult {
        out.start(200, {{"Content-Type", "application/octet-stream"},
                        {"Content-Length", std::to_string(request.body.size())},
                        {"X-Body-Length", std::to_string(request.body.size())}});
        out.write(request.body);
        return {};
    });
    api.add("GET", "/hello", [](const http::Request&, const http::RouteParams&,
                                http::ResponseWriter& out) -> http::HandlerResult {
        // 100 bytes exactly: {"msg":"hello"...} padded.
        std::string body = "{\"msg\":\"" + std::string(100 - 11, 'x') + "\"}\n";
        out.respond_json(200, body);
        return {};
    });
    api.add("GET", "/stream/<kb:uint>/<pause_ms:uint>",
            [](const http::Request&, const http::RouteParams& params,
               http::ResponseWriter& out) -> http::HandlerResult {
                const std::uint64_t total = params.uint("kb") * 1024;
                const auto pause = std::chrono::milliseconds(params.uint("pause_ms"));
                if (total > (1u << 30)) return http::HttpError::bad_request("at most 1 GiB");
                out.start(200, {{"Content-Type", "application/octet-stream"}});
                std::string piece(16 * 1024, '\0');
                for (std::uint64_t sent = 0; sent < total;) {
                    const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(piece.size(), total - sent));
                    // A recognisable pattern: byte i of the body is (i % 251).
                    for (std::size_t i = 0; i < n; ++i) piece[i] = static_cast<char>((sent + i) % 251);
                    out.write(std::string_view(piece.data(), n));
                    out.flush();
                    sent += n;
                    if (pause.count() > 0) std::this_thread::sleep_for(pause);
                }
                return {};
            });
    api.add("GET", "/sleep/<ms:uint>", [](const http::Request&, const http::RouteParams& params,
                                          http::ResponseWriter& out) -> http::HandlerResult {
        std::this_thread::sleep_for(std::chrono::milliseconds(params.uint("ms")));
        out.respond_json(200, "{\"slept\":" + std::to_string(params.uint("ms")) + "}");
        return {};
    });
    api.add("GET", "/whoami", [&context](const http::Request& request, const http::RouteParams&,
                                         http::ResponseWriter& out) -> http::HandlerResult {
        out.respond_json(200, "{\"pid\":" + std::to_string(::getpid()) + ",\"client\":\"" +
                                  request.client_address + "\",\"peer\":\"" +
                                  request.peer_address + "\",\"generation\":" +
                                  std::to_string(context.generation()) + ",\"restarts\":" +
                                  std::to_string(context.counters().worker_restarts.load()) + "}");
        return {};
    });
    api.add("GET", "/typed/<token:hex>/<size:uint>",
            [](const http::Request&, const http::RouteParams& params,
               http::ResponseWriter& out) -> http::HandlerResult {
                out.respond_json(200, "{\"token\":\"" + params.text("token") + "\",\"size\":" +
                                          std::to_string(params.uint("size")) + "}");
                return {};
            });
    api.add("GET", "/fail", [](const http::Request&, const http::RouteParams&,
                               http::ResponseWriter&) -> http::HandlerResult {
        throw std::runtime_error("secret internal detail: table t_tokens is corrupt");
    });
    api.add("GET", "/unavailable", [](const http::Request&, const http::RouteParams&,
                                      http::ResponseWriter&) -> http::HandlerResult {
        throw StoreUnavailable("MariaDB at /run/mysqld/mysqld.sock: connection refused");
    });
}

Options parse(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) throw std::invalid_argument(arg + " needs a value");
            return argv[++i];
        };
        if (arg == "--socket") o.socket = value();
        else if (arg == "--workers") o.workers = std::stoi(value());
        else if (arg == "--threads") o.threads = std::stoi(value());
        else if (arg == "--max-body") o.max_body = std::stoull(value());
        else if (arg == "--trusted") o.trusted = value();
        else if (arg == "--pid-file") o.pid_file = value();
        else if (arg == "--drain-ms") o.drain_ms = std::stol(value());
        else if (arg == "--quiet") o.quiet = true;
        else throw std::invalid_argument("unknown option " + arg);
    }
    return o;
}

}  // namespace

int main(int argc, char** argv) {
    Options options;
    try {
        options = parse(argc, argv);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "echo_fcgi_app: %s\n", e.what());
        return 2;
    }
    auto trusted = http::TrustedProxies::parse(options.trusted);
    if (!trusted.ok()) {
        std::fprintf(stderr, "echo_fcgi_app: %s\n", trusted.error().message.c_str());
        return 2;
    }
    node::ListenSocketOptions socket_options;
    socket_options.path = options.socket;
    socket_options.mode = 0666;
    auto socket = node::ListenSocket::open(socket_options);
    if (!socket.ok()) {
        std::fprintf(stderr, "echo_fcgi_app: %s\n", socket.error().message.c_str());
        return 1;
    }
    if (!options.pid_file.empty()) std::ofstream(options.pid_file) << ::getpid() << "\n";

    node::WorkerPoolOptions pool_options;
    pool_options.workers = options.workers;
    pool_options.drain_timeout = std::chrono::milliseconds(options.drain_ms);
    const int listen_fd = socket->fd();
    node::WorkerPool pool(
        listen_fd, pool_options,
        [&](node::WorkerContext& context) {
            http::Router router;
            add_routes(router, context);
            http::FcgiServerOptions server_options;
            server_options.threads = options.threads;
            server_options.max_body_size = options.max_body;
            server_options.trusted = *trusted;
            if (options.quiet) server_options.on_request = nullptr;
            http::FcgiServer server(context.listen_fd(), server_options,
                                    [&router](const http::Request& request, http::ResponseWriter& out) {
                                        return router.dispatch(request, out);
                                    });
            server.serve(context.stop_fd(), [&context] { context.ready(); });
            return 0;
        },
        [&]() -> Result<int> { return options.workers; });
    const int code = pool.run();
    if (!options.pid_file.empty()) ::unlink(options.pid_file.c_str());
    return code;
}
