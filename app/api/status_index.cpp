#include "api/status_index.h"

#include "base/log.h"

#include <algorithm>
#include <chrono>
#include <limits>

namespace downstream::api {
namespace {

constexpr std::int64_t kAfterEveryId = std::numeric_limits<std::int64_t>::max();

std::string megabytes(std::size_t bytes) {
    const auto tenths = (bytes * 10 + 524288) / 1048576;
    return std::to_string(tenths / 10) + "." + std::to_string(tenths % 10) + " MiB";
}

UnixMillis steady_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

}  // namespace

StatusIndex::StatusIndex(store::StatusStore& store, const Clock& clock, std::string ip_hash_key,
                         StatusIndexOptions options)
    : store_(store), clock_(clock), options_(std::move(options)), builder_(std::move(ip_hash_key)) {
    if (options_.background_refresh) refresher_ = std::thread([this] { refresher(); });
}

StatusIndex::~StatusIndex() {
    if (!refresher_.joinable()) return;
    {
        std::lock_guard<std::mutex> lock(wake_mutex_);
        stopping_ = true;
    }
    wake_.notify_one();
    refresher_.join();
}

void StatusIndex::refresher() {
    for (;;) {
        {
            std::unique_lock<std::mutex> lock(wake_mutex_);
            wake_.wait(lock, [this] { return wanted_ || stopping_; });
            if (stopping_) return;
            wanted_ = false;
        }
        std::lock_guard<std::mutex> lock(refresh_mutex_);
        const UnixMillis now = clock_.now_ms();
        if (now >= next_refresh_ms_.load()) refresh_logged(now);
    }
}

void StatusIndex::refresh_logged(UnixMillis now) {
    try {
        refresh_locked(now);
    } catch (const std::exception& e) {
        std::lock_guard<std::mutex> stats_lock(stats_mutex_);
        ++stats_.refresh_failures;
        if (!failing_) log::warn(std::string("status index: refresh failed, serving the previous farmers: ") + e.what());
        failing_ = true;
    }
}

std::shared_ptr<const StatusSnapshot> StatusIndex::snapshot() {
    const UnixMillis now = clock_.now_ms();
    auto current = std::atomic_load(&snapshot_);
    if (current && now < next_refresh_ms_.load()) return current;
    if (!current) {
        // Nothing to serve yet: everyone waits for the one load.
        std::lock_guard<std::mutex> lock(refresh_mutex_);
        current = std::atomic_load(&snapshot_);
        if (current) return current;
        refresh_locked(now);
        return std::atomic_load(&snapshot_);
    }
    // Since the last refresh began (it set next_refresh to its start + the interval).
    const UnixMillis age = now - (next_refresh_ms_.load() - options_.refresh_interval_ms);
    if (options_.background_refresh && age < options_.wait_after_ms) {
        {
            std::lock_guard<std::mutex> lock(wake_mutex_);
            wanted_ = true;
        }
        wake_.notify_one();
        return current;
    }
    if (options_.background_refresh) {
        // Idle for a while: this answer would be old, so it waits for a refresh.
        std::lock_guard<std::mutex> lock(refresh_mutex_);
        if (clock_.now_ms() >= next_refresh_ms_.load()) refresh_logged(clock_.now_ms());
        return std::atomic_load(&snapshot_);
    }
    std::unique_lock<std::mutex> lock(refresh_mutex_, std::try_to_lock);
    if (lock.owns_lock() && now >= next_refresh_ms_.load()) refresh_logged(now);
    return std::atomic_load(&snapshot_);
}

void StatusIndex::refresh() {
    std::lock_guard<std::mutex> lock(refresh_mutex_);
    refresh_locked(clock_.now_ms());
}

void StatusIndex::refresh_locked(UnixMillis now) {
    // Set first: a failing database is not asked again by every request.
    next_refresh_ms_.store(now + options_.refresh_interval_ms);
    const UnixMillis started = steady_ms();
    sweep(now);
    const UnixMillis swept = steady_ms();
    if (!std::atomic_load(&snapshot_) || now >= next_full_load_ms_) full_load(now);
    else delta_load(now);
    const UnixMillis took = steady_ms() - started;
    {
        std::lock_guard<std::mutex> lock(stats_mutex_);
        stats_.last_refresh_ms = took;
        stats_.max_refresh_ms = std::max(stats_.max_refresh_ms, took);
    }
    log::debug("status index: refreshed in " + std::to_string(took) + " ms (sweep " +
               std::to_string(swept - started) + " ms)");
    if (failing_) log::info("status index: refreshing again");
    failing_ = false;
}

void StatusIndex::sweep(UnixMillis now) {
    // A failing sweep must not keep the farmers from loading; the next refresh tries again.
    try {
        if (auto report = store_.sweep_if_due(now, options_.sweep_period_ms, options_.holder)) {
            std::lock_guard<std::mutex> lock(stats_mutex_);
            ++stats_.sweeps;
            if (report->contracts > 0)
                log::debug("status index: swept " + std::to_string(report->contracts) +
                           " expired contracts of " + std::to_string(report->tokens) + " farmers");
        }
        sweep_failing_ = false;
    } catch (const std::exception& e) {
        if (!sweep_failing_) log::warn(std::string("status index: sweeping expired contracts failed: ") + e.what());
        sweep_failing_ = true;
    }
}

void StatusIndex::full_load(UnixMillis now) {
    const UnixMillis started = steady_ms();
    // The marks come first: whatever changes while the pages are read is newer than them
    // and is read again by the next delta.
    const store::FeedWatermarks marks = store_.watermarks();
    const auto previous = std::atomic_load(&snapshot_);
    builder_.start_full(previous ? previous->farmers.size() + previous->farmers.size() / 8 : 0);
    std::int64_t after = 0;
    for (;;) {
        const auto rows = store_.farmers_after(after, options_.page_rows);
        builder_.add_full(rows);
        if (rows.size() < options_.page_rows) break;
        after = rows.back().id;
    }
    auto snapshot = builder_.finish_full();
    changed_seen_ = marks.changed_ms;
    deleted_seen_ = marks.deleted_ms;
    changed_cursor_ = std::min(changed_seen_, now - options_.change_margin_ms);
    deleted_cursor_ = std::min(deleted_seen_, now - options_.change_margin_ms);
    next_full_load_ms_ = now + options_.full_reload_ms;
    const std::size_t farmers = snapshot->farmers.size();
    const std::size_t bytes = snapshot->memory_bytes();
    publish(std::move(snapshot));
    const UnixMillis took = steady_ms() - started;
    {
        std::lock_guard<std::mutex> lock(stats_mutex_);
        ++stats_.full_loads;
        stats_.last_full_load_ms = took;
    }
    log::info("status index: loaded " + std::to_string(farmers) + " farmers (" + megabytes(bytes) +
              ") in " + std::to_string(took) + " ms");
}

void StatusIndex::delta_load(UnixMillis now) {
    const UnixMillis started = steady_ms();
    std::vector<store::TokenRecord> changed;
    store::FeedCursor cursor{changed_cursor_, kAfterEveryId};
    for (;;) {
        auto rows = store_.changed_after(cursor, options_.page_rows);
        if (!rows.empty()) {
            cursor = store::FeedCursor{rows.back().changed_ms, rows.back().id};
            changed_seen_ = std::max(changed_seen_, rows.back().changed_ms);
        }
        const bool more = rows.size() == options_.page_rows;
        for (auto& row : rows) changed.push_back(std::move(row));
        if (!more) break;
    }
    std::vector<std::string> deleted;
    store::FeedCursor deletion_cursor{deleted_cursor_, kAfterEveryId};
    for (;;) {
        auto rows = store_.deleted_after(deletion_cursor, options_.page_rows);
        if (!rows.empty()) {
            deletion_cursor = store::FeedCursor{rows.back().deleted_ms, rows.back().id};
            deleted_seen_ = std::max(deleted_seen_, rows.back().deleted_ms);
        }
        for (auto& row : rows) deleted.push_back(std::move(row.farmer_id));
        if (rows.size() < options_.page_rows) break;
    }
    // Everything stamped up to `now - margin` had committed when these reads began.
    changed_cursor_ = std::max(changed_cursor_, std::min(changed_seen_, now - options_.change_margin_ms));
    deleted_cursor_ = std::max(deleted_cursor_, std::min(deleted_seen_, now - options_.change_margin_ms));

    const UnixMillis read = steady_ms();
    const std::size_t rows_read = changed.size() + deleted.size();
    const auto base = std::atomic_load(&snapshot_);
    changed = builder_.news(*base, std::move(changed));
    deleted = builder_.present(*base, std::move(deleted));
    if (changed.empty() && deleted.empty()) return;
    publish(builder_.apply(*base, changed, deleted));
    log::debug("status index: " + std::to_string(changed.size() + deleted.size()) + " of " +
               std::to_string(rows_read) + " rows read were news; read in " +
               std::to_string(read - started) + " ms, applied in " + std::to_string(steady_ms() - read) + " ms");
    std::lock_guard<std::mutex> lock(stats_mutex_);
    ++stats_.delta_loads;
}

void StatusIndex::publish(std::shared_ptr<const StatusSnapshot> snapshot) {
    {
        std::lock_guard<std::mutex> lock(stats_mutex_);
        stats_.farmers = snapshot->farmers.size();
        stats_.memory_bytes = snapshot->memory_bytes();
    }
    std::atomic_store(&snapshot_, std::move(snapshot));
}

StatusIndex::Stats StatusIndex::stats() const {
    std::lock_guard<std::mutex> lock(stats_mutex_);
    return stats_;
}

}  // namespace downstream::api
