#include "integration/faults/load_farmer.h"

#include "encoding/hex.h"
#include "integration/api/api_stack.h"
#include "integration/store/store_fixture.h"
#include "json/json_parse.h"

#include <algorithm>
#include <chrono>
#include <exception>

namespace downstream::testing {
namespace {

using std::chrono::milliseconds;

// The node's reply for a challenge is whole seconds: ask for the next one this long after
// the local due time (as farm_rounds does).
constexpr milliseconds kFetchMargin{1200};
// Back-off after a request that got no decision.
constexpr milliseconds kRetryAfterFailure{150};

// JSON text in RapidJSON's compact form, so texts from the reply and from the database compare.
std::string canonical_json(const std::string& text) {
    auto doc = json::parse_json(text);
    if (!doc) return "<not JSON: " + text + ">";
    json::Buffer buffer;
    json::Writer writer(buffer);
    (*doc)->Accept(writer);
    return std::string(buffer.GetString(), buffer.GetSize());
}

// The message of an error reply ({"status":"error","message":...}), or empty.
std::string error_message(const farmer::HttpResponse& response) {
    auto doc = json::parse_json(response.body);
    if (!doc || !(*doc)->IsObject()) return {};
    const auto it = (*doc)->FindMember("message");
    if (it == (*doc)->MemberEnd() || !it->value.IsString()) return {};
    return it->value.GetString();
}

// Counts a request in flight for as long as it lives.
class InFlight {
public:
    explicit InFlight(std::atomic<int>& count) : count_(count) { ++count_; }
    ~InFlight() { --count_; }
    InFlight(const InFlight&) = delete;
    InFlight& operator=(const InFlight&) = delete;

private:
    std::atomic<int>& count_;
};

}  // namespace

struct LoadFarmer::Held {
    farmer::Contract contract;
    bool uncertain = false;       // an answer for the current challenge got no decision
    bool dropped = false;
    farmer::SteadyTime retry_at{};  // no answer / fetch before this
};

LoadFarmer::LoadFarmer(int number, std::size_t contracts, std::int64_t chunk_size)
    : number_(number), target_contracts_(contracts), chunk_size_(chunk_size) {
    TestFarmer farmer = new_farmer();
    client_ = std::move(farmer.client);
    token_ = client_->token();
}

LoadFarmer::~LoadFarmer() { stop(); }

void LoadFarmer::start(std::chrono::milliseconds delay) {
    thread_ = std::thread([this, delay] {
        const auto until = std::chrono::steady_clock::now() + delay;
        while (!stopping_ && std::chrono::steady_clock::now() < until) std::this_thread::sleep_for(milliseconds(10));
        run();
    });
}

void LoadFarmer::stop() {
    stopping_ = true;
    if (thread_.joinable()) thread_.join();
}

std::vector<LoadFarmer::HeldState> LoadFarmer::held() const {
    std::vector<HeldState> states;
    for (const auto& h : held_)
        if (!h->dropped)
            states.push_back(HeldState{h->contract.file_hash, canonical_json(h->contract.challenge_json),
                                       h->contract.answered});
    return states;
}

void LoadFarmer::note_failed_request() {
    ++ledger_.failed_requests;
    ++failed_;
}

void LoadFarmer::violation(const std::string& what) {
    ledger_.violations.push_back("farmer " + std::to_string(number_) + ": " + what);
}

void LoadFarmer::run() {
    try {
        while (!stopping_) {
            top_up();
            const auto now = std::chrono::steady_clock::now();
            std::vector<Held*> to_answer;
            std::vector<Held*> to_fetch;
            for (auto& h : held_) {
                if (h->dropped || h->retry_at > now) continue;
                if (!h->contract.answered) to_answer.push_back(h.get());
                else if (now >= h->contract.due_at + kFetchMargin) to_fetch.push_back(h.get());
            }
            if (!to_answer.empty()) {
                // Batches and single answers in turn, every third batch really gzipped.
                if (++round_ % 2 == 0) answer_singles(to_answer);
                else answer_batch(to_answer);
            }
            if (!to_fetch.empty()) fetch_challenges(to_fetch);
            held_.erase(std::remove_if(held_.begin(), held_.end(), [](const auto& h) { return h->dropped; }),
                        held_.end());
            std::this_thread::sleep_for(milliseconds(50));
        }
        // Answers still undecided when the load stops: the database says what they did.
        for (auto& h : held_)
            if (h->uncertain && !h->dropped) settle_from_database(*h, "at the end of the run");
    } catch (const std::exception& e) {
        violation(std::string("stopped by an exception: ") + e.what());
    } catch (...) {
        violation("stopped by an unknown exception (a failed assertion?)");
    }
}

void LoadFarmer::top_up() {
    const std::size_t live = held_.size();
    const auto now = std::chrono::steady_clock::now();
    if (live >= target_contracts_ || now < next_top_up_) return;
    const std::int64_t wanted = chunk_size_ * static_cast<std::int64_t>(target_contracts_ - live);
    try {
        auto contracts = client_->request_contracts(wanted);
        if (!contracts) {
            note_failed_request();
            next_top_up_ = now + kRetryAfterFailure;
            if (contracts.error().message.rfind("HTTP 4", 0) == 0)
                violation("GET /chunk refused: " + contracts.error().message);
            return;
        }
        if (contracts->empty()) {
            violation("the pool ran dry (GET /chunk gave no contract)");
            next_top_up_ = now + std::chrono::seconds(5);
            return;
        }
        for (farmer::Contract& c : *contracts) {
            auto held = std::make_unique<Held>();
            held->contract = std::move(c);
            held_.push_back(std::move(held));
            ++ledger_.contracts_taken;
        }
    } catch (const std::runtime_error&) {
        note_failed_request();
        next_top_up_ = now + kRetryAfterFailure;
    }
}

void LoadFarmer::decide(Held& held, const std::string& message) {
    farmer::Contract& c = held.contract;
    const auto key = std::make_pair(c.file_hash, canonical_json(c.challenge_json));
    if (message == "ok") {
        if (counted_[key]++ > 0) violation("challenge of " + c.file_hash + " acknowledged twice");
        ++ledger_.acknowledged;
        ++acknowledged_;
        c.answered = true;
        held.uncertain = false;
    } else if (message == "challenge already answered") {
        if (!held.uncertain) {
            violation("\"challenge already answered\" for " + c.file_hash +
                      " though no earlier answer of this challenge was sent or counted");
            c.answered = true;
            return;
        }
        if (counted_[key]++ > 0) violation("challenge of " + c.file_hash + " counted twice");
        ++ledger_.counted_unreplied;
        c.answered = true;
        held.uncertain = false;
    } else if (message == "contract expired") {
        if (held.uncertain) settle_from_database(held, "after its contract expired");
        else ++ledger_.contracts_lost;
        held.dropped = true;
    } else {
        violation("answer for " + c.file_hash + ": " + message);
        held.dropped = true;
    }
}

void LoadFarmer::settle_from_database(Held& held, const std::string& why) {
    farmer::Contract& c = held.contract;
    const std::string where = " FROM contracts WHERE file_hash = UNHEX('" + c.file_hash + "')";
    std::vector<std::string> answered;
    std::vector<std::string> challenge;
    // The database may be between two faults' restarts: try for a few seconds.
    for (int attempt = 0;; ++attempt) {
        try {
            answered = query_strings("SELECT CAST(answered AS CHAR)" + where);
            challenge = query_strings("SELECT CAST(challenge_json AS CHAR(8000))" + where);
            break;
        } catch (const std::exception&) {
            if (attempt >= 50) throw;
            std::this_thread::sleep_for(milliseconds(200));
        }
    }
    if (answered.size() != 1 || challenge.size() != 1) {
        violation("settling " + c.file_hash + " " + why + ": no single contract row");
        return;
    }
    if (canonical_json(challenge.front()) != canonical_json(c.challenge_json)) {
        violation("settling " + c.file_hash + " " + why + ": the node moved to a challenge the farmer never got");
        return;
    }
    held.uncertain = false;
    if (answered.front() == "1") {
        const auto key = std::make_pair(c.file_hash, canonical_json(c.challenge_json));
        if (counted_[key]++ > 0) violation("challenge of " + c.file_hash + " counted twice");
        ++ledger_.counted_unreplied;
        c.answered = true;
    } else {
        ++ledger_.settled_uncounted;
    }
}

void LoadFarmer::answer_batch(std::vector<Held*>& targets) {
    std::vector<farmer::Contract*> contracts;
    for (Held* h : targets) contracts.push_back(&h->contract);
    const auto failed = [&] {
        note_failed_request();
        for (Held* h : targets) {
            h->uncertain = true;
            h->retry_at = std::chrono::steady_clock::now() + kRetryAfterFailure;
        }
    };
    // answer() marks accepted contracts itself; decide() needs the state before.
    std::vector<bool> before;
    for (const farmer::Contract* c : contracts) before.push_back(c->answered);
    try {
        auto report = [&] {
            InFlight in_flight(answering_);
            return client_->answer(contracts, round_ % 3 == 0);
        }();
        if (!report) {
            if (report.error().message.rfind("HTTP 4", 0) == 0)
                violation("POST /answer refused: " + report.error().message);
            failed();
            return;
        }
        ++ledger_.batch_answers;
        if (report->size() != targets.size()) {
            violation("an answer report with " + std::to_string(report->size()) + " entries for " +
                      std::to_string(targets.size()) + " proofs");
            return;
        }
        for (std::size_t i = 0; i < targets.size(); ++i) {
            targets[i]->contract.answered = before[i];
            if ((*report)[i].file_hash != targets[i]->contract.file_hash) {
                violation("an answer report out of order");
                return;
            }
            decide(*targets[i], (*report)[i].message);
        }
    } catch (const std::runtime_error&) {
        for (std::size_t i = 0; i < targets.size(); ++i) targets[i]->contract.answered = before[i];
        failed();
    }
}

void LoadFarmer::answer_singles(std::vector<Held*>& targets) {
    for (Held* h : targets) {
        if (stopping_) return;
        auto proof = client_->prove(h->contract);
        if (!proof) {
            violation("proving " + h->contract.file_hash + ": " + proof.error().message);
            h->dropped = true;
            continue;
        }
        try {
            InFlight in_flight(answering_);
            const farmer::HttpResponse reply = client_->http().post_json(
                client_->path("/answer/" + token_ + "/" + h->contract.file_hash),
                "{\"proof\":" + *proof + "}", {{"Content-Encoding", "gzip"}});
            if (reply.status == 200 && reply.body == R"({"status":"ok"})") {
                ++ledger_.single_answers;
                decide(*h, "ok");
                continue;
            }
            if (reply.status == 400 && !error_message(reply).empty()) {
                ++ledger_.single_answers;
                decide(*h, error_message(reply));
                continue;
            }
            if (reply.status < 500) violation("single answer: HTTP " + std::to_string(reply.status) + " " + reply.body);
        } catch (const std::runtime_error&) {
        }
        note_failed_request();
        h->uncertain = true;
        h->retry_at = std::chrono::steady_clock::now() + kRetryAfterFailure;
    }
}

void LoadFarmer::fetch_challenges(std::vector<Held*>& targets) {
    std::vector<farmer::Contract*> contracts;
    for (Held* h : targets) contracts.push_back(&h->contract);
    const auto failed = [&] {
        note_failed_request();
        for (Held* h : targets) h->retry_at = std::chrono::steady_clock::now() + kRetryAfterFailure;
    };
    try {
        auto report = client_->update(contracts);
        if (!report) {
            if (report.error().message.rfind("HTTP 4", 0) == 0)
                violation("POST /challenge refused: " + report.error().message);
            failed();
            return;
        }
        for (const farmer::FileReport& r : *report) {
            auto it = std::find_if(targets.begin(), targets.end(),
                                   [&](const Held* h) { return h->contract.file_hash == r.file_hash; });
            if (it == targets.end()) {
                violation("a challenge list entry for a file not asked for: " + r.file_hash);
                continue;
            }
            Held& h = **it;
            if (r.ok) {
                ++ledger_.challenges_fetched;
                h.uncertain = false;
            } else if (r.still_answered) {
                h.retry_at = std::chrono::steady_clock::now() + milliseconds(500);
            } else if (r.message == "contract expired" || r.message == "no more challenges") {
                // Answered, but the next challenge was asked for too late (a long fault).
                ++ledger_.contracts_lost;
                h.dropped = true;
            } else {
                violation("challenge for " + r.file_hash + ": " + r.message);
                h.dropped = true;
            }
        }
    } catch (const std::runtime_error&) {
        failed();
    }
}

}  // namespace downstream::testing
