// Shared by the cluster tests (suites Cluster*): the three-member Galera cluster, the two
// worker pools of one node and the nginx in front of them, as scripts/test-cluster.sh started
// them. Pool A talks to member 1, pool B to member 2; member 3 filled the chunk pool and serves
// the tests' own reads.
//
// Environment (set by scripts/test-cluster.sh):
//   DOWNSTREAM_CLUSTER_URL          nginx: requests spread over both pools (the upstream)
//   DOWNSTREAM_CLUSTER_URL_A, _B    nginx: pool A alone, pool B alone
//   DOWNSTREAM_CLUSTER_DB_URI_1..3  the node's database through member 1, 2, 3
//   DOWNSTREAM_CLUSTER_GALERA       scripts/galera-cluster.sh, then the cluster's folder
//   DOWNSTREAM_CLUSTER_ACCESS_LOG   nginx's access log (the `pools` format of
//                                   nginx/cluster.conf.template names the pools tried)
//   DOWNSTREAM_CLUSTER_SOCKET_A, _B the pools' FastCGI addresses as nginx logs them
#pragma once

#include "farmer/http_client.h"
#include "store/database.h"

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace downstream::testing::cluster {

enum class Via { BothPools, PoolA, PoolB };

// Where nginx serves the farmers through `via`.
farmer::Endpoint endpoint(Via via);
std::string describe(Via via);

// One member's view of the node's database (the node's own user, causal reads as configured
// on the members).
class Member {
public:
    explicit Member(int number);
    int number() const { return number_; }
    store::Database& database() { return *database_; }

    // The first column of every row, as text (the query must not yield NULL).
    std::vector<std::string> strings(const std::string& sql);
    // The first column of the first row as a number (0 when there is no row).
    std::int64_t number(const std::string& sql);
    // A global status counter of the server (e.g. "wsrep_local_commits").
    std::int64_t status(const std::string& name);

private:
    int number_;
    std::unique_ptr<store::Database> database_;
};

// Member 1, 2 or 3, connected on first use.
Member& member(int number);

// scripts/galera-cluster.sh stop-member / start-member; fails the test if the script fails.
void stop_member(int number);
void start_member(int number);

// How many requests of nginx's access log, from line `from_line` on, each pool served
// ("A", "B"; a request nginx passed to both counts for both).
std::map<std::string, std::int64_t> requests_per_pool(std::size_t from_line = 0);
// Lines in nginx's access log now.
std::size_t access_log_lines();

// Chunks in the pool of the node's own scheme and key (tests add chunks under other keys).
std::int64_t node_pool_chunks(Member& from);

// The contents of the node's tables that farmers and the status API see, one text row per
// token and a digest of the contracts, as `from` holds them: equal on every member of a
// cluster in sync.
struct TableSnapshot {
    std::vector<std::string> tokens;
    std::vector<std::string> contracts;
    std::int64_t pool_chunks = 0;
};
TableSnapshot snapshot(Member& from);

// A client IP no other test uses (10.x.y.z from a process-wide counter).
std::string next_ip();
// A whitelisted address no other test uses (balance 10^6), whitelisted through member 3.
std::string next_address();

}  // namespace downstream::testing::cluster
