#include "node/pool_filler.h"

#include "base/clock.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>

namespace downstream::node {
namespace {

using Steady = std::chrono::steady_clock;

double seconds_since(Steady::time_point start) {
    return std::chrono::duration<double>(Steady::now() - start).count();
}

std::size_t weight(const store::PoolChunk& c) { return c.tag_json.size() + c.state.size(); }

}  // namespace

FillReport PoolFiller::fill(const std::vector<std::int64_t>& sizes,
                            const std::function<bool()>& stop,
                            const std::function<void(const FillReport&)>& progress) {
    const auto started = Steady::now();
    FillReport report;
    SystemClock clock;

    auto insert = [&](std::vector<store::PoolChunk>& batch) {
        const auto t = Steady::now();
        pool_.insert(key_, batch, clock.now_ms());
        report.insert_s += seconds_since(t);
        report.chunks += static_cast<std::int64_t>(batch.size());
        for (const auto& c : batch) report.bytes += c.size;
        batch.clear();
        report.elapsed_s = seconds_since(started);
        if (progress) progress(report);
    };

    if (options_.encoder_threads <= 0) {
        std::vector<store::PoolChunk> batch;
        std::size_t batch_weight = 0;
        for (std::int64_t size : sizes) {
            if (stop && stop()) {
                report.stopped = true;
                break;
            }
            batch.push_back(generator_.generate(size, report.generation));
            batch_weight += weight(batch.back());
            if (batch.size() >= options_.batch_rows || batch_weight >= options_.batch_bytes) {
                insert(batch);
                batch_weight = 0;
            }
        }
        if (!report.stopped && !batch.empty()) insert(batch);
        report.elapsed_s = seconds_since(started);
        return report;
    }

    // Encoders take sizes by index and queue finished chunks (bounded: two batches); this
    // thread inserts. `abort` ends the encoders early (stop, or an error on either side).
    std::mutex mutex;
    std::condition_variable queue_changed;
    std::deque<store::PoolChunk> queue;
    const std::size_t queue_limit = 2 * options_.batch_rows;
    std::atomic<std::size_t> next{0};
    std::atomic<bool> abort{false};
    std::size_t encoders_running = static_cast<std::size_t>(options_.encoder_threads);
    std::exception_ptr encoder_error;
    GenerationTime generation;

    std::vector<std::thread> encoders;
    for (int i = 0; i < options_.encoder_threads; ++i) {
        encoders.emplace_back([&] {
            try {
                for (;;) {
                    if (abort.load()) break;
                    const std::size_t index = next.fetch_add(1);
                    if (index >= sizes.size()) break;
                    GenerationTime spent;
                    store::PoolChunk chunk = generator_.generate(sizes[index], spent);
                    std::unique_lock<std::mutex> lock(mutex);
                    generation += spent;
                    queue_changed.wait(lock, [&] { return queue.size() < queue_limit || abort.load(); });
                    if (abort.load()) break;
                    queue.push_back(std::move(chunk));
                    queue_changed.notify_all();
                }
            } catch (...) {
                std::lock_guard<std::mutex> lock(mutex);
                if (!encoder_error) encoder_error = std::current_exception();
                abort.store(true);
            }
            std::lock_guard<std::mutex> lock(mutex);
            --encoders_running;
            queue_changed.notify_all();
        });
    }
    auto join_encoders = [&] {
        abort.store(true);
        queue_changed.notify_all();
        for (auto& t : encoders)
            if (t.joinable()) t.join();
    };

    try {
        std::vector<store::PoolChunk> batch;
        std::size_t batch_weight = 0;
        for (;;) {
            bool finished = false;
            bool failed = false;
            {
                std::unique_lock<std::mutex> lock(mutex);
                // Wake up now and then to look at `stop` even while encoders are busy.
                queue_changed.wait_for(lock, std::chrono::milliseconds(50), [&] {
                    return !queue.empty() || encoders_running == 0 || abort.load();
                });
                while (!queue.empty() && batch.size() < options_.batch_rows &&
                       batch_weight < options_.batch_bytes) {
                    batch_weight += weight(queue.front());
                    batch.push_back(std::move(queue.front()));
                    queue.pop_front();
                }
                queue_changed.notify_all();
                finished = queue.empty() && encoders_running == 0;
                failed = encoder_error != nullptr;
                report.generation = generation;
            }
            if (stop && stop()) {
                report.stopped = true;
                break;
            }
            if (failed) break;
            if (batch.size() >= options_.batch_rows || batch_weight >= options_.batch_bytes ||
                (finished && !batch.empty())) {
                insert(batch);
                batch_weight = 0;
            }
            if (finished && batch.empty()) break;
        }
    } catch (...) {
        join_encoders();
        throw;
    }
    join_encoders();
    if (encoder_error) std::rethrow_exception(encoder_error);
    report.generation = generation;  // encoders have ended: no lock needed
    report.elapsed_s = seconds_since(started);
    return report;
}

}  // namespace downstream::node
