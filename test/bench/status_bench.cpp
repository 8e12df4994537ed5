// Latency of the status API through nginx against a seeded node (scripts/bench-status.sh
// seeds the database and starts the stack), one client at a time, and the memory of the
// workers that serve it. Every request carries a unique query string, so nginx's short
// status cache never answers: the figures are the node's.
//
//   build/bench/status_bench --url http://127.0.0.1:PORT --serve-pid PID --label TEXT
//                            [--requests N] [--full-lists N] [--small]
//
// Prints one table row per measurement: p50 and p99 in milliseconds, and for the unpaged
// list the time to read the whole body and its size; then the workers' resident memory.
// --small measures only status/list (the small-node case).
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <dirent.h>

namespace {

using Clock = std::chrono::steady_clock;

struct Options {
    std::string url;
    long serve_pid = 0;
    std::string label;
    int requests = 300;
    int full_lists = 3;
    bool small = false;
};

class Client {
public:
    explicit Client(const std::string& url) : uri_(url), session_(uri_.getHost(), uri_.getPort()) {
        session_.setKeepAlive(true);
        session_.setTimeout(Poco::Timespan(60, 0));
    }

    // GETs `path` (under /api/downstream/v1/), returns the body; throws on a non-200 status.
    std::string get(const std::string& path) {
        Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, "/api/downstream/v1/" + path,
                                       Poco::Net::HTTPMessage::HTTP_1_1);
        request.setKeepAlive(true);
        session_.sendRequest(request);
        Poco::Net::HTTPResponse response;
        std::istream& in = session_.receiveResponse(response);
        std::string body;
        Poco::StreamCopier::copyToString(in, body);
        if (response.getStatus() != Poco::Net::HTTPResponse::HTTP_OK)
            throw std::runtime_error("GET " + path + " answered " + std::to_string(response.getStatus()) + ": " +
                                     body.substr(0, 200));
        return body;
    }

private:
    Poco::URI uri_;
    Poco::Net::HTTPClientSession session_;
};

double ms_since(Clock::time_point start) {
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

double percentile(std::vector<double> values, double p) {
    std::sort(values.begin(), values.end());
    const std::size_t i = std::min(values.size() - 1, static_cast<std::size_t>(p * (values.size() - 1) + 0.5));
    return values[i];
}

std::string unique_query() {
    static long n = 0;
    return "?bench=" + std::to_string(++n) + "-" + std::to_string(Clock::now().time_since_epoch().count());
}

void row(const Options& o, const std::string& what, const std::vector<double>& ms, const std::string& extra = "") {
    std::printf("%-14s %-38s %6zu %9.2f %9.2f  %s\n", o.label.c_str(), what.c_str(), ms.size(),
                percentile(ms, 0.5), percentile(ms, 0.99), extra.c_str());
    std::fflush(stdout);
}

template <class Path>
std::vector<double> measure(Client& client, int n, Path path) {
    std::vector<double> ms;
    for (int i = 0; i < n; ++i) {
        const std::string p = path(i);
        const auto start = Clock::now();
        client.get(p + unique_query());
        ms.push_back(ms_since(start));
    }
    return ms;
}

// The farmer ids in `json` ({"farmers": [{"id": ...}]}), read without a parser.
std::vector<std::string> ids_in(const std::string& json) {
    std::vector<std::string> ids;
    for (std::size_t at = json.find("\"id\":\""); at != std::string::npos; at = json.find("\"id\":\"", at + 1))
        ids.push_back(json.substr(at + 6, 20));
    return ids;
}

std::vector<long> children_of(long pid) {
    std::vector<long> kids;
    DIR* proc = opendir("/proc");
    if (!proc) return kids;
    while (dirent* e = readdir(proc)) {
        const long child = std::strtol(e->d_name, nullptr, 10);
        if (child <= 0) continue;
        std::ifstream stat("/proc/" + std::to_string(child) + "/stat");
        std::string line;
        if (!std::getline(stat, line)) continue;
        // pid (comm) state ppid ...: comm may hold spaces, so read after the last ')'.
        std::istringstream rest(line.substr(line.rfind(')') + 1));
        std::string state;
        long ppid = 0;
        rest >> state >> ppid;
        if (ppid == pid) kids.push_back(child);
    }
    closedir(proc);
    std::sort(kids.begin(), kids.end());
    return kids;
}

// "VmRSS" or "VmHWM" of a process, in MiB.
double memory_mib(long pid, const std::string& field) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(status, line))
        if (line.rfind(field + ":", 0) == 0) return std::strtod(line.c_str() + field.size() + 1, nullptr) / 1024.0;
    return 0;
}

void memory_rows(const Options& o, const std::string& when) {
    if (o.serve_pid <= 0) return;
    for (long worker : children_of(o.serve_pid))
        std::printf("%-14s worker %-7ld %-23s RSS %7.1f MiB  peak %7.1f MiB\n", o.label.c_str(), worker,
                    when.c_str(), memory_mib(worker, "VmRSS"), memory_mib(worker, "VmHWM"));
    std::fflush(stdout);
}

int run(const Options& o) {
    Client client(o.url);
    // Warm up: every worker loads its index before it reports ready, but the first requests
    // also open database sessions and fill caches.
    for (int i = 0; i < 20; ++i) client.get("status/list/by/d/uptime/25" + unique_query());

    std::printf("%-14s %-38s %6s %9s %9s  %s\n", "farmers", "request", "n", "p50 ms", "p99 ms", "");
    if (o.small) {
        row(o, "GET status/list", measure(client, o.requests, [](int) { return std::string("status/list"); }));
        row(o, "GET status/list/by/d/uptime/25", measure(client, o.requests, [](int) {
                return std::string("status/list/by/d/uptime/25");
            }));
        memory_rows(o, "after the requests");
        return 0;
    }

    row(o, "GET status/list/by/d/uptime/25", measure(client, o.requests, [](int) {
            return std::string("status/list/by/d/uptime/25");
        }));
    std::mt19937 random(7);
    row(o, "GET status/list/by/d/uptime/25/<page>", measure(client, o.requests / 3, [&random](int) {
            return "status/list/by/d/uptime/25/" + std::to_string(random() % 4000);
        }));
    row(o, "GET status/list/online/by/size/100", measure(client, o.requests / 3, [](int) {
            return std::string("status/list/online/by/size/100");
        }));
    row(o, "GET status/list/by/address/25", measure(client, o.requests / 3, [](int) {
            return std::string("status/list/by/address/25");
        }));
    // Farmers spread over the table: one page of 1,000 ids from each of a few places.
    std::vector<std::string> ids;
    for (int page : {0, 7, 42, 99})
        for (const auto& id : ids_in(client.get("status/list/by/heartbeats/1000/" + std::to_string(page))))
            ids.push_back(id);
    if (ids.empty()) throw std::runtime_error("the node lists no farmers");
    row(o, "GET status/show/<id>", measure(client, o.requests, [&](int) {
            return "status/show/" + ids[random() % ids.size()];
        }));
    row(o, "GET status/summary", measure(client, o.requests / 3, [](int) { return std::string("status/summary"); }));
    memory_rows(o, "before full lists");

    std::vector<double> full;
    std::size_t bytes = 0, farmers = 0;
    for (int i = 0; i < o.full_lists; ++i) {
        const auto start = Clock::now();
        const std::string body = client.get("status/list" + unique_query());
        full.push_back(ms_since(start));
        bytes = body.size();
        farmers = static_cast<std::size_t>(std::count(body.begin(), body.end(), '{')) / 2;  // farmer + location
    }
    char extra[96];
    std::snprintf(extra, sizeof extra, "%zu farmers, %.1f MB", farmers, bytes / 1e6);
    row(o, "GET status/list (unpaged, whole body)", full, extra);
    memory_rows(o, "after full lists");
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto next = [&]() -> std::string {
            if (i + 1 >= argc) throw std::invalid_argument(a + " needs a value");
            return argv[++i];
        };
        if (a == "--url") o.url = next();
        else if (a == "--serve-pid") o.serve_pid = std::stol(next());
        else if (a == "--label") o.label = next();
        else if (a == "--requests") o.requests = std::stoi(next());
        else if (a == "--full-lists") o.full_lists = std::stoi(next());
        else if (a == "--small") o.small = true;
        else {
            std::cerr << "status_bench: unknown argument " << a << "\n";
            return 2;
        }
    }
    if (o.url.empty()) {
        std::cerr << "usage: status_bench --url http://127.0.0.1:PORT [--serve-pid PID] [--label TEXT]\n";
        return 2;
    }
    try {
        return run(o);
    } catch (const std::exception& e) {
        std::cerr << "status_bench: " << e.what() << "\n";
        return 1;
    }
}
