// maintain MIN MAX TOTAL BASE [--jobs N]
#include "base/log.h"
#include "node/byte_size.h"
#include "node/command.h"
#include "node/fill_progress.h"
#include "node/pool_filler.h"
#include "node/pool_plan.h"
#include "node/scheme_factory.h"
#include "node/stop_signal.h"
#include "store/database.h"
#include "store/database_error.h"

#include <cstdlib>

namespace downstream::node {

namespace {

// Chunks generated per round before the pool is counted again (others draw meanwhile).
constexpr std::size_t kChunksPerRound = 512;
constexpr std::int64_t kBytesPerRound = std::int64_t{256} << 20;

std::string describe_plan(const std::vector<PoolTarget>& targets) {
    std::string text;
    for (const auto& t : targets)
        text += (text.empty() ? "" : ", ") + std::to_string(t.count) + " x " + format_byte_size(t.size);
    return text;
}

}  // namespace

int run_maintain(CommandContext& context) {
    auto jobs = jobs_option(context);
    if (!jobs) {
        log::error("maintain: " + jobs.error().message);
        return kExitUsage;
    }
    const auto& args = context.args();
    const char* names[] = {"MIN", "MAX", "TOTAL"};
    std::int64_t values[3];
    for (int i = 0; i < 3; ++i) {
        auto v = parse_byte_size(args.at(static_cast<std::size_t>(i)));
        if (!v) {
            log::error(std::string("maintain: ") + names[i] + ": " + v.error().message);
            return kExitUsage;
        }
        values[i] = *v;
    }
    char* end = nullptr;
    const long long base = std::strtoll(args.at(3).c_str(), &end, 10);
    if (args[3].empty() || *end != '\0') {
        log::error("maintain: BASE must be a whole number >= 2, not '" + args[3] + "'");
        return kExitUsage;
    }
    auto targets = plan_pool(values[0], values[1], values[2], base);
    if (!targets) {
        log::error("maintain: " + targets.error().message);
        return kExitUsage;
    }
    if (Status s = context.require_schema(); !s) {
        log::error("maintain: " + s.error().message);
        return kExitFailure;
    }
    auto key = context.load_checked_key();
    if (!key) {
        log::error("maintain: " + key.error().message);
        return kExitFailure;
    }
    auto scheme = make_heartbeat_scheme(context.config(), *key);
    if (!scheme) {
        log::error("maintain: " + scheme.error().message);
        return kExitFailure;
    }

    install_stop_signal_handlers();
    const ChunkGenerator generator(**scheme);
    store::ChunkPoolRepository pool(context.database());
    const store::PoolKey pool_key{std::string((*scheme)->type_name()), key->fingerprint};
    FillOptions options;
    options.encoder_threads = *jobs;
    PoolFiller filler(generator, pool, pool_key, options);
    log::info("maintain: keeping " + describe_plan(*targets) + " (" +
              std::string((*scheme)->type_name()) + ")");

    const auto poll = std::chrono::seconds(context.config().maintain_poll_s);
    ProgressLog progress("maintain: ", std::chrono::seconds(5));
    FillReport total;
    bool full = false;
    while (!stop_requested()) {
        try {
            const auto have = pool.counts_by_size(pool_key);
            const auto sizes = next_chunk_sizes(*targets, have, kChunksPerRound, kBytesPerRound);
            if (sizes.empty()) {
                if (!full) {
                    std::int64_t chunks = 0, bytes = 0;
                    for (const auto& [size, count] : have) {
                        chunks += count;
                        bytes += size * count;
                    }
                    log::info("maintain: pool full (" + std::to_string(chunks) + " chunks, " +
                              format_byte_size(bytes) + ")");
                    full = true;
                }
                wait_for_stop(poll);
                continue;
            }
            full = false;
            const FillReport round = filler.fill(sizes, [] { return stop_requested(); },
                                                 [&](const FillReport& r) {
                                                     FillReport sum = total;
                                                     sum.chunks += r.chunks;
                                                     sum.bytes += r.bytes;
                                                     sum.generation += r.generation;
                                                     sum.insert_s += r.insert_s;
                                                     sum.elapsed_s += r.elapsed_s;
                                                     progress(sum);
                                                 });
            total.chunks += round.chunks;
            total.bytes += round.bytes;
            total.generation += round.generation;
            total.insert_s += round.insert_s;
            total.elapsed_s += round.elapsed_s;
        } catch (const store::DatabaseUnavailable& e) {
            // The maintainer is a service: wait for the database to come back.
            log::error(std::string("maintain: ") + e.what() + "; trying again in " +
                       std::to_string(poll.count()) + " s");
            context.database().close_idle_sessions();
            wait_for_stop(poll);
        }
    }
    log::info("maintain: stopped by signal; generated " + describe_fill(total));
    return kExitOk;
}

}  // namespace downstream::node
