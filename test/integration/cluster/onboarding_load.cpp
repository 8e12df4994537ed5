#include "integration/cluster/onboarding_load.h"

#include "farmer/farmer_client.h"
#include "integration/api/api_stack.h"

#include <exception>
#include <mutex>
#include <thread>

namespace downstream::testing::cluster {
namespace {

using Clock = std::chrono::steady_clock;

struct Shared {
    Shared(const OnboardingPlan& p, Clock::time_point d) : plan(p), deadline(d) {}

    const OnboardingPlan& plan;
    const Clock::time_point deadline;
    std::atomic<std::int64_t> started{0};
    std::mutex mutex;
    OnboardingTally tally;

    bool more() {
        if (plan.stop && plan.stop->load()) return false;
        if (Clock::now() >= deadline) return false;
        return started.fetch_add(1) < plan.max_cycles;
    }
};

struct CycleResult {
    bool ok = false;
    std::int64_t answers_ok = 0;
    std::int64_t answers_unknown = 0;
    std::string farmer_id;
    std::vector<std::string> seeds;
    std::string problem;
};

// One new farmer: token, one contract, its answer, its status. Fills `result` as it goes, so
// that an exception (network failure) leaves what happened before it.
void cycle(farmer::FarmerClient& client, const std::string& address, std::int64_t size,
           CycleResult& result) {
    client.http().set_forwarded_for(next_ip());
    if (Status token = client.request_token(address); !token) {
        result.problem = "token: " + token.error().message;
        return;
    }
    result.farmer_id = farmer_id_of(client.token());
    auto contracts = client.request_contracts(size);
    if (!contracts) {
        result.problem = "contracts: " + contracts.error().message;
        return;
    }
    if (contracts->size() != 1) {
        result.problem = "contracts: " + std::to_string(contracts->size()) + " for " +
                         std::to_string(size) + " bytes (pool drained?)";
        return;
    }
    for (const farmer::Contract& c : *contracts) result.seeds.push_back(c.seed);
    std::vector<farmer::Contract*> live{&contracts->front()};
    auto report = client.answer(live);
    if (!report) {
        result.answers_unknown = 1;
        result.problem = "answer: " + report.error().message;
        return;
    }
    if (report->size() != 1 || !report->front().ok) {
        if (report->size() == 1 && report->front().message == "challenge already answered")
            result.answers_unknown = 1;
        result.problem = "answer: " + (report->empty() ? std::string("empty report") : report->front().message);
        return;
    }
    result.answers_ok = 1;
    const farmer::HttpResponse status = client.http().get(client.path("/status/show/" + result.farmer_id));
    if (status.status != 200) {
        result.problem = "status: " + farmer::describe_failure(status);
        return;
    }
    result.ok = true;
}

void loop(Shared& shared) {
    farmer::FarmerOptions options;
    options.http.endpoint = endpoint(shared.plan.via);
    options.http.timeout_seconds = 60;
    farmer::FarmerClient client(options);
    const std::string address = next_address();
    while (shared.more()) {
        const std::size_t sent_before = client.http().requests_sent();
        CycleResult result;
        try {
            cycle(client, address, shared.plan.chunk_size, result);
        } catch (const std::exception& e) {
            result.problem = e.what();
            // Failed after the draw: the answer may have been sent and counted.
            if (result.answers_ok == 0 && !result.seeds.empty()) result.answers_unknown = 1;
        }
        const std::size_t sent = client.http().requests_sent() - sent_before;
        std::lock_guard<std::mutex> lock(shared.mutex);
        OnboardingTally& t = shared.tally;
        t.requests += static_cast<std::int64_t>(sent);
        t.answers_ok += result.answers_ok;
        t.answers_unknown += result.answers_unknown;
        t.seeds.insert(t.seeds.end(), result.seeds.begin(), result.seeds.end());
        if (result.answers_ok) t.ok_by_farmer[result.farmer_id] += result.answers_ok;
        if (result.ok) {
            ++t.cycles;
        } else {
            ++t.failed_cycles;
            if (t.problems.size() < 5) t.problems.push_back(result.problem);
        }
    }
}

}  // namespace

OnboardingTally run_onboarding(const OnboardingPlan& plan) {
    const Clock::time_point start = Clock::now();
    Shared shared(plan, start + plan.duration);
    std::vector<std::thread> threads;
    std::mutex failure_mutex;
    std::string failure;
    for (int i = 0; i < plan.threads; ++i)
        threads.emplace_back([&] {
            try {
                loop(shared);
            } catch (const std::exception& e) {
                std::lock_guard<std::mutex> lock(failure_mutex);
                failure = e.what();
            }
        });
    for (auto& t : threads) t.join();
    shared.tally.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    if (!failure.empty()) shared.tally.problems.push_back("a load thread stopped: " + failure);
    return std::move(shared.tally);
}

}  // namespace downstream::testing::cluster
