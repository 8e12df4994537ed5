// The bare MariaDB ceiling for answers: how many contract rows per second the server can mark
// answered in durable transactions, batched the way the node batches accepted proofs: one
// transaction = UPDATE of B contract rows (one statement, `WHERE id IN (...)`, B = 1 or 100)
// plus the farmer's summary row, then COMMIT. Straight libmariadb, prepared statements
// prepared once and reused, one connection per thread, each thread on its own farmer's rows
// (no lock waits): what no node on top of this server can beat.
//
//   mariadb_ceiling --db-uri mysql://... [--seconds S] [--connections 1,8,16,32]
//                   [--batches 1,100]
//
// Works in its own tables (ceiling_contracts / ceiling_tokens, copies of the node's contracts
// and tokens definitions), created and dropped here; the node's tables are never touched.
// Prints one line per case and, per batch size, the best:
//   ceiling batch=B connections=C rows_per_s=R tx_per_s=T
#include "store/db_settings.h"

#include <mysql/mysql.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

using namespace downstream;

namespace {

constexpr int kRowsPerThread = 4000;  // contract rows each connection cycles through

class Connection {
public:
    explicit Connection(const store::DbSettings& s) : mysql_(mysql_init(nullptr)) {
        if (!mysql_) throw std::runtime_error("mysql_init failed");
        const char* socket = s.socket.empty() ? nullptr : s.socket.c_str();
        if (!mysql_real_connect(mysql_, s.host.c_str(), s.user.c_str(), s.password.c_str(),
                                s.database.c_str(), static_cast<unsigned>(s.port), socket, 0))
            fail("connect");
    }
    ~Connection() { mysql_close(mysql_); }
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    void run(const std::string& sql) {
        if (mysql_real_query(mysql_, sql.data(), sql.size()) != 0) fail(sql.substr(0, 60));
        if (MYSQL_RES* r = mysql_store_result(mysql_)) mysql_free_result(r);
    }
    MYSQL* handle() { return mysql_; }
    [[noreturn]] void fail(const std::string& what) {
        throw std::runtime_error(what + ": " + mysql_error(mysql_));
    }

private:
    MYSQL* mysql_;
};

// A prepared statement whose parameters are all BIGINTs, bound once.
class Prepared {
public:
    Prepared(Connection& c, const std::string& sql, std::size_t params)
        : stmt_(mysql_stmt_init(c.handle())), values_(params), binds_(params) {
        if (!stmt_ || mysql_stmt_prepare(stmt_, sql.data(), sql.size()) != 0)
            throw std::runtime_error("prepare: " + std::string(mysql_error(c.handle())));
        for (std::size_t i = 0; i < params; ++i) {
            std::memset(&binds_[i], 0, sizeof binds_[i]);
            binds_[i].buffer_type = MYSQL_TYPE_LONGLONG;
            binds_[i].buffer = &values_[i];
        }
        if (params && mysql_stmt_bind_param(stmt_, binds_.data()) != 0)
            throw std::runtime_error("bind: " + std::string(mysql_stmt_error(stmt_)));
    }
    ~Prepared() { mysql_stmt_close(stmt_); }
    Prepared(const Prepared&) = delete;
    Prepared& operator=(const Prepared&) = delete;

    long long& operator[](std::size_t i) { return values_[i]; }
    void execute() {
        if (mysql_stmt_execute(stmt_) != 0)
            throw std::runtime_error("execute: " + std::string(mysql_stmt_error(stmt_)));
    }

private:
    MYSQL_STMT* stmt_;
    std::vector<long long> values_;
    std::vector<MYSQL_BIND> binds_;
};

std::string placeholders(int n) {
    std::string text = "?";
    for (int i = 1; i < n; ++i) text += ",?";
    return text;
}

std::vector<int> parse_list(const char* text) {
    std::vector<int> out;
    for (const char* p = text; *p;) {
        out.push_back(std::atoi(p));
        p = std::strchr(p, ',');
        if (!p) break;
        ++p;
    }
    return out;
}

void setup(const store::DbSettings& s, int max_connections) {
    Connection c(s);
    c.run("DROP TABLE IF EXISTS ceiling_contracts, ceiling_tokens");
    c.run("CREATE TABLE ceiling_contracts LIKE contracts");
    c.run("CREATE TABLE ceiling_tokens LIKE tokens");
    // One farmer per connection, kRowsPerThread contracts each; the columns an answer
    // touches are real, the blobs small.
    for (int t = 1; t <= max_connections; ++t) {
        const std::string id = std::to_string(t);
        c.run("INSERT INTO ceiling_tokens (id, token_hash, farmer_id, address, ip, created_ms,"
              " changed_ms, online_end_ms) VALUES (" + id + ", UNHEX(SHA2('" + id + "', 256)),"
              " LEFT(SHA2('" + id + "', 256), 20), 'bench', '127.0.0.1', 0, 0, 0)");
        std::string sql;
        for (int r = 0; r < kRowsPerThread; ++r) {
            const long long row = static_cast<long long>(t) * 1000000 + r;
            sql += (sql.empty() ? "" : ",");
            sql += "(" + std::to_string(row) + "," + id + "," + std::to_string(row) +
                   ",UNHEX(SHA2('" + std::to_string(row) + "',256)),32768,REPEAT('s',124),"
                   "REPEAT('c',42),REPEAT('j',70),1000,0,1000,60000,1,0)";
            if ((r + 1) % 500 == 0) {
                c.run("INSERT INTO ceiling_contracts (id, token_id, file_id, file_hash, size, state,"
                      " challenge, challenge_json, due_ms, answered, expiration_ms, interval_ms,"
                      " online, created_ms) VALUES " + sql);
                sql.clear();
            }
        }
    }
}

struct CaseResult {
    double rows_per_s = 0;
    double tx_per_s = 0;
};

CaseResult run_case(const store::DbSettings& s, int connections, int batch, double seconds) {
    std::atomic<bool> stop{false};
    std::atomic<int> ready{0};
    std::vector<long long> transactions(static_cast<std::size_t>(connections), 0);
    std::vector<std::string> errors(static_cast<std::size_t>(connections));
    std::vector<std::thread> threads;
    for (int t = 0; t < connections; ++t) {
        threads.emplace_back([&, t] {
            try {
                Connection c(s);
                // Flip answered back and forth so every statement changes its rows.
                Prepared mark(c, "UPDATE ceiling_contracts SET answered = 1 - answered,"
                                 " expiration_ms = due_ms + interval_ms, online = 1 WHERE id IN (" +
                                     placeholders(batch) + ")",
                              static_cast<std::size_t>(batch));
                Prepared summary(c, "UPDATE ceiling_tokens SET heartbeats = heartbeats + ?,"
                                    " online_end_ms = GREATEST(online_end_ms, ?), changed_ms = ?"
                                    " WHERE id = ?",
                                 4);
                const long long farmer = t + 1;
                long long next = 0;
                ++ready;
                while (ready.load() < connections) std::this_thread::yield();
                while (!stop.load(std::memory_order_relaxed)) {
                    c.run("START TRANSACTION");
                    for (int i = 0; i < batch; ++i) {
                        mark[static_cast<std::size_t>(i)] = farmer * 1000000 + next;
                        next = (next + 1) % kRowsPerThread;
                    }
                    mark.execute();
                    summary[0] = batch;
                    summary[1] = next;
                    summary[2] = next;
                    summary[3] = farmer;
                    summary.execute();
                    if (mysql_commit(c.handle()) != 0) c.fail("commit");
                    ++transactions[static_cast<std::size_t>(t)];
                }
            } catch (const std::exception& e) {
                errors[static_cast<std::size_t>(t)] = e.what();
                ++ready;
            }
        });
    }
    while (ready.load() < connections) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    // Every thread connected and prepared: the clock starts with the first transaction.
    const auto start = std::chrono::steady_clock::now();
    std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
    stop = true;
    for (auto& th : threads) th.join();
    const double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    for (const std::string& e : errors)
        if (!e.empty()) throw std::runtime_error(e);
    long long total = 0;
    for (long long n : transactions) total += n;
    CaseResult r;
    r.tx_per_s = static_cast<double>(total) / elapsed;
    r.rows_per_s = r.tx_per_s * batch;
    return r;
}

}  // namespace

int main(int argc, char** argv) {
    std::string uri = std::getenv("DOWNSTREAM_BENCH_DB_URI") ? std::getenv("DOWNSTREAM_BENCH_DB_URI") : "";
    double seconds = 3;
    std::vector<int> connections{1, 8, 16, 32};
    std::vector<int> batches{1, 100};
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string arg = argv[i];
        if (arg == "--db-uri") uri = argv[i + 1];
        else if (arg == "--seconds") seconds = std::atof(argv[i + 1]);
        else if (arg == "--connections") connections = parse_list(argv[i + 1]);
        else if (arg == "--batches") batches = parse_list(argv[i + 1]);
        else {
            std::fprintf(stderr, "mariadb_ceiling: unknown argument %s\n", arg.c_str());
            return 2;
        }
    }
    auto settings = store::parse_db_uri(uri);
    if (!settings) {
        std::fprintf(stderr, "mariadb_ceiling: --db-uri: %s\n", settings.error().message.c_str());
        return 2;
    }
    if (connections.empty() || batches.empty() || seconds <= 0) {
        std::fprintf(stderr, "mariadb_ceiling: empty case list\n");
        return 2;
    }
    try {
        const int most = *std::max_element(connections.begin(), connections.end());
        setup(*settings, most);
        std::printf("bare MariaDB: durable transactions of UPDATE B contract rows + 1 farmer row,"
                    " prepared once, %.0f s per case\n", seconds);
        for (int batch : batches) {
            CaseResult best;
            int best_connections = 0;
            for (int c : connections) {
                const CaseResult r = run_case(*settings, c, batch, seconds);
                std::printf("  batch %3d, %2d connections: %8.0f tx/s %9.0f rows/s\n", batch, c,
                            r.tx_per_s, r.rows_per_s);
                if (r.rows_per_s > best.rows_per_s) {
                    best = r;
                    best_connections = c;
                }
            }
            std::printf("ceiling batch=%d connections=%d rows_per_s=%.0f tx_per_s=%.0f\n", batch,
                        best_connections, best.rows_per_s, best.tx_per_s);
            std::fflush(stdout);
        }
        Connection c(*settings);
        c.run("DROP TABLE IF EXISTS ceiling_contracts, ceiling_tokens");
    } catch (const std::exception& e) {
        std::fprintf(stderr, "mariadb_ceiling: %s\n", e.what());
        return 1;
    }
    return 0;
}
