// Many writers, one transaction (the group commit of LevelDB's DBImpl::Write): callers that
// arrive while a batch is being written queue up, and the first of them writes everything
// queued behind it as the next batch. A durable commit costs the same for one row as for a
// hundred, so under concurrency each caller pays a fraction of it; a lone caller writes a
// batch of one at once, with no waiting.
//
// Depends on nothing but the standard library: the batch writer is handed in, so a test can
// drive it without a database.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <utility>
#include <vector>

namespace downstream::store {

template <class Request>
class GroupCommit {
public:
    // Writes a batch of requests, filling in their results; whatever it throws reaches every
    // caller of the batch. Called by one thread at a time.
    using BatchWriter = std::function<void(const std::vector<Request*>&)>;
    // How much of a batch a request is (its rows, say): a batch stops growing at
    // max_batch_weight, though it always takes at least its first request.
    using Weight = std::function<std::size_t(const Request&)>;

    GroupCommit(BatchWriter write_batch, Weight weight, std::size_t max_batch_weight)
        : write_batch_(std::move(write_batch)), weight_(std::move(weight)),
          max_batch_weight_(max_batch_weight) {}
    GroupCommit(const GroupCommit&) = delete;
    GroupCommit& operator=(const GroupCommit&) = delete;

    // Returns once `request` was written (in some batch, by this thread or another one), or
    // rethrows what writing its batch threw. `request` must outlive the call.
    void write(Request& request) {
        Writer self{&request};
        std::unique_lock<std::mutex> lock(mutex_);
        queue_.push_back(&self);
        while (!self.done && queue_.front() != &self) self.wake.wait(lock);
        if (self.done) {
            if (self.error) std::rethrow_exception(self.error);
            return;
        }

        // This thread leads: it writes itself and the requests queued behind it.
        std::vector<Writer*> batch;
        std::vector<Request*> requests;
        std::size_t weight = 0;
        for (Writer* w : queue_) {
            const std::size_t w_weight = weight_(*w->request);
            if (!batch.empty() && weight + w_weight > max_batch_weight_) break;
            weight += w_weight;
            batch.push_back(w);
            requests.push_back(w->request);
        }
        lock.unlock();
        std::exception_ptr error;
        try {
            write_batch_(requests);
        } catch (...) {
            error = std::current_exception();
        }
        lock.lock();
        ++batches_;
        for (Writer* w : batch) {
            queue_.pop_front();  // the batch is the front of the queue, in order
            w->error = error;
            w->done = true;
            if (w != &self) w->wake.notify_one();
        }
        // The next in line leads the next batch.
        if (!queue_.empty()) queue_.front()->wake.notify_one();
        lock.unlock();
        if (error) std::rethrow_exception(error);
    }

    // Requests waiting or being written now (the leader's batch included).
    std::size_t queued() const {
        std::lock_guard<std::mutex> lock(mutex_);
        return queue_.size();
    }

    // Batches written so far.
    std::size_t batches() const {
        std::lock_guard<std::mutex> lock(mutex_);
        return batches_;
    }

private:
    struct Writer {
        explicit Writer(Request* r) : request(r) {}
        Request* request;
        std::exception_ptr error;
        bool done = false;
        std::condition_variable wake;
    };

    const BatchWriter write_batch_;
    const Weight weight_;
    const std::size_t max_batch_weight_;
    mutable std::mutex mutex_;
    std::deque<Writer*> queue_;  // GUARDED_BY(mutex_); the front is the leader or the next one
    std::size_t batches_ = 0;    // GUARDED_BY(mutex_)
};

}  // namespace downstream::store
