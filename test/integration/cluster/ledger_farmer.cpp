#include "integration/cluster/ledger_farmer.h"

#include "farmer/farmer_client.h"
#include "integration/api/api_stack.h"

#include <algorithm>
#include <chrono>
#include <exception>
#include <thread>

namespace downstream::testing::cluster {
namespace {

// Ask for the next challenge this long after the due time the node announced (as
// farmer::farm_rounds: "due" is whole seconds).
constexpr auto kMargin = std::chrono::milliseconds(1200);

void note(FarmerLedger& ledger, const std::string& problem) {
    if (ledger.problems.size() < 5) ledger.problems.push_back(problem);
}

bool set(const std::atomic<bool>* flag) { return flag && flag->load(); }

// Proves and answers `live`; keeps the accepted ones.
void answer_round(farmer::FarmerClient& client, std::vector<farmer::Contract*>& live,
                  const FarmerPlan& plan, FarmerLedger& ledger) {
    const bool late = set(plan.mark);
    Result<std::vector<farmer::FileReport>> report = make_error("not sent");
    try {
        report = client.answer(live);
    } catch (const std::exception& e) {
        report = make_error(e.what());
    }
    if (!report) {
        ++ledger.request_failures;
        ledger.answers_unknown += static_cast<std::int64_t>(live.size());
        note(ledger, "answer: " + report.error().message);
        live.clear();
        return;
    }
    for (const farmer::FileReport& r : *report) {
        if (r.ok) {
            ++ledger.answers_ok;
            if (late) ++ledger.answers_ok_late;
        } else if (r.message == "challenge already answered") {
            ++ledger.answers_unknown;
            note(ledger, "answer: " + r.message);
        } else {
            ++ledger.answers_refused;
            note(ledger, "answer: " + r.message);
        }
    }
    live.erase(std::remove_if(live.begin(), live.end(),
                              [](const farmer::Contract* c) { return !c->answered; }),
               live.end());
}

// Waits for the due times, then fetches the next challenges (retrying entries the node still
// reports answered); keeps the contracts that got one.
void next_challenges(farmer::FarmerClient& client, std::vector<farmer::Contract*>& live,
                     FarmerLedger& ledger) {
    farmer::SteadyTime wake = std::chrono::steady_clock::now();
    for (const farmer::Contract* c : live) wake = std::max(wake, c->due_at);
    std::this_thread::sleep_until(wake + kMargin);
    std::vector<farmer::Contract*> pending = live;
    std::vector<farmer::Contract*> fresh;
    for (int attempt = 0; !pending.empty() && attempt < 5; ++attempt) {
        if (attempt > 0) std::this_thread::sleep_for(std::chrono::seconds(1));
        Result<std::vector<farmer::FileReport>> report = make_error("not sent");
        try {
            report = client.update(pending);
        } catch (const std::exception& e) {
            report = make_error(e.what());
        }
        if (!report) {
            ++ledger.request_failures;
            note(ledger, "challenges: " + report.error().message);
            continue;  // the same contracts again
        }
        std::vector<farmer::Contract*> retry;
        for (const farmer::FileReport& r : *report) {
            auto it = std::find_if(pending.begin(), pending.end(),
                                   [&](const farmer::Contract* c) { return c->file_hash == r.file_hash; });
            if (it == pending.end()) continue;
            if (r.ok) fresh.push_back(*it);
            else if (r.still_answered) retry.push_back(*it);
            else note(ledger, "challenge: " + r.message);
        }
        pending = retry;
    }
    live = fresh;
}

}  // namespace

void run_farmer(const FarmerPlan& plan, FarmerLedger& ledger) {
    farmer::FarmerOptions options;
    options.http.endpoint = endpoint(plan.via);
    options.http.timeout_seconds = 60;
    ledger.ip = next_ip();
    options.http.forwarded_for = ledger.ip;
    farmer::FarmerClient client(options);
    std::vector<farmer::Contract> contracts;
    try {
        ledger.address = next_address();
        if (Status token = client.request_token(ledger.address); !token) {
            ++ledger.request_failures;
            note(ledger, "token: " + token.error().message);
        } else {
            ledger.token = client.token();
            ledger.farmer_id = farmer_id_of(ledger.token);
        }
    } catch (const std::exception& e) {
        ++ledger.request_failures;
        note(ledger, std::string("token: ") + e.what());
    }
    // Always pass the gate: the other farmers wait for this one.
    if (plan.before_contracts) plan.before_contracts->arrive_and_wait();
    if (ledger.token.empty()) return;
    try {
        auto obtained = client.request_contracts(plan.size);
        if (!obtained) {
            ++ledger.request_failures;
            note(ledger, "contracts: " + obtained.error().message);
            return;
        }
        contracts = std::move(obtained).value();
    } catch (const std::exception& e) {
        ++ledger.request_failures;
        note(ledger, std::string("contracts: ") + e.what());
        return;
    }
    for (const farmer::Contract& c : contracts) {
        ledger.seeds.push_back(c.seed);
        ledger.contract_bytes += c.size;
    }

    std::vector<farmer::Contract*> live;
    for (farmer::Contract& c : contracts) live.push_back(&c);
    for (int round = 1; round <= plan.rounds && !live.empty() && !set(plan.stop); ++round) {
        if (round > 1) {
            next_challenges(client, live, ledger);
            if (live.empty()) break;
        }
        answer_round(client, live, plan, ledger);
        ledger.rounds_done = round;
    }
}

}  // namespace downstream::testing::cluster
