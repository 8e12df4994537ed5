#include "farmer/farm_rounds.h"

#include <algorithm>
#include <thread>

namespace downstream::farmer {
namespace {

std::string short_hash(const std::string& hash) { return hash.substr(0, 10); }

// Proves and answers `live` in one batch; counts and logs the report.
void answer_round(FarmerClient& client, std::vector<Contract*>& live, FarmTally& tally,
                  std::ostream& log) {
    auto report = client.answer(live);
    if (!report) {
        tally.failure = "answer: " + report.error().message;
        log << "  answer failed: " << report.error().message << "\n";
        return;
    }
    int ok = 0;
    for (const FileReport& r : *report) {
        if (r.ok) {
            ++ok;
            continue;
        }
        ++tally.answer_errors;
        log << "  answer for " << short_hash(r.file_hash) << ": " << r.message << "\n";
    }
    tally.answers_ok += ok;
    log << "  answers: " << ok << " ok, " << (static_cast<int>(report->size()) - ok) << " errors\n";
}

// Fetches the next challenge of every contract in `live` (answered ones, after their due
// time), retrying those the node still reports answered; drops contracts the node ends.
void next_challenges(FarmerClient& client, std::vector<Contract*>& live, const FarmPlan& plan,
                     FarmTally& tally, std::ostream& log) {
    SteadyTime wake = std::chrono::steady_clock::now();
    for (const Contract* c : live) wake = std::max(wake, c->due_at);
    std::this_thread::sleep_until(wake + std::chrono::duration_cast<SteadyTime::duration>(
                                             std::chrono::duration<double>(plan.margin_seconds)));
    std::vector<Contract*> pending = live;
    std::vector<Contract*> fresh;
    for (int attempt = 0; !pending.empty() && attempt < 10; ++attempt) {
        if (attempt > 0) std::this_thread::sleep_for(std::chrono::seconds(1));
        auto report = client.update(pending);
        if (!report) {
            tally.failure = "challenge update: " + report.error().message;
            log << "  challenge update failed: " << report.error().message << "\n";
            return;
        }
        std::vector<Contract*> retry;
        for (const FileReport& r : *report) {
            auto it = std::find_if(pending.begin(), pending.end(),
                                   [&](const Contract* c) { return c->file_hash == r.file_hash; });
            if (it == pending.end()) continue;
            if (r.ok) {
                fresh.push_back(*it);
                ++tally.challenges_fetched;
            } else if (r.still_answered) {
                retry.push_back(*it);
            } else {
                ++tally.contracts_dropped;
                log << "  contract " << short_hash(r.file_hash) << " dropped: " << r.message << "\n";
            }
        }
        pending = retry;
    }
    for (const Contract* c : pending) {
        ++tally.contracts_dropped;
        log << "  contract " << short_hash(c->file_hash) << " dropped: no new challenge\n";
    }
    log << "  next challenges: " << fresh.size() << " of " << live.size() << "\n";
    live = fresh;
}

}  // namespace

FarmTally farm_rounds(FarmerClient& client, const FarmPlan& plan, std::ostream& log) {
    FarmTally tally;
    const int server = client.check_server();
    log << "GET / -> " << server << "\n";
    if (server < 200 || server >= 300) {
        tally.failure = "the server's / answered " + std::to_string(server);
        return tally;
    }

    Status token = plan.key ? client.request_signed_token(plan.address, "downstream test farmer",
                                                          plan.key->sign("downstream test farmer"))
                            : client.request_token(plan.address);
    if (!token) {
        tally.failure = "token: " + token.error().message;
        log << "token refused: " << token.error().message << "\n";
        return tally;
    }
    tally.connected = true;
    tally.token = client.token();
    log << "token " << client.token() << " (" << client.type() << ") for " << plan.address
        << (plan.key ? " (signed)" : "") << "\n";

    auto obtained = client.request_contracts(plan.size);
    if (!obtained) {
        tally.failure = "contracts: " + obtained.error().message;
        log << "contracts refused: " << obtained.error().message << "\n";
        return tally;
    }
    std::vector<Contract> contracts = std::move(obtained).value();
    tally.contracts = static_cast<int>(contracts.size());
    for (const Contract& c : contracts) tally.bytes += c.size;
    log << "contracts: " << contracts.size() << ", " << tally.bytes << " bytes\n";
    for (const Contract& c : contracts)
        log << "  " << short_hash(c.file_hash) << " size " << c.size << " due in " << c.due_seconds
            << " s\n";
    if (contracts.empty()) {
        tally.failure = "the node had no chunks for " + std::to_string(plan.size) + " bytes";
        return tally;
    }

    std::vector<Contract*> live;
    for (Contract& c : contracts) live.push_back(&c);
    for (int round = 1; round <= plan.rounds && !live.empty(); ++round) {
        log << "round " << round << ": " << live.size() << " contracts\n";
        if (round > 1) {
            next_challenges(client, live, plan, tally, log);
            if (!tally.failure.empty() || live.empty()) break;
        }
        answer_round(client, live, tally, log);
        if (!tally.failure.empty()) break;
        // Only accepted contracts go on to the next challenge.
        live.erase(std::remove_if(live.begin(), live.end(), [](const Contract* c) { return !c->answered; }),
                   live.end());
        tally.rounds_done = round;
    }
    log << "summary: token " << (tally.connected ? "ok" : "none") << ", contracts " << tally.contracts
        << ", answers " << tally.answers_ok << " ok / " << tally.answer_errors << " errors, challenges fetched "
        << tally.challenges_fetched << ", dropped " << tally.contracts_dropped << ", rounds "
        << tally.rounds_done << "/" << plan.rounds << "\n";
    return tally;
}

}  // namespace downstream::farmer
