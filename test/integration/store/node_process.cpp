#include "integration/store/node_process.h"

#include <cppunit/TestAssert.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <spawn.h>
#include <sstream>
#include <sys/stat.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

extern char** environ;

namespace downstream::testing {
namespace {

std::string node_binary() {
    if (const char* b = std::getenv("DOWNSTREAM_NODE_BINARY")) return b;
    return "build/downstream-node";
}

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

int counter = 0;

}  // namespace

std::string scratch_dir() {
    std::string dir;
    if (const char* d = std::getenv("DOWNSTREAM_TEST_SCRATCH")) dir = d;
    else dir = "/tmp/downstream-store-tests-" + std::to_string(getpid());
    mkdir(dir.c_str(), 0700);
    return dir;
}

RunningNode::RunningNode(const std::vector<std::string>& args) {
    const std::string base = scratch_dir() + "/run-" + std::to_string(getpid()) + "-" + std::to_string(++counter);
    out_path_ = base + ".out";
    err_path_ = base + ".err";
    std::vector<std::string> argv_text = {node_binary()};
    argv_text.insert(argv_text.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : argv_text) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, out_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_addopen(&actions, 2, err_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const int rc = posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) CPPUNIT_FAIL("cannot start " + argv_text[0] + ": " + std::strerror(rc));
}

RunningNode::~RunningNode() {
    if (!ended_ && pid_ > 0) {
        kill(pid_, SIGKILL);
        waitpid(pid_, &status_, 0);
    }
    unlink(out_path_.c_str());
    unlink(err_path_.c_str());
}

void RunningNode::signal(int signal_number) {
    if (!ended_) kill(pid_, signal_number);
}

bool RunningNode::wait(int timeout_ms) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    while (!ended_) {
        const pid_t r = waitpid(pid_, &status_, WNOHANG);
        if (r == pid_) {
            ended_ = true;
            break;
        }
        if (std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return true;
}

NodeRun RunningNode::result() const {
    NodeRun run;
    run.exit_code = ended_ && WIFEXITED(status_) ? WEXITSTATUS(status_) : -1;
    run.out = slurp(out_path_);
    run.err = slurp(err_path_);
    return run;
}

NodeRun run_node(const std::vector<std::string>& args, int timeout_s) {
    RunningNode node(args);
    if (!node.wait(timeout_s * 1000)) {
        node.signal(SIGKILL);
        node.wait(5000);
        NodeRun run = node.result();
        run.exit_code = -1;
        return run;
    }
    return node.result();
}

}  // namespace downstream::testing
