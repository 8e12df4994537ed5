// Chunks generated per second by the pool filler (what `generate-chunk` and `maintain` run),
// for 32 KiB and 1 MiB chunks, with the time split between generating the file bytes,
// encoding (the heartbeat scheme) and the database insert. Needs a MariaDB:
// scripts/bench-store.sh starts a private one and passes $DOWNSTREAM_BENCH_DB_URI.
//
// Two schemes: the interim scheme the binary runs until app/proof's Merkle heartbeat is
// merged (tiny tags), and a Merkle-shaped stand-in with the real scheme's work and tag size
// (256 leaves: an HMAC over 1 % of the file each, a 511-node tree of SHA-256, a ~24 KB JSON
// tag of base64 nodes). Neither is the real Merkle code: rerun this once it is merged.
#include "base/log.h"
#include "crypto/hmac_sha256.h"
#include "crypto/sha256.h"
#include "encoding/base64.h"
#include "node/chunk_generator.h"
#include "node/interim_scheme.h"
#include "node/pool_filler.h"
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

class MerkleShapedScheme final : public proof::HeartbeatScheme {
public:
    explicit MerkleShapedScheme(std::string key) : key_(std::move(key)) {}
    std::string_view type_name() const override { return "MerkleShaped"; }
    std::string public_heartbeat_json() const override { return "{}"; }

    proof::EncodedFile encode(std::string_view file) const override {
        constexpr int kLeaves = 256;
        const std::size_t chunk = std::max<std::size_t>(1, file.size() / 100);
        std::string seed = crypto::hmac_sha256(key_, "root seed");
        std::vector<std::string> nodes(2 * kLeaves - 1);
        for (int i = 0; i < kLeaves; ++i) {
            seed = crypto::hmac_sha256(key_, seed);
            // Stand-in for the keyed PRF choosing the offset.
            const std::string prf = crypto::sha256(seed + std::to_string(i));
            std::size_t offset = 0;
            for (int b = 0; b < 8; ++b) offset = (offset << 8) | static_cast<unsigned char>(prf[b]);
            offset %= file.size() - chunk + 1;
            const std::string blob = crypto::hmac_sha256(seed, file.substr(offset, chunk));
            nodes[kLeaves - 1 + i] = crypto::sha256(blob + std::to_string(i));
        }
        for (int i = kLeaves - 2; i >= 0; --i) nodes[i] = crypto::sha256(nodes[2 * i + 1] + nodes[2 * i + 2]);
        proof::EncodedFile encoded;
        encoded.tag_json = "{\"tree\":{\"nodes\":[";
        for (int i = 0; i < kLeaves - 1; ++i)  // the tree without its leaves... and the leaf row
            encoded.tag_json += (i ? ",\"" : "\"") + encoding::base64_encode(nodes[i]) + "\"";
        for (int i = kLeaves - 1; i < 2 * kLeaves - 1; ++i)
            encoded.tag_json += ",\"" + encoding::base64_encode(nodes[i]) + "\"";
        encoded.tag_json += "],\"order\":8,\"leaves\":[]},\"chunksz\":" + std::to_string(chunk) +
                            ",\"filesz\":" + std::to_string(file.size()) + "}";
        encoded.state = nodes[0] + std::string(48, '\0');
        encoded.state += crypto::hmac_sha256(key_, encoded.state);
        return encoded;
    }
    Result<std::optional<proof::IssuedChallenge>> gen_challenge(std::string_view) const override {
        return std::optional<proof::IssuedChallenge>();
    }
    Result<proof::Verdict> verify(const json::Value&, std::string_view, std::string_view) const override {
        return proof::Verdict::Invalid;
    }

private:
    std::string key_;
};

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
    const node::InterimScheme interim(key, 256);
    const MerkleShapedScheme merkle_shaped(key);

    std::printf("chunk generation (pool filler = generate-chunk / maintain), one process\n");
    std::printf("%-18s %8s %6s | %-28s | %-13s | %-30s | %-30s\n", "scheme", "size", "chunks",
                "encode only (1 thread)", "insert only", "pipeline, 1 encoder thread", "pipeline, 2 encoder threads");
    const Case cases[] = {
        {"interim", &interim, 32 * 1024, 4000},
        {"interim", &interim, 1024 * 1024, 300},
        {"merkle-shaped", &merkle_shaped, 32 * 1024, 4000},
        {"merkle-shaped", &merkle_shaped, 1024 * 1024, 300},
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
