// Chunks generated per second by the pool filler (what `generate-chunk` and `maintain` run),
// for 32 KiB and 1 MiB chunks, with the time split between generating the file bytes,
// encoding (the heartbeat scheme) and the database insert. Needs a MariaDB:
// scripts/bench-store.sh starts a private one and passes $DOWNSTREAM_BENCH_DB_URI.
//
// The schemes are the node's own: Merkle (n = 256, check fraction 0.01, the defaults) and
// Swizzle (s = 10, a 1023-bit prime).
#include "base/log.h"
#include "crypto/sha256.h"
#include "node/chunk_generator.h"
#include "node/pool_filler.h"
#include "proof/merkle_scheme.h"
#include "proof/swizzle_scheme.h"
#include "store/chunk_pool_repository.h"
#include "store/database.h"
#include "store/migrations.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

using namespace downstream;

namespace {

double seconds_since(std::chrono::steady_clock::time_point t) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

struct Case {
    const char* scheme_name;
    const proof::HeartbeatScheme* scheme;
    std::int64_t size;
    int count;
};

}  // namespace

int main() {
    log::set_threshold(log::Level::Warn);
    const char* uri = std::getenv("DOWNSTREAM_BENCH_DB_URI");
    if (!uri) {
        std::fprintf(stderr, "DOWNSTREAM_BENCH_DB_URI is not set (run scripts/bench-store.sh)\n");
        return 2;
    }
    auto settings = store::parse_db_uri(uri);
    if (!settings) {
        std::fprintf(stderr, "%s\n", settings.error().message.c_str());
        return 2;
    }
    store::Database db(*settings);
    if (auto r = store::apply_migrations(db, store::embedded_migrations(), 1); !r) {
        std::fprintf(stderr, "%s\n", r.error().message.c_str());
        return 1;
    }
    store::ChunkPoolRepository pool(db);
    const std::string key(32, 'b');
    const auto merkle = proof::make_merkle_scheme(key, 0.01, 256).value();
    const std::string swizzle_key = proof::generate_swizzle_private_heartbeat();
    const auto swizzle = proof::SwizzleScheme::create(swizzle_key, 1.0).value();

    std::printf("chunk generation (pool filler = generate-chunk / maintain), one process\n");
    std::printf("%-18s %8s %6s | %-28s | %-13s | %-30s | %-30s\n", "scheme", "size", "chunks",
                "encode only (1 thread)", "insert only", "pipeline, 1 encoder thread", "pipeline, 2 encoder threads");
    const Case cases[] = {
        {"merkle", merkle.get(), 32 * 1024, 4000},
        {"merkle", merkle.get(), 1024 * 1024, 300},
        {"swizzle", swizzle.get(), 32 * 1024, 1000},
        {"swizzle", swizzle.get(), 1024 * 1024, 50},
    };
    for (const Case& c : cases) {
        const node::ChunkGenerator generator(*c.scheme);
        const store::PoolKey key_for_case{std::string(c.scheme->type_name()), crypto::sha256(key)};

        // Encoding alone: the ceiling the pipeline cannot beat on one encoder thread.
        node::GenerationTime time;
        std::vector<store::PoolChunk> chunks;
        chunks.reserve(static_cast<std::size_t>(c.count));
        auto t = std::chrono::steady_clock::now();
        for (int i = 0; i < c.count; ++i) chunks.push_back(generator.generate(c.size, time));
        const double encode_s = seconds_since(t);

        // Inserting alone, in the filler's batches of 64.
        pool.clear();
        t = std::chrono::steady_clock::now();
        for (std::size_t i = 0; i < chunks.size(); i += 64)
            pool.insert(key_for_case, std::vector<store::PoolChunk>(chunks.begin() + static_cast<std::ptrdiff_t>(i),
                                                                    chunks.begin() + static_cast<std::ptrdiff_t>(std::min(chunks.size(), i + 64))),
                        1);
        const double insert_s = seconds_since(t);

        double rate[2];
        node::FillReport reports[2];
        for (int threads = 1; threads <= 2; ++threads) {
            pool.clear();
            node::FillOptions options;
            options.encoder_threads = threads;
            node::PoolFiller filler(generator, pool, key_for_case, options);
            reports[threads - 1] = filler.fill(std::vector<std::int64_t>(static_cast<std::size_t>(c.count), c.size),
                                               nullptr, nullptr);
            rate[threads - 1] = reports[threads - 1].chunks / reports[threads - 1].elapsed_s;
        }
        char encode_text[64], insert_text[32], p1[64], p2[64];
        std::snprintf(encode_text, sizeof encode_text, "%7.0f/s (stream %4.0f%%, enc %3.0f%%)",
                      c.count / encode_s, 100 * time.stream_s / encode_s, 100 * time.encode_s / encode_s);
        std::snprintf(insert_text, sizeof insert_text, "%7.0f/s", c.count / insert_s);
        for (int k = 0; k < 2; ++k)
            std::snprintf(k ? p2 : p1, 64, "%7.0f/s %6.1f MiB/s (ins %3.0f%%)", rate[k],
                          rate[k] * static_cast<double>(c.size) / (1 << 20),
                          100 * reports[k].insert_s / reports[k].elapsed_s);
        std::printf("%-18s %8s %6d | %-28s | %-13s | %-30s | %-30s\n", c.scheme_name,
                    c.size >= 1 << 20 ? "1 MiB" : "32 KiB", c.count, encode_text, insert_text, p1, p2);
        std::fflush(stdout);
    }
    pool.clear();
    std::printf("(ins %%: share of the wall time the inserting thread spent in the database; the original\n"
                " node managed about 25 chunks of 32 KiB per second per process)\n");
    return 0;
}
