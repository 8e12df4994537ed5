// generate-chunk SIZE [COUNT] [--jobs N]
#include "base/log.h"
#include "node/byte_size.h"
#include "node/command.h"
#include "node/fill_progress.h"
#include "node/pool_filler.h"
#include "node/scheme_factory.h"
#include "node/stop_signal.h"

#include <cstdlib>
#include <functional>

namespace downstream::node {

int run_generate_chunk(CommandContext& context) {
    auto jobs = jobs_option(context);
    if (!jobs) {
        log::error("generate-chunk: " + jobs.error().message);
        return kExitUsage;
    }
    const auto& args = context.args();
    auto size = parse_byte_size(args.at(0));
    if (!size) {
        log::error("generate-chunk: SIZE: " + size.error().message);
        return kExitUsage;
    }
    std::int64_t count = 1;
    if (args.size() > 1) {
        char* end = nullptr;
        const long long n = std::strtoll(args[1].c_str(), &end, 10);
        if (args[1].empty() || *end != '\0' || n < 1) {
            log::error("generate-chunk: COUNT must be a whole number >= 1, not '" + args[1] + "'");
            return kExitUsage;
        }
        count = n;
    }
    if (Status s = context.require_schema(); !s) {
        log::error("generate-chunk: " + s.error().message);
        return kExitFailure;
    }
    auto key = context.load_checked_key();
    if (!key) {
        log::error("generate-chunk: " + key.error().message);
        return kExitFailure;
    }
    auto scheme = make_heartbeat_scheme(context.config(), *key);
    if (!scheme) {
        log::error("generate-chunk: " + scheme.error().message);
        return kExitFailure;
    }

    install_stop_signal_handlers();
    const ChunkGenerator generator(**scheme);
    store::ChunkPoolRepository pool(context.database());
    FillOptions options;
    options.encoder_threads = *jobs;
    PoolFiller filler(generator, pool,
                      store::PoolKey{std::string((*scheme)->type_name()), key->fingerprint}, options);
    log::info("generate-chunk: " + std::to_string(count) + " chunk(s) of " +
              format_byte_size(*size) + " (" + std::string((*scheme)->type_name()) + ")");
    ProgressLog progress("generate-chunk: ", std::chrono::seconds(2));
    const std::vector<std::int64_t> sizes(static_cast<std::size_t>(count), *size);
    const FillReport report = filler.fill(sizes, [] { return stop_requested(); }, std::ref(progress));
    log::info("generate-chunk: " + std::string(report.stopped ? "stopped by signal after " : "done: ") +
              describe_fill(report));
    return report.stopped ? kExitFailure : kExitOk;
}

}  // namespace downstream::node
