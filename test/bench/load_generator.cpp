// A farmer load generator: F simulated farmers, each with its own address, IP, token and
// contracts, driven by T client threads over HTTP/1.1 keep-alive connections to a local node
// (loopback only). Every request is the shipped client's (test/farmer's FarmerClient, one
// per farmer, accepting gzip replies as python-requests does), every proof is real: computed
// over the file regenerated in memory from its seed. Phases, each bounded in count and in time:
//
//   farmers     F tokens (GET /new/<address>, one per farmer, X-Forwarded-For its own IP)
//   contracts   GET /chunk/<token>/<bytes> until the farmers hold --status-contracts
//   status      GET of each --status-path at that shape (e.g. 270 farmers / 4,000 contracts)
//   tokens      --tokens more tokens, each from a new IP: tokens/s
//   contracts   GET /chunk until the farmers hold --contracts in all: contracts issued/s
//   proofs/1    POST /answer/<token>, one proof per request, --batch1-proofs in all, on
//               --batch1-threads threads (default: --threads)
//   proofs/100  POST /answer/<token>, 100 proofs per request, every contract left
//
// Proofs are computed before their phase (the generator's own proving rate is reported),
// so that the timed window holds only HTTP work on the generator's side. A proof phase
// answers each contract's first challenge once, so the node's interval must outlast the run.
//
// Reports per phase: the rate, p50/p99 latency per route, errors (any HTTP failure, any
// non-"ok" entry), the generator's CPU use and the machine's, and at the end each worker's
// peak RSS (--serve-pid: the pool master; workers are its children). Lines starting with
// "result " are key=value figures for scripts/bench-node.sh.
//
//   load_generator --url http://127.0.0.1:PORT [--farmers 270] [--threads 8]
//                  [--chunk-size 32768] [--chunks-per-request 10] [--status-contracts 4000]
//                  [--status-requests 2000] [--status-path /status/list]...
//                  [--tokens 10000] [--contracts 40000] [--batch1-proofs 10000]
//                  [--batch1-threads T]
//                  [--phase-seconds 60] [--serve-pid PID] [--phrase TEXT]
//   load_generator --write-whitelist FILE [--farmers 270] [--phrase TEXT]
#include "farmer/farmer_client.h"
#include "farmer/farmer_key.h"
#include "identity/token.h"
#include "json/json_parse.h"

#include <sys/resource.h>
#include <time.h>
#include <dirent.h>
#include <malloc.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

using namespace downstream;
using Clock = std::chrono::steady_clock;

namespace {

struct Options {
    std::string url;
    int farmers = 270;
    int threads = 8;
    std::int64_t chunk_size = 32768;
    int chunks_per_request = 10;
    int status_contracts = 4000;
    int status_requests = 2000;
    std::vector<std::string> status_paths;
    int tokens = 10000;
    int contracts = 40000;
    int batch1_proofs = 10000;
    int batch1_threads = 0;  // 0: --threads
    int batch_size = 100;
    double phase_seconds = 60;
    int serve_pid = 0;
    std::string phrase = "downstream bench farmer";
    std::string whitelist_out;
};

double seconds_between(Clock::time_point a, Clock::time_point b) {
    return std::chrono::duration<double>(b - a).count();
}

// ---- latency and error bookkeeping ---------------------------------------------------------

struct Samples {
    std::vector<double> ms;  // one per request
    long errors = 0;
    std::string first_error;

    void merge(const Samples& o) {
        ms.insert(ms.end(), o.ms.begin(), o.ms.end());
        errors += o.errors;
        if (first_error.empty()) first_error = o.first_error;
    }
    void error(const std::string& what, long count = 1) {
        errors += count;
        if (first_error.empty()) first_error = what;
    }
    double percentile(double p) const {
        if (ms.empty()) return 0;
        std::vector<double> sorted = ms;
        std::sort(sorted.begin(), sorted.end());
        const std::size_t i = std::min(sorted.size() - 1, static_cast<std::size_t>(p * static_cast<double>(sorted.size())));
        return sorted[i];
    }
};

// Per route, for one thread; merged after the phase.
using RouteSamples = std::map<std::string, Samples>;

// CPU time of this process and of the whole machine, to tell who was busy in a phase.
struct CpuMark {
    double self = 0;         // this process: user + system seconds
    long long busy = 0;      // machine: jiffies not idle
    long long total = 0;

    static CpuMark now() {
        CpuMark m;
        rusage ru{};
        getrusage(RUSAGE_SELF, &ru);
        m.self = static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
                 static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1e-6;
        std::ifstream stat("/proc/stat");
        std::string cpu;
        long long v[10] = {};
        stat >> cpu;
        for (long long& x : v) stat >> x;
        for (long long x : v) m.total += x;
        m.busy = m.total - v[3] - v[4];  // idle, iowait
        return m;
    }
};

struct PhaseReport {
    std::string name;
    double seconds = 0;
    int threads = 0;  // client threads, each with one request in flight at a time
    long units = 0;  // tokens, contracts or proofs done
    RouteSamples routes;
    double generator_cores = 0;  // cores the generator used on average
    double machine_busy = 0;     // share of all cores busy
    bool timed_out = false;
};

// ---- worker RSS ----------------------------------------------------------------------------

std::vector<int> children_of(int pid) {
    std::vector<int> out;
    DIR* dir = opendir("/proc");
    if (!dir) return out;
    while (dirent* e = readdir(dir)) {
        const int child = std::atoi(e->d_name);
        if (child <= 0) continue;
        std::ifstream stat("/proc/" + std::to_string(child) + "/stat");
        std::string line;
        if (!std::getline(stat, line)) continue;
        const std::size_t close = line.rfind(')');
        if (close == std::string::npos) continue;
        std::istringstream rest(line.substr(close + 2));
        char state = 0;
        int ppid = 0;
        rest >> state >> ppid;
        if (ppid == pid) out.push_back(child);
    }
    closedir(dir);
    return out;
}

// A /proc/PID/status field in KiB (VmRSS, VmHWM), 0 if unreadable.
long status_kib(int pid, const std::string& field) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(status, line))
        if (line.rfind(field + ":", 0) == 0) return std::atol(line.c_str() + field.size() + 1);
    return 0;
}

// Samples the workers' RSS every 200 ms; peak per worker pid (VmHWM read at each sample too,
// so a worker that is replaced still counts).
class RssMonitor {
public:
    explicit RssMonitor(int master) : master_(master) {
        if (master_ > 0) thread_ = std::thread([this] { loop(); });
    }
    ~RssMonitor() { stop(); }
    void stop() {
        stop_ = true;
        if (thread_.joinable()) thread_.join();
    }
    std::map<int, long> peaks_kib() {
        sample();
        std::lock_guard<std::mutex> lock(mutex_);
        return peaks_;
    }

private:
    void loop() {
        while (!stop_) {
            sample();
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
        }
    }
    void sample() {
        for (int pid : children_of(master_)) {
            const long kib = std::max(status_kib(pid, "VmHWM"), status_kib(pid, "VmRSS"));
            std::lock_guard<std::mutex> lock(mutex_);
            long& peak = peaks_[pid];
            peak = std::max(peak, kib);
        }
    }
    int master_;
    std::atomic<bool> stop_{false};
    std::thread thread_;
    std::mutex mutex_;
    std::map<int, long> peaks_;
};

// ---- farmers -------------------------------------------------------------------------------

struct Farmer {
    std::string address;
    std::string ip;
    std::unique_ptr<farmer::FarmerClient> client;
    std::vector<farmer::Contract> contracts;
    int contract_quota = 0;  // contracts wanted so far
    int failures = 0;        // failed contract requests
    bool pool_empty = false;
};

std::string ip_for(int a, int n) {  // 10.a.x.y / 11.x.y.z: one address per farmer or token
    return std::to_string(10 + a) + "." + std::to_string((n >> 16) & 255) + "." +
           std::to_string((n >> 8) & 255) + "." + std::to_string(n & 255);
}

std::string farmer_address(const Options& o, int i) {
    return farmer::FarmerKey::from_phrase(o.phrase + " " + std::to_string(i),
                                          identity::KeyForm::Compressed)
        .address();
}

farmer::FarmerOptions client_options(const farmer::Endpoint& endpoint, const std::string& ip) {
    farmer::FarmerOptions options;
    options.http.endpoint = endpoint;
    options.http.forwarded_for = ip;
    options.http.accept_gzip = true;  // python-requests' default header: nginx may gzip replies
    options.regenerate_files = false;  // regenerated when proving; keeps the generator small
    return options;
}

// Runs body(thread index) on T threads; returns the phase's wall time and CPU use.
PhaseReport run_phase(const std::string& name, int threads,
                      const std::function<void(int, RouteSamples&, long&)>& body) {
    PhaseReport report;
    report.name = name;
    report.threads = threads;
    std::vector<RouteSamples> per_thread(static_cast<std::size_t>(threads));
    std::vector<long> units(static_cast<std::size_t>(threads), 0);
    const CpuMark cpu_before = CpuMark::now();
    const Clock::time_point start = Clock::now();
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t)
        pool.emplace_back([&, t] {
            try {
                body(t, per_thread[static_cast<std::size_t>(t)], units[static_cast<std::size_t>(t)]);
            } catch (const std::exception& e) {
                per_thread[static_cast<std::size_t>(t)]["(thread)"].error(e.what());
            }
        });
    for (auto& th : pool) th.join();
    report.seconds = seconds_between(start, Clock::now());
    const CpuMark cpu_after = CpuMark::now();
    // For slicing a system-wide profile by phase: perf record -k CLOCK_MONOTONIC, then
    // perf report --time <start>,<end> with the figures printed here.
    if (std::getenv("LOADGEN_PHASE_MARKS")) {
        timespec now{};
        clock_gettime(CLOCK_MONOTONIC, &now);
        const double end = static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) / 1e9;
        std::fprintf(stderr, "phase %s monotonic %.6f,%.6f\n", name.c_str(), end - report.seconds, end);
    }
    for (const auto& routes : per_thread)
        for (const auto& [route, samples] : routes) report.routes[route].merge(samples);
    for (long u : units) report.units += u;
    report.generator_cores = (cpu_after.self - cpu_before.self) / std::max(report.seconds, 1e-9);
    const long long total = cpu_after.total - cpu_before.total;
    report.machine_busy = total > 0 ? static_cast<double>(cpu_after.busy - cpu_before.busy) /
                                          static_cast<double>(total)
                                    : 0;
    return report;
}

long total_errors(const PhaseReport& p) {
    long n = 0;
    for (const auto& [route, s] : p.routes) n += s.errors;
    return n;
}

void print_phase(const PhaseReport& p, const char* unit) {
    std::printf("%-11s %7ld %-9s in %6.2f s = %9.1f/s  on %d threads  errors %ld  generator %.2f cores, machine %3.0f%% busy%s\n",
                p.name.c_str(), p.units, unit, p.seconds, static_cast<double>(p.units) / p.seconds, p.threads,
                total_errors(p), p.generator_cores, p.machine_busy * 100,
                p.timed_out ? "  (time limit)" : "");
    for (const auto& [route, s] : p.routes) {
        std::printf("    %-24s %7zu requests  p50 %8.2f ms  p99 %8.2f ms  errors %ld%s%s\n",
                    route.c_str(), s.ms.size(), s.percentile(0.50), s.percentile(0.99), s.errors,
                    s.first_error.empty() ? "" : "  first: ",
                    s.first_error.substr(0, 160).c_str());
    }
    std::fflush(stdout);
}

std::string key_of(std::string route) {  // "answer/100" -> "answer_100"
    for (char& c : route)
        if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
    return route;
}

void print_result(const PhaseReport& p, const std::string& key) {
    std::printf("result %s_per_s=%.1f %s_count=%ld %s_seconds=%.3f %s_errors=%ld %s_generator_cores=%.2f %s_machine_busy=%.2f %s_threads=%d\n",
                key.c_str(), static_cast<double>(p.units) / p.seconds, key.c_str(), p.units,
                key.c_str(), p.seconds, key.c_str(), total_errors(p), key.c_str(),
                p.generator_cores, key.c_str(), p.machine_busy, key.c_str(), p.threads);
    for (const auto& [route, s] : p.routes)
        std::printf("result %s_%s_p50_ms=%.3f %s_%s_p99_ms=%.3f %s_%s_requests=%zu\n", key.c_str(),
                    key_of(route).c_str(), s.percentile(0.5), key.c_str(), key_of(route).c_str(),
                    s.percentile(0.99), key.c_str(), key_of(route).c_str(), s.ms.size());
    std::fflush(stdout);
}

// One timed request: records its latency; a network failure (the client throws) is an error
// and gives nullopt, so one failure never ends a thread's work.
template <class F>
auto timed(Samples& s, F&& request) -> std::optional<decltype(request())> {
    const Clock::time_point t0 = Clock::now();
    try {
        auto result = request();
        s.ms.push_back(seconds_between(t0, Clock::now()) * 1000);
        return result;
    } catch (const std::exception& e) {
        s.ms.push_back(seconds_between(t0, Clock::now()) * 1000);
        s.error(e.what());
        return std::nullopt;
    }
}

// ---- the phases ----------------------------------------------------------------------------

class LoadGenerator {
public:
    LoadGenerator(Options options, farmer::Endpoint endpoint)
        : o_(std::move(options)), endpoint_(std::move(endpoint)) {}

    int run() {
        std::printf("load generator: %d farmers, %d threads, %s:%d, chunks of %lld bytes, %d per request\n",
                    o_.farmers, o_.threads, endpoint_.host.c_str(), endpoint_.port,
                    static_cast<long long>(o_.chunk_size), o_.chunks_per_request);
        RssMonitor rss(o_.serve_pid);
        long errors = 0;
        // Prints a phase's line (and its "result" figures under `key`) and counts its errors.
        const auto report = [&errors](const PhaseReport& p, const char* unit, const char* key) {
            print_phase(p, unit);
            if (key) print_result(p, key);
            errors += total_errors(p);
        };
        make_farmers();

        PhaseReport farmers = run_phase("farmers", o_.threads, [&](int t, RouteSamples& r, long& n) {
            for (std::size_t f = static_cast<std::size_t>(t); f < farmers_.size(); f += static_cast<std::size_t>(o_.threads)) {
                Farmer& farmer = farmers_[f];
                auto s = timed(r["new"], [&] { return farmer.client->request_token(farmer.address); });
                if (s && !*s) r["new"].error(s->error().message);
                else if (s) ++n;
            }
        });
        report(farmers, "tokens", nullptr);

        set_quota(o_.status_contracts);
        PhaseReport contracts1 = contract_phase("contracts");
        report(contracts1, "contracts", nullptr);

        report(status_phase(), "requests", "status");

        report(token_phase(), "tokens", "tokens");

        set_quota(o_.contracts);
        PhaseReport contracts2 = contract_phase("contracts");
        report(contracts2, "contracts", nullptr);
        // Both contract phases together: the issuing rate over every contract.
        PhaseReport contracts = contracts2;
        contracts.units += contracts1.units;
        contracts.seconds += contracts1.seconds;
        for (const auto& [route, s] : contracts1.routes) contracts.routes[route].merge(s);
        print_result(contracts, "contracts");
        long held = 0;
        for (const Farmer& f : farmers_) held += static_cast<long>(f.contracts.size());
        std::printf("contracts held: %ld%s\n", held,
                    held < o_.contracts ? " (the pool ran dry or time ran out)" : "");

        // Contracts for the single-proof phase: an equal share of each farmer's, from the
        // front; the rest, in whole batches, for the batched phase.
        const int per_farmer_1 = (o_.batch1_proofs + o_.farmers - 1) / o_.farmers;
        report(proof_phase("proofs/1", 1, 0, per_farmer_1, o_.batch1_threads ? o_.batch1_threads : o_.threads),
               "proofs", "proofs1");
        report(proof_phase("proofs/100", o_.batch_size, per_farmer_1, -1, o_.threads), "proofs", "proofs100");

        rss.stop();
        long peak = 0;
        std::string per_worker;
        for (const auto& [pid, kib] : rss.peaks_kib()) {
            peak = std::max(peak, kib);
            per_worker += " " + std::to_string(pid) + ":" + std::to_string(kib / 1024) + "MiB";
        }
        std::printf("worker peak RSS:%s\n", per_worker.empty() ? " (no --serve-pid)" : per_worker.c_str());
        std::printf("result worker_peak_rss_mib=%.1f workers_seen=%zu\n", static_cast<double>(peak) / 1024,
                    rss.peaks_kib().size());
        std::printf("result errors=%ld\n", errors);
        return 0;
    }

private:
    void make_farmers() {
        farmers_.resize(static_cast<std::size_t>(o_.farmers));
        for (int i = 0; i < o_.farmers; ++i) {
            Farmer& f = farmers_[static_cast<std::size_t>(i)];
            f.address = farmer_address(o_, i);
            f.ip = ip_for(0, i + 1);
            f.client = std::make_unique<farmer::FarmerClient>(client_options(endpoint_, f.ip));
        }
    }

    // Spreads `total` contracts over the farmers (the first ones get one more).
    void set_quota(int total) {
        const int n = o_.farmers;
        for (int i = 0; i < n; ++i)
            farmers_[static_cast<std::size_t>(i)].contract_quota = total / n + (i < total % n ? 1 : 0);
    }

    PhaseReport contract_phase(const std::string& name) {
        const Clock::time_point deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                                              std::chrono::duration<double>(o_.phase_seconds));
        std::atomic<bool> timed_out{false};
        PhaseReport report = run_phase(name, o_.threads, [&](int t, RouteSamples& r, long& n) {
            // Round robin over this thread's farmers, one request each, until all have their
            // quota (or the pool runs dry for them).
            bool more = true;
            while (more) {
                more = false;
                for (std::size_t f = static_cast<std::size_t>(t); f < farmers_.size(); f += static_cast<std::size_t>(o_.threads)) {
                    Farmer& farmer = farmers_[f];
                    const int missing = farmer.contract_quota - static_cast<int>(farmer.contracts.size());
                    if (missing <= 0 || farmer.pool_empty || farmer.client->token().empty()) continue;
                    if (Clock::now() > deadline) {
                        timed_out = true;
                        return;
                    }
                    const int chunks = std::min(missing, o_.chunks_per_request);
                    auto got = timed(r["chunk"], [&] {
                        return farmer.client->request_contracts(o_.chunk_size * chunks);
                    });
                    if (!got || !*got) {
                        if (got) r["chunk"].error(got->error().message);
                        // Counted; a farmer whose requests keep failing stops asking.
                        if (++farmer.failures >= 3) farmer.pool_empty = true;
                        more = true;
                        continue;
                    }
                    if ((*got)->empty()) {
                        farmer.pool_empty = true;
                        r["chunk"].error("the pool has no chunk left");
                        continue;
                    }
                    n += static_cast<long>((*got)->size());
                    for (auto& c : **got) farmer.contracts.push_back(std::move(c));
                    more = true;
                }
            }
        });
        report.timed_out = timed_out;
        return report;
    }

    PhaseReport status_phase() {
        std::vector<std::string> paths = o_.status_paths;
        // Always one farmer's own row as well (status/show is served by the node today).
        if (!farmers_.empty() && !farmers_.front().client->token().empty()) {
            const auto token = identity::Token::parse(farmers_.front().client->token());
            if (token) paths.push_back("/status/show/" + token->farmer_id());
        }
        std::atomic<long> next{0};
        const long total = static_cast<long>(o_.status_requests) * static_cast<long>(paths.size());
        std::vector<std::unique_ptr<farmer::HttpClient>> clients;
        for (int t = 0; t < o_.threads; ++t) {
            farmer::HttpClientOptions options;
            options.endpoint = endpoint_;
            options.accept_gzip = true;  // as every browser polling the status page
            clients.push_back(std::make_unique<farmer::HttpClient>(options));
        }
        // A route this node does not serve (404) is reported as such, not as errors.
        std::unique_ptr<std::atomic<bool>[]> not_served(new std::atomic<bool>[paths.size()]);
        for (std::size_t p = 0; p < paths.size(); ++p) not_served[p] = false;
        PhaseReport report = run_phase("status", o_.threads, [&](int t, RouteSamples& r, long& n) {
            farmer::HttpClient& http = *clients[static_cast<std::size_t>(t)];
            for (long i = next++; i < total; i = next++) {
                const std::size_t p = static_cast<std::size_t>(i) % paths.size();
                if (not_served[p]) continue;
                const std::string& path = paths[p];
                // Route label: the path without the farmer id.
                const std::string label = path.rfind("/status/show/", 0) == 0 ? "status/show" : path.substr(1);
                Samples& s = r[label];
                const auto response =
                    timed(s, [&] { return http.get(std::string(farmer::kClientPrefix) + path); });
                if (response && response->status == 404) {
                    not_served[p] = true;
                    s.ms.pop_back();
                } else if (response && response->status != 200) {
                    s.error(farmer::describe_failure(*response));
                } else if (response) {
                    ++n;
                }
            }
        });
        for (std::size_t p = 0; p < paths.size(); ++p)
            if (not_served[p]) std::printf("status: %s is not served by this node (404)\n", paths[p].c_str());
        return report;
    }

    PhaseReport token_phase() {
        std::atomic<long> next{0};
        const long total = o_.tokens;
        std::vector<std::unique_ptr<farmer::FarmerClient>> clients;
        for (int t = 0; t < o_.threads; ++t)
            clients.push_back(std::make_unique<farmer::FarmerClient>(client_options(endpoint_, "")));
        const Clock::time_point deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                                              std::chrono::duration<double>(o_.phase_seconds));
        std::atomic<bool> timed_out{false};
        PhaseReport report = run_phase("tokens", o_.threads, [&](int t, RouteSamples& r, long& n) {
            farmer::FarmerClient& client = *clients[static_cast<std::size_t>(t)];
            for (long i = next++; i < total; i = next++) {
                if (Clock::now() > deadline) {
                    timed_out = true;
                    return;
                }
                // A new IP for every token (the per-IP limit stays out of the way), the
                // addresses of the farmers in turn.
                client.http().set_forwarded_for(ip_for(1, static_cast<int>(i) + 1));
                const std::string& address = farmers_[static_cast<std::size_t>(i) % farmers_.size()].address;
                auto s = timed(r["new"], [&] { return client.request_token(address); });
                if (s && !*s) r["new"].error(s->error().message);
                else if (s) ++n;
            }
        });
        report.timed_out = timed_out;
        return report;
    }

    // Answers contracts [from, to) of every farmer (to = -1: to the end, in whole batches),
    // `batch` proofs per request, each contract's current challenge once.
    PhaseReport proof_phase(const std::string& name, int batch, int from, int to, int threads) {
        // One request body per batch, proven beforehand (not timed).
        struct Request {
            Farmer* farmer;
            std::string body;
            int proofs;
        };
        std::vector<std::vector<Request>> per_farmer(farmers_.size());
        std::atomic<std::size_t> next_farmer{0};
        std::atomic<long> proven{0}, prove_errors{0};
        std::string prove_error;
        std::mutex prove_error_mutex;
        const Clock::time_point prove_start = Clock::now();
        std::vector<std::thread> provers;
        for (int t = 0; t < threads; ++t)
            provers.emplace_back([&] {
                for (std::size_t f = next_farmer++; f < farmers_.size(); f = next_farmer++) {
                    Farmer& farmer = farmers_[f];
                    const int held = static_cast<int>(farmer.contracts.size());
                    const int end = to < 0 ? from + (std::max(0, held - from) / batch) * batch
                                           : std::min(held, to);
                    for (int first = from; first + batch <= end; first += batch) {
                        std::string body = "{\"proofs\":[";
                        for (int k = first; k < first + batch; ++k) {
                            const farmer::Contract& c = farmer.contracts[static_cast<std::size_t>(k)];
                            auto proof = farmer.client->prove(c);
                            if (!proof) {
                                ++prove_errors;
                                std::lock_guard<std::mutex> lock(prove_error_mutex);
                                prove_error = proof.error().message;
                                continue;
                            }
                            if (k > first) body += ",";
                            body += "{\"file_hash\":\"" + c.file_hash + "\",\"proof\":" + *proof + "}";
                            ++proven;
                        }
                        body += "]}";
                        per_farmer[f].push_back(Request{&farmer, std::move(body), batch});
                    }
                }
            });
        for (auto& th : provers) th.join();
        const double prove_seconds = seconds_between(prove_start, Clock::now());
        std::printf("%-11s %ld proofs made by the generator in %.2f s (%.0f/s on %d threads)%s%s\n",
                    name.c_str(), proven.load(), prove_seconds, static_cast<double>(proven.load()) / prove_seconds,
                    threads, prove_errors ? ", failures: " : "", prove_error.c_str());

        // Round robin over this thread's farmers, one request each.
        const Clock::time_point deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                                              std::chrono::duration<double>(o_.phase_seconds));
        std::atomic<bool> timed_out{false};
        const std::string label = "answer/" + std::to_string(batch);
        PhaseReport report = run_phase(name, threads, [&](int t, RouteSamples& r, long& n) {
            Samples& s = r[label];
            std::vector<std::size_t> mine;
            for (std::size_t f = static_cast<std::size_t>(t); f < farmers_.size(); f += static_cast<std::size_t>(threads))
                mine.push_back(f);
            std::vector<std::size_t> cursor(farmers_.size(), 0);
            bool more = true;
            while (more) {
                more = false;
                for (std::size_t f : mine) {
                    if (cursor[f] >= per_farmer[f].size()) continue;
                    if (Clock::now() > deadline) {
                        timed_out = true;
                        return;
                    }
                    const Request& q = per_farmer[f][cursor[f]++];
                    more = true;
                    farmer::FarmerClient& client = *q.farmer->client;
                    const auto response = timed(s, [&] {
                        return client.http().post_json(client.path("/answer/" + client.token()), q.body,
                                                       {{"Content-Encoding", "gzip"}});
                    });
                    if (response) count_report(*response, q.proofs, s, n);
                    else s.errors += q.proofs - 1;  // the whole batch failed
                }
            }
        });
        report.timed_out = timed_out;
        return report;
    }

    // Counts the "ok" entries of an answer report; everything else is an error.
    static void count_report(const farmer::HttpResponse& response, int proofs, Samples& s, long& ok) {
        if (response.status != 200) {
            s.error(farmer::describe_failure(response), proofs);
            return;
        }
        auto doc = json::parse_json(response.body);
        if (!doc || !(*doc)->IsObject() || !(*doc)->HasMember("report") || !(**doc)["report"].IsArray()) {
            s.error("malformed answer reply: " + response.body.substr(0, 120), proofs);
            return;
        }
        long good = 0;
        const json::Value& report = (**doc)["report"];
        if (static_cast<int>(report.Size()) != proofs)
            s.error("a report of " + std::to_string(report.Size()) + " entries for " +
                    std::to_string(proofs) + " proofs", std::abs(proofs - static_cast<int>(report.Size())));
        for (const json::Value& entry : report.GetArray()) {
            if (entry.IsObject() && entry.HasMember("status") && entry["status"].IsString() &&
                std::string(entry["status"].GetString()) == "ok") {
                ++good;
            } else {
                json::Buffer b;
                json::Writer w(b);
                entry.Accept(w);
                s.error(std::string(b.GetString(), b.GetSize()).substr(0, 160));
            }
        }
        ok += good;
    }

    Options o_;
    farmer::Endpoint endpoint_;
    std::vector<Farmer> farmers_;
};

int usage(const std::string& problem) {
    std::fprintf(stderr,
                 "load_generator: %s\nusage: load_generator --url http://127.0.0.1:PORT [--farmers F] "
                 "[--threads T] [--chunk-size B] [--chunks-per-request N] [--status-contracts N] "
                 "[--status-requests N] [--status-path P]... [--tokens N] [--contracts N] "
                 "[--batch1-proofs N] [--batch1-threads T] [--phase-seconds S] [--serve-pid PID] [--phrase TEXT]\n"
                 "       load_generator --write-whitelist FILE [--farmers F] [--phrase TEXT]\n",
                 problem.c_str());
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    // The generator shares the machine with what it measures, so it should not waste CPU on
    // page faults. Each /chunk reply (about 240 KB) and its parsing copy are freed right after
    // use; with glibc's defaults the arena's top was then returned to the system and faulted
    // back in (zeroed) for the next reply. Keeping freed memory mapped took the generator's
    // page clearing from 6.1 % to 3.2 % of the machine in that phase (perf; the rest is the
    // contracts it keeps for the proof phases). Its footprint is not what is measured.
    mallopt(M_MMAP_THRESHOLD, 64 << 20);
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (i + 1 >= argc) return usage("argument " + arg + " needs a value");
        const std::string value = argv[++i];
        const int number = std::atoi(value.c_str());
        if (arg == "--url") o.url = value;
        else if (arg == "--farmers") o.farmers = number;
        else if (arg == "--threads") o.threads = number;
        else if (arg == "--chunk-size") o.chunk_size = std::atoll(value.c_str());
        else if (arg == "--chunks-per-request") o.chunks_per_request = number;
        else if (arg == "--status-contracts") o.status_contracts = number;
        else if (arg == "--status-requests") o.status_requests = number;
        else if (arg == "--status-path") o.status_paths.push_back(value);
        else if (arg == "--tokens") o.tokens = number;
        else if (arg == "--contracts") o.contracts = number;
        else if (arg == "--batch1-proofs") o.batch1_proofs = number;
        else if (arg == "--batch1-threads") o.batch1_threads = number;
        else if (arg == "--batch-size") o.batch_size = number;
        else if (arg == "--phase-seconds") o.phase_seconds = std::atof(value.c_str());
        else if (arg == "--serve-pid") o.serve_pid = number;
        else if (arg == "--phrase") o.phrase = value;
        else if (arg == "--write-whitelist") o.whitelist_out = value;
        else return usage("unknown argument " + arg);
    }
    if (o.farmers < 1 || o.threads < 1 || o.chunk_size < 1 || o.chunks_per_request < 1 || o.batch_size < 1 ||
        o.batch1_threads < 0)
        return usage("counts must be positive");
    if (!o.whitelist_out.empty()) {
        std::ofstream out(o.whitelist_out);
        out << "address,crowdsale_balance\n";
        for (int i = 0; i < o.farmers; ++i) out << farmer_address(o, i) << ",1000000\n";
        return out ? 0 : 1;
    }
    if (o.url.empty()) return usage("--url is required");
    auto endpoint = farmer::parse_url(o.url);
    if (!endpoint) return usage(endpoint.error().message);
    if (endpoint->host != "127.0.0.1" && endpoint->host != "localhost" && endpoint->host != "::1")
        return usage("loopback only: the generator refuses " + endpoint->host);
    return LoadGenerator(o, *endpoint).run();
}
