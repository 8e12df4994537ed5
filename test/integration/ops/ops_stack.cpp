#include "integration/ops/ops_stack.h"

#include "integration/http/stack_client.h"

#include <signal.h>
#include <sys/wait.h>

#include <cppunit/TestAssert.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <thread>

namespace downstream::testing {
namespace {

std::string required(const char* name) {
    const char* value = std::getenv(name);
    if (value == nullptr || *value == '\0')
        CPPUNIT_FAIL(std::string(name) + " is not set: run the Ops suites through scripts/test-ops.sh");
    return value;
}

}  // namespace

std::string ops_dir() { return required("DOWNSTREAM_OPS_DIR"); }
int ops_workers() { return std::stoi(required("DOWNSTREAM_OPS_WORKERS")); }

int run_shell(const std::string& command) {
    const int status = std::system(command.c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string run_node_cli(const std::string& arguments) {
    const std::string dir = ops_dir();
    const std::string command = "build/downstream-node --config '" + dir + "/node.conf' --config '" +
                                required("DOWNSTREAM_OPS_CONFIG") + "' " + arguments + " 2>&1";
    FILE* pipe = ::popen(command.c_str(), "r");
    CPPUNIT_ASSERT(pipe != nullptr);
    std::string output;
    char buffer[4096];
    std::size_t n;
    while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) output.append(buffer, n);
    const int status = ::pclose(pipe);
    CPPUNIT_ASSERT_MESSAGE(command + " failed:\n" + output, WIFEXITED(status) && WEXITSTATUS(status) == 0);
    // Every line the CLI logs is a log line (base/log.h); the test script checks the format.
    std::ofstream(dir + "/log/cli.log", std::ios::app) << output;
    return output;
}

void write_ops_config(const std::string& text) {
    const std::string path = required("DOWNSTREAM_OPS_CONFIG");
    std::ofstream out(path, std::ios::trunc);
    out << text;
    CPPUNIT_ASSERT_MESSAGE("cannot write " + path, out.good());
}

PromPage scrape_metrics() {
    HttpCall call;
    call.path = "/metrics";
    const HttpReply reply = http_call(call);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(reply.body, 200, reply.status);
    CPPUNIT_ASSERT_EQUAL(std::string("text/plain; version=0.0.4; charset=utf-8"), reply.headers.at("content-type"));
    auto page = parse_prometheus_page(reply.body);
    CPPUNIT_ASSERT_MESSAGE(page ? "" : page.error().message, page.ok());
    return std::move(page).value();
}

HealthReply health() {
    HttpCall call;
    call.path = "/health";
    call.timeout_seconds = 10;
    const HttpReply reply = http_call(call);
    HealthReply h;
    h.status = reply.status;
    h.body = reply.body;
    if (reply.status == 200 || reply.status == 503) {
        h.pid = std::stol(json_member(reply.body, "pid"));
        h.generation = std::stoi(json_member(reply.body, "generation"));
    }
    return h;
}

std::set<long> answering_workers(int generation, long* failures, std::chrono::seconds within) {
    const auto deadline = std::chrono::steady_clock::now() + within;
    const std::size_t workers = static_cast<std::size_t>(ops_workers());
    std::set<long> seen;
    int streak = 0;
    while (std::chrono::steady_clock::now() < deadline) {
        HealthReply h;
        try {
            h = health();
        } catch (...) {
            h.status = -1;
        }
        if (h.status != 200) {
            if (failures == nullptr) CPPUNIT_FAIL("/health answered " + std::to_string(h.status) + ": " + h.body);
            ++*failures;
            seen.clear();
            streak = 0;
            continue;
        }
        if (generation != 0 && h.generation != generation) {
            seen.clear();
            streak = 0;
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
            continue;
        }
        seen.insert(h.pid);
        ++streak;
        if (seen.size() > workers) {  // an old worker still answering: start over
            seen = {h.pid};
            streak = 1;
        }
        if (seen.size() == workers && streak >= 20) return seen;
    }
    CPPUNIT_FAIL("the workers of generation " + std::to_string(generation) + " did not all answer in time");
    return {};
}

std::string new_token(const std::string& address) {
    const HttpReply reply = api_get("/new/" + address);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(reply.body, 200, reply.status);
    return json_member(reply.body, "token");
}

struct SteadyClient::State {
    std::atomic<bool> stop{false};
    std::atomic<long> ok{0};
    std::atomic<long> failed{0};
    mutable std::mutex mutex;
    std::vector<std::string> failures;
    std::vector<std::thread> threads;
};

SteadyClient::SteadyClient(int threads) : state_(std::make_unique<State>()) {
    for (int i = 0; i < threads; ++i) {
        state_->threads.emplace_back([s = state_.get()] {
            while (!s->stop.load()) {
                std::string what;
                try {
                    const HttpReply reply = api_get("/");
                    if (reply.status == 200 && reply.body == R"({"msg":"ok"})") {
                        s->ok.fetch_add(1);
                        continue;
                    }
                    what = std::to_string(reply.status) + " " + reply.body.substr(0, 100);
                } catch (const std::exception& e) {
                    what = e.what();
                }
                s->failed.fetch_add(1);
                std::lock_guard<std::mutex> lock(s->mutex);
                if (s->failures.size() < 5) s->failures.push_back(what);
            }
        });
    }
}

SteadyClient::~SteadyClient() { finish(); }

void SteadyClient::finish() {
    state_->stop.store(true);
    for (auto& t : state_->threads)
        if (t.joinable()) t.join();
}

long SteadyClient::ok() const { return state_->ok.load(); }
long SteadyClient::failed() const { return state_->failed.load(); }
std::vector<std::string> SteadyClient::failures() const {
    std::lock_guard<std::mutex> lock(state_->mutex);
    return state_->failures;
}

bool process_gone(pid_t pid) {
    if (::kill(pid, 0) != 0) return true;
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string pid_text, name, state;
    stat >> pid_text >> name >> state;
    return state == "Z";
}

}  // namespace downstream::testing
