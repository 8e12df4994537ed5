// A farmer under faults: one thread answering its contracts continuously (batches and single
// answers in turn), with a ledger of what the node acknowledged. Requests that fail (nginx
// 502/503, the node's 503, a reset connection) leave the outcome unknown: the farmer retries
// the same answer until the node decides, and "challenge already answered" after such a
// failure means the failed request was counted. An answer that fails until its contract
// expires is settled from the contract's answered flag in the database. So at the end the
// node's heartbeat count must equal acknowledged + counted-without-reply, exactly.
#pragma once

#include "farmer/farmer_client.h"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace downstream::testing {

// What one farmer saw.
struct FarmerLedger {
    std::int64_t acknowledged = 0;       // "ok" replies (batch entries and single answers)
    std::int64_t counted_unreplied = 0;  // failed requests the node had counted
    std::int64_t settled_uncounted = 0;  // failed requests the node had not counted
    std::int64_t failed_requests = 0;    // requests of any kind that got no decision
    std::int64_t batch_answers = 0;      // POST /answer/<token> requests decided
    std::int64_t single_answers = 0;     // POST /answer/<token>/<hash> requests decided
    std::int64_t challenges_fetched = 0;
    std::int64_t contracts_taken = 0;
    std::int64_t contracts_lost = 0;     // expired before an answer got through
    std::vector<std::string> violations; // anything the protocol forbids
    // Heartbeats the node must have counted: acknowledged + counted_unreplied.
    std::int64_t expected_heartbeats() const { return acknowledged + counted_unreplied; }
};

class LoadFarmer {
public:
    // A new whitelisted farmer with a token (through nginx, from a fresh client IP) that keeps
    // `contracts` contracts of `chunk_size` bytes. Not started yet.
    LoadFarmer(int number, std::size_t contracts, std::int64_t chunk_size);
    ~LoadFarmer();
    LoadFarmer(const LoadFarmer&) = delete;
    LoadFarmer& operator=(const LoadFarmer&) = delete;

    // Starts the farmer's thread, which waits `delay` before its first request (so farmers
    // started together do not all answer in the same instant of every interval).
    void start(std::chrono::milliseconds delay = std::chrono::milliseconds(0));
    // Asks the thread to stop after its current request and joins it.
    void stop();

    // Answers acknowledged so far (readable while running).
    std::int64_t acknowledged() const { return acknowledged_.load(); }
    // True while an answer request (batch or single) is on its way.
    bool answering() const { return answering_.load() > 0; }
    // Requests that got no decision so far (readable while running).
    std::int64_t failed_requests() const { return failed_.load(); }
    const std::string& token() const { return token_; }
    // After stop(): the ledger, and the contracts held with their state as the farmer knows it.
    const FarmerLedger& ledger() const { return ledger_; }
    struct HeldState {
        std::string file_hash;
        std::string challenge_json;
        bool answered = false;
    };
    std::vector<HeldState> held() const;

private:
    struct Held;
    void run();
    void top_up();
    void answer_batch(std::vector<Held*>& targets);
    void answer_singles(std::vector<Held*>& targets);
    void decide(Held& held, const std::string& message);
    void settle_from_database(Held& held, const std::string& why);
    void fetch_challenges(std::vector<Held*>& targets);
    void note_failed_request();
    void violation(const std::string& what);

    int number_;
    std::size_t target_contracts_;
    std::int64_t chunk_size_;
    std::unique_ptr<farmer::FarmerClient> client_;
    std::string token_;
    std::vector<std::unique_ptr<Held>> held_;
    // (file hash, challenge) pairs acknowledged or counted: none may be counted twice.
    std::map<std::pair<std::string, std::string>, int> counted_;
    FarmerLedger ledger_;
    std::atomic<std::int64_t> acknowledged_{0};
    std::atomic<std::int64_t> failed_{0};
    std::atomic<int> answering_{0};
    std::atomic<bool> stopping_{false};
    std::int64_t round_ = 0;
    farmer::SteadyTime next_top_up_{};
    std::thread thread_;
};

}  // namespace downstream::testing
