// Generates chunks and inserts them into the pool in batches: the engine of generate-chunk
// and maintain. Encoding runs on its own threads while the previous batch is inserted, so
// throughput is bounded by the slower of the two, not by their sum.
#pragma once

#include "node/chunk_generator.h"
#include "store/chunk_pool_repository.h"

#include <cstdint>
#include <functional>
#include <vector>

namespace downstream::node {

struct FillReport {
    std::int64_t chunks = 0;  // inserted
    std::int64_t bytes = 0;   // their sizes, summed
    GenerationTime generation;
    double insert_s = 0;      // time in ChunkPoolRepository::insert
    double elapsed_s = 0;
    bool stopped = false;     // ended because `stop` said so
};

struct FillOptions {
    int encoder_threads = 1;            // 0: encode on the calling thread, no overlap
    std::size_t batch_rows = 64;        // chunks per insert transaction
    std::size_t batch_bytes = 8u << 20; // ... or this many bytes of tags and states
};

class PoolFiller {
public:
    PoolFiller(const ChunkGenerator& generator, store::ChunkPoolRepository& pool,
               store::PoolKey key, FillOptions options = {})
        : generator_(generator), pool_(pool), key_(std::move(key)), options_(options) {}

    // Generates one chunk per entry of `sizes` and inserts them all. Checks `stop` between
    // chunks: when it returns true, chunks not yet inserted are abandoned and the report says
    // `stopped`. Calls `progress` with the running totals after every inserted batch.
    // Database errors propagate (after the encoder threads have stopped).
    FillReport fill(const std::vector<std::int64_t>& sizes, const std::function<bool()>& stop,
                    const std::function<void(const FillReport&)>& progress);

private:
    const ChunkGenerator& generator_;
    store::ChunkPoolRepository& pool_;
    store::PoolKey key_;
    FillOptions options_;
};

}  // namespace downstream::node
