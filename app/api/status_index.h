// Every farmer's summary in memory, per worker process: what the status list and summary
// routes read, so that sorting 100,000 farmers by uptime costs milliseconds instead of a SQL
// sort per request (docs/DECISIONS.md, "status index").
//
// Readers get an immutable StatusSnapshot (shared_ptr, swapped atomically: RCU). The first
// reader loads every farmer; afterwards, a reader that finds the snapshot older than
// refresh_interval has it refreshed, at most one refresh at a time: the readers keep reading
// the previous snapshot meanwhile. With `background_refresh` the reader only wakes the
// index's refresher thread and goes on at once (the worker's choice: no request waits for the
// database), unless the snapshot is older than wait_after (an idle worker): then it waits for
// the refresh. Without it the reader refreshes in place (tests, single-threaded tools). Either
// way an idle worker never refreshes. A refresh first offers to sweep expired contracts (at most
// once per sweep_period over every worker and host sharing the database), then loads the
// farmers changed and deleted since the last refresh. Staleness: a list shows farmers as of
// the last refresh (about refresh_interval old while requests arrive, never more than
// wait_after plus one refresh); online and uptime are exact at the request's time; the
// counters contracts/size lag contract expiry by about sweep_period plus that.
#pragma once

#include "api/status_snapshot.h"
#include "base/clock.h"
#include "store/status_repository.h"

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace downstream::api {

struct StatusIndexOptions {
    UnixMillis refresh_interval_ms = 1000;
    // Changes stamped within this long before a refresh began are read again by the next
    // one: a transaction that stamped changed_ms and committed up to this much later (or a
    // writer whose clock is this much behind) is still seen. Rows stamped earlier are never
    // read twice, so the cost of a refresh is the changes of the last few seconds.
    UnixMillis change_margin_ms = 5000;
    // A full reload replaces the deltas this often (a backstop for anything the margin
    // missed; also compacts the location table).
    UnixMillis full_reload_ms = 10 * 60 * 1000;
    UnixMillis sweep_period_ms = 1000;
    std::size_t page_rows = 5000;
    // Who takes the sweep lease (for the operator reading node_settings), e.g. "host:pid".
    std::string holder = "node";
    // Refresh on a thread of the index's own, woken by readers (see above)...
    bool background_refresh = false;
    // ...unless the last refresh began this long ago (the worker was idle): then the reader
    // waits for the refresh, so no answer is older than about this.
    UnixMillis wait_after_ms = 3000;
};

class StatusIndex {
public:
    StatusIndex(store::StatusStore& store, const Clock& clock, std::string ip_hash_key,
                StatusIndexOptions options = {});
    ~StatusIndex();  // stops and joins the refresher thread
    StatusIndex(const StatusIndex&) = delete;
    StatusIndex& operator=(const StatusIndex&) = delete;

    // The current snapshot, refreshed first when due (see above). Without any snapshot yet
    // the caller loads one (others wait for it); the store's exception then propagates.
    // Once a snapshot exists a failing refresh is logged and the previous one is served.
    std::shared_ptr<const StatusSnapshot> snapshot();

    // Refreshes now whatever the time (a worker loads the index before it accepts requests).
    // Propagates the store's exceptions.
    void refresh();

    struct Stats {
        std::size_t farmers = 0;
        std::size_t memory_bytes = 0;     // of the current snapshot
        std::uint64_t full_loads = 0;
        std::uint64_t delta_loads = 0;    // refreshes that changed the snapshot
        std::uint64_t sweeps = 0;         // sweeps this index ran (it held the lease)
        std::uint64_t refresh_failures = 0;
        UnixMillis last_full_load_ms = 0; // how long the last full load took
        UnixMillis last_refresh_ms = 0;   // how long the last refresh took (sweep included)
        UnixMillis max_refresh_ms = 0;
    };
    Stats stats() const;

private:
    void refresher();
    void refresh_logged(UnixMillis now);  // refresh_locked, failures logged once per streak
    void refresh_locked(UnixMillis now);
    void sweep(UnixMillis now);
    void full_load(UnixMillis now);
    void delta_load(UnixMillis now);
    void publish(std::shared_ptr<const StatusSnapshot> snapshot);

    store::StatusStore& store_;
    const Clock& clock_;
    const StatusIndexOptions options_;

    std::shared_ptr<const StatusSnapshot> snapshot_;  // atomic_load / atomic_store only
    std::atomic<UnixMillis> next_refresh_ms_{0};

    // Guarded by refresh_mutex_.
    std::mutex refresh_mutex_;
    SnapshotBuilder builder_;
    // The feeds are read from their cursors; a cursor is min(newest time seen, start of the
    // refresh - margin), so it never passes a change that may still commit.
    UnixMillis changed_seen_ = 0;    // newest changed_ms seen
    UnixMillis deleted_seen_ = 0;    // newest deleted_ms seen
    UnixMillis changed_cursor_ = 0;
    UnixMillis deleted_cursor_ = 0;
    UnixMillis next_full_load_ms_ = 0;
    bool failing_ = false;        // the last refresh failed (logged once per streak)
    bool sweep_failing_ = false;  // the last sweep failed (likewise)

    mutable std::mutex stats_mutex_;
    Stats stats_;

    // The refresher thread (background_refresh): woken through wake_ when wanted_.
    std::mutex wake_mutex_;
    std::condition_variable wake_;
    bool wanted_ = false;
    bool stopping_ = false;
    std::thread refresher_;
};

}  // namespace downstream::api
