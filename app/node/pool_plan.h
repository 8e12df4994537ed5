// What `maintain MIN MAX TOTAL BASE` keeps in the pool: chunk sizes MIN, MIN*BASE,
// MIN*BASE^2, ... up to MAX (the orders of magnitude between MIN and MAX in BASE), each size
// holding an equal share of TOTAL bytes. Pure functions, unit-tested.
#pragma once

#include "base/result.h"

#include <cstdint>
#include <map>
#include <vector>

namespace downstream::node {

struct PoolTarget {
    std::int64_t size = 0;   // bytes per chunk
    std::int64_t count = 0;  // chunks of that size to keep
};

// The targets, smallest size first. Errors: MIN < 1, MAX < MIN, BASE < 2, or TOTAL too small
// to hold even one chunk of the smallest size.
Result<std::vector<PoolTarget>> plan_pool(std::int64_t min_size, std::int64_t max_size,
                                          std::int64_t total_bytes, std::int64_t base);

// The sizes of the next chunks to generate, given what the pool holds (`have`: count per
// size): at most `max_chunks` chunks and (beyond the first) `max_bytes` bytes, always
// topping up the size that is least full relative to its target, so the pool fills evenly.
// Empty when every target is met.
std::vector<std::int64_t> next_chunk_sizes(const std::vector<PoolTarget>& targets,
                                           const std::map<std::int64_t, std::int64_t>& have,
                                           std::size_t max_chunks, std::int64_t max_bytes);

}  // namespace downstream::node
