#include "node/worker_pool.h"

#include "base/log.h"
#include "node/worker_plan.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <exception>
#include <new>
#include <stdexcept>
#include <string>
#include <thread>

namespace downstream::node {

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::duration_cast;
using std::chrono::milliseconds;

sigset_t master_signals() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGCHLD);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGHUP);
    return set;
}

std::string describe_status(int status) {
    if (WIFEXITED(status)) return "exit code " + std::to_string(WEXITSTATUS(status));
    if (WIFSIGNALED(status)) {
        return std::string("signal ") + std::to_string(WTERMSIG(status)) + " (" +
               ::strsignal(WTERMSIG(status)) + ")";
    }
    return "status " + std::to_string(status);
}

}  // namespace

// ---------------------------------------------------------------------------------------------

void WorkerContext::ready() {
    if (ready_fd_ < 0) return;
    const char byte = 'R';
    ssize_t written;
    do {
        written = ::write(ready_fd_, &byte, 1);
    } while (written < 0 && errno == EINTR);
    ::close(ready_fd_);
    ready_fd_ = -1;
}

// ---------------------------------------------------------------------------------------------

struct WorkerPool::Worker {
    pid_t pid = -1;
    int generation = 0;
    bool ready = false;
    bool stopping = false;
    bool killed = false;
    int ready_fd = -1;  // read end; -1 once ready or closed
    Clock::time_point started;
    Clock::time_point deadline;  // ready deadline while starting, kill deadline while stopping
};

// One anonymous MAP_SHARED page holding PoolCounters, inherited by every fork.
struct WorkerPool::SharedCounters {
    void* page = MAP_FAILED;
    SharedCounters() {
        page = ::mmap(nullptr, sizeof(PoolCounters), PROT_READ | PROT_WRITE,
                      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
        if (page == MAP_FAILED) throw std::bad_alloc();
        new (page) PoolCounters();
    }
    ~SharedCounters() {
        static_cast<PoolCounters*>(page)->~PoolCounters();
        ::munmap(page, sizeof(PoolCounters));
    }
    SharedCounters(const SharedCounters&) = delete;
    SharedCounters& operator=(const SharedCounters&) = delete;
};

WorkerPool::WorkerPool(int listen_fd, WorkerPoolOptions options, WorkerMain worker_main,
                       ReloadHook reload)
    : listen_fd_(listen_fd),
      options_(options),
      worker_main_(std::move(worker_main)),
      reload_(std::move(reload)),
      backoff_(options.backoff),
      shared_(std::make_unique<SharedCounters>()),
      counters_(static_cast<PoolCounters*>(shared_->page)) {
    static_assert(std::atomic<std::uint64_t>::is_always_lock_free,
                  "counters in shared memory need lock-free atomics");
    if (options_.workers < 1) throw std::invalid_argument("the pool needs at least one worker");
}

WorkerPool::~WorkerPool() {
    for (auto& w : workers_) {
        if (w.ready_fd >= 0) ::close(w.ready_fd);
    }
}

int WorkerPool::run() {
    const sigset_t signals = master_signals();
    sigset_t previous;
    ::pthread_sigmask(SIG_BLOCK, &signals, &previous);
    signal_fd_ = ::signalfd(-1, &signals, SFD_CLOEXEC | SFD_NONBLOCK);
    if (signal_fd_ < 0) {
        ::pthread_sigmask(SIG_SETMASK, &previous, nullptr);
        throw std::runtime_error(std::string("signalfd: ") + ::strerror(errno));
    }
    target_ = options_.workers;
    log::info("master: pid " + std::to_string(::getpid()) + " starting " + std::to_string(target_) +
              " workers");
    reconcile();
    counters_->workers_running.store(workers_.size());
    while (!(shutting_down_ && workers_.empty())) {
        std::vector<pollfd> fds{{signal_fd_, POLLIN, 0}};
        for (const auto& w : workers_) {
            if (w.ready_fd >= 0) fds.push_back({w.ready_fd, POLLIN, 0});
        }
        const int n = ::poll(fds.data(), fds.size(), poll_timeout_ms());
        if (n > 0) {
            if (fds[0].revents != 0) read_signals();
            std::vector<int> ready_fds;
            for (std::size_t i = 1; i < fds.size(); ++i) {
                if (fds[i].revents != 0) ready_fds.push_back(fds[i].fd);
            }
            read_ready_pipes(ready_fds);
        }
        reap();
        enforce_deadlines();
        reconcile();
        counters_->workers_running.store(workers_.size());
    }
    counters_->workers_running.store(0);
    ::close(signal_fd_);
    signal_fd_ = -1;
    ::pthread_sigmask(SIG_SETMASK, &previous, nullptr);
    log::info("master: all workers stopped");
    return killed_any_ ? 1 : 0;
}

void WorkerPool::read_signals() {
    signalfd_siginfo info;
    while (::read(signal_fd_, &info, sizeof info) == static_cast<ssize_t>(sizeof info)) {
        switch (info.ssi_signo) {
            case SIGCHLD:
                break;  // reap() runs after every wake-up
            case SIGTERM:
            case SIGINT:
                begin_shutdown(shutting_down_);
                break;
            case SIGHUP: {
                if (shutting_down_) break;
                if (reload_) {
                    Result<int> reloaded = Result<int>(make_error("reload hook threw"));
                    try {
                        reloaded = reload_();
                    } catch (const std::exception& e) {
                        reloaded = make_error(e.what());
                    }
                    if (!reloaded.ok() || *reloaded < 1) {
                        log::error(std::string("master: reload failed, keeping the running workers: ") +
                                   (reloaded.ok() ? "workers must be at least 1"
                                                  : reloaded.error().message));
                        break;
                    }
                    target_ = *reloaded;
                }
                ++generation_;
                counters_->reloads.fetch_add(1);
                log::info("master: reloading: replacing workers with generation " +
                          std::to_string(generation_) + " (" + std::to_string(target_) + " workers)");
                break;
            }
            default:
                break;
        }
    }
}

void WorkerPool::read_ready_pipes(const std::vector<int>& fds) {
    for (int fd : fds) {
        auto it = std::find_if(workers_.begin(), workers_.end(),
                               [fd](const Worker& w) { return w.ready_fd == fd; });
        if (it == workers_.end()) continue;
        char byte = 0;
        const ssize_t got = ::read(fd, &byte, 1);
        if (got < 0 && (errno == EINTR || errno == EAGAIN)) continue;
        ::close(fd);
        it->ready_fd = -1;
        // EOF without a byte: the worker exited (or closed the pipe) before it was ready;
        // reap() will see it go.
        if (got == 1 && !it->stopping) {
            it->ready = true;
            log::info("master: worker " + std::to_string(it->pid) + " (generation " +
                      std::to_string(it->generation) + ") ready");
        }
    }
}

void WorkerPool::reap() {
    int status = 0;
    pid_t pid;
    while ((pid = ::waitpid(-1, &status, WNOHANG)) > 0) {
        auto it = std::find_if(workers_.begin(), workers_.end(),
                               [pid](const Worker& w) { return w.pid == pid; });
        if (it == workers_.end()) continue;
        const auto now = Clock::now();
        const auto lifetime = duration_cast<milliseconds>(now - it->started);
        if (!it->stopping && !shutting_down_) {
            const milliseconds wait = backoff_.on_crash(lifetime);
            next_start_ = std::max(next_start_, now + wait);
            counters_->worker_restarts.fetch_add(1);
            log::error("master: worker " + std::to_string(pid) + " died (" + describe_status(status) +
                       ") after " + std::to_string(lifetime.count()) + " ms; replacing it in " +
                       std::to_string(wait.count()) + " ms");
        } else {
            log::info("master: worker " + std::to_string(pid) + " stopped (" + describe_status(status) + ")");
        }
        if (it->ready_fd >= 0) ::close(it->ready_fd);
        workers_.erase(it);
    }
}

void WorkerPool::stop_worker(Worker& worker) {
    if (worker.stopping) return;
    ::kill(worker.pid, SIGTERM);
    worker.stopping = true;
    worker.deadline = Clock::now() + options_.drain_timeout;
}

void WorkerPool::begin_shutdown(bool force) {
    if (force) {
        log::warn("master: second stop signal: killing the workers");
        for (auto& w : workers_) {
            ::kill(w.pid, SIGKILL);
            w.killed = true;
        }
        killed_any_ = killed_any_ || !workers_.empty();
        return;
    }
    shutting_down_ = true;
    log::info("master: stopping: draining " + std::to_string(workers_.size()) + " workers");
    for (auto& w : workers_) stop_worker(w);
}

void WorkerPool::enforce_deadlines() {
    const auto now = Clock::now();
    for (auto& w : workers_) {
        if (w.killed || now < w.deadline) continue;
        if (w.stopping) {
            log::warn("master: worker " + std::to_string(w.pid) + " still busy after " +
                      std::to_string(options_.drain_timeout.count()) + " ms; killing it");
        } else if (!w.ready) {
            log::error("master: worker " + std::to_string(w.pid) + " not ready after " +
                       std::to_string(options_.ready_timeout.count()) + " ms; killing it");
        } else {
            continue;
        }
        ::kill(w.pid, SIGKILL);
        w.killed = true;
        killed_any_ = killed_any_ || w.stopping;
    }
}

void WorkerPool::reconcile() {
    if (shutting_down_) return;
    std::vector<WorkerView> views;
    views.reserve(workers_.size());
    for (const auto& w : workers_) {
        views.push_back(WorkerView{static_cast<int>(w.pid), w.generation, w.ready, w.stopping || w.killed});
    }
    const WorkerPlan plan = plan_workers(views, generation_, target_, Clock::now() >= next_start_);
    for (int id : plan.stop) {
        auto it = std::find_if(workers_.begin(), workers_.end(),
                               [id](const Worker& w) { return w.pid == id; });
        if (it != workers_.end()) stop_worker(*it);
    }
    for (int i = 0; i < plan.start; ++i) fork_worker();
}

int WorkerPool::poll_timeout_ms() const {
    const auto now = Clock::now();
    auto soonest = now + milliseconds(1000);
    if (next_start_ > now) soonest = std::min(soonest, next_start_);
    for (const auto& w : workers_) {
        if (!w.killed && (w.stopping || !w.ready)) soonest = std::min(soonest, w.deadline);
    }
    const auto wait = duration_cast<milliseconds>(soonest - now).count();
    return static_cast<int>(std::max<long long>(wait, 0) + (soonest > now ? 1 : 0));
}

void WorkerPool::fork_worker() {
    int pipe_fds[2];
    if (::pipe2(pipe_fds, O_CLOEXEC) != 0) {
        log::error(std::string("master: pipe2: ") + ::strerror(errno));
        next_start_ = Clock::now() + milliseconds(1000);
        return;
    }
    std::fflush(nullptr);  // the child must not flush the master's buffered output again
    const pid_t pid = ::fork();
    if (pid < 0) {
        log::error(std::string("master: fork: ") + ::strerror(errno));
        ::close(pipe_fds[0]);
        ::close(pipe_fds[1]);
        next_start_ = Clock::now() + milliseconds(1000);
        return;
    }
    if (pid == 0) {
        ::close(pipe_fds[0]);
        run_child(pipe_fds[1]);
    }
    ::close(pipe_fds[1]);
    Worker worker;
    worker.pid = pid;
    worker.generation = generation_;
    worker.ready_fd = pipe_fds[0];
    worker.started = Clock::now();
    worker.deadline = worker.started + options_.ready_timeout;
    workers_.push_back(worker);
    counters_->worker_starts.fetch_add(1);
}

void WorkerPool::run_child(int ready_fd) {
    const pid_t master = ::getppid();
    // The master's descriptors are not the worker's business.
    ::close(signal_fd_);
    for (const auto& w : workers_) {
        if (w.ready_fd >= 0) ::close(w.ready_fd);
    }
    // Die with the master rather than serve on as an orphan nobody supervises.
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (::getppid() != master) ::_exit(0);

    // SIGHUP is the master's (reload); SIGCHLD back to default; SIGTERM and SIGINT stay
    // blocked in every thread and are taken by one waiter that raises the stop fd.
    struct sigaction ignore {};
    ignore.sa_handler = SIG_IGN;
    ::sigaction(SIGHUP, &ignore, nullptr);
    sigset_t unblock;
    sigemptyset(&unblock);
    sigaddset(&unblock, SIGCHLD);
    sigaddset(&unblock, SIGHUP);
    ::pthread_sigmask(SIG_UNBLOCK, &unblock, nullptr);

    int code = 70;  // EX_SOFTWARE
    try {
        const int stop_fd = ::eventfd(0, EFD_CLOEXEC);
        if (stop_fd < 0) throw std::runtime_error(std::string("eventfd: ") + ::strerror(errno));
        std::thread([stop_fd] {
            sigset_t stop_signals;
            sigemptyset(&stop_signals);
            sigaddset(&stop_signals, SIGTERM);
            sigaddset(&stop_signals, SIGINT);
            int signal_number = 0;
            while (::sigwait(&stop_signals, &signal_number) != 0) {
            }
            const std::uint64_t one = 1;
            while (::write(stop_fd, &one, sizeof one) < 0 && errno == EINTR) {
            }
        }).detach();
        WorkerContext context(listen_fd_, stop_fd, ready_fd, generation_, *counters_);
        code = worker_main_(context);
    } catch (const std::exception& e) {
        log::error("worker " + std::to_string(::getpid()) + ": " + e.what());
    } catch (...) {
        log::error("worker " + std::to_string(::getpid()) + ": unknown exception");
    }
    std::fflush(nullptr);
    // _exit: the master's atexit handlers and static destructors are not the worker's to run.
    ::_exit(code);
}

}  // namespace downstream::node
