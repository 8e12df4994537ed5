#include "metrics/prometheus_text.h"

#include "support/prometheus_page.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace downstream::metrics;
using downstream::testing::parse_prometheus_page;

namespace {

// One route that answered three requests: 0.4 ms (200), 1.5 ms (200), 25 ms (404).
MetricsSnapshot known_state() {
    MetricsSnapshot s;
    RouteFigures chunk;
    chunk.method = "GET";
    chunk.route = "/api/downstream/v1/chunk/<token>/<size>";
    chunk.by_class[1] = 2;
    chunk.by_class[3] = 1;
    chunk.latency[0] = 1;  // <= 0.5 ms
    chunk.latency[2] = 1;  // (1, 2.5] ms
    chunk.latency[7] = 1;  // (20, 30] ms
    chunk.latency_sum_us = 400 + 1500 + 25000;
    RouteFigures idle;  // never asked: no series
    idle.method = "POST";
    idle.route = "/api/downstream/v1/answer/<token>";
    s.routes = {chunk, idle};
    s.proofs = {5, 2, 1, 0, 0, 3, 0};
    s.tokens_issued = 4;
    s.contracts_issued = 7;
    s.contract_bytes_issued = 7 * 32768;
    s.challenges_issued = 9;
    s.database = DatabaseFigures{120, 2, 1, 0, 6};
    s.workers = WorkerFigures{5, 1, 1, 2};
    s.pool = PoolFigures{"Merkle", {{32768, 100}, {1048576, 3}}};
    return s;
}

}  // namespace

class PrometheusTextTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(PrometheusTextTest);
    CPPUNIT_TEST(rendersAKnownStateExactly);
    CPPUNIT_TEST(theKnownStateIsAValidPage);
    CPPUNIT_TEST(anIdleNodeIsAValidPageWithEveryFamily);
    CPPUNIT_TEST(aPoolThatCouldNotBeCountedHasNoSeries);
    CPPUNIT_TEST(labelValuesAreEscaped);
    CPPUNIT_TEST(manyRoutesAndBigCountsStayValid);
    CPPUNIT_TEST(theReaderRefusesBrokenPages);
    CPPUNIT_TEST_SUITE_END();

public:
    void rendersAKnownStateExactly() {
        const std::string r = R"(method="GET",route="/api/downstream/v1/chunk/<token>/<size>")";
        const std::string b = "downstream_http_request_duration_seconds_bucket{" + r;
        const std::string expected =
            "# HELP downstream_http_requests_total Requests answered, by route pattern and status class.\n"
            "# TYPE downstream_http_requests_total counter\n"
            "downstream_http_requests_total{" + r + ",code=\"2xx\"} 2\n"
            "downstream_http_requests_total{" + r + ",code=\"4xx\"} 1\n"
            "# HELP downstream_http_request_duration_seconds Time from reading a request to its last byte sent, by route pattern.\n"
            "# TYPE downstream_http_request_duration_seconds histogram\n" +
            b + ",le=\"0.0005\"} 1\n" +
            b + ",le=\"0.001\"} 1\n" +
            b + ",le=\"0.0025\"} 2\n" +
            b + ",le=\"0.005\"} 2\n" +
            b + ",le=\"0.01\"} 2\n" +
            b + ",le=\"0.015\"} 2\n" +
            b + ",le=\"0.02\"} 2\n" +
            b + ",le=\"0.03\"} 3\n" +
            b + ",le=\"0.05\"} 3\n" +
            b + ",le=\"0.1\"} 3\n" +
            b + ",le=\"0.25\"} 3\n" +
            b + ",le=\"0.5\"} 3\n" +
            b + ",le=\"1\"} 3\n" +
            b + ",le=\"2.5\"} 3\n" +
            b + ",le=\"5\"} 3\n" +
            b + ",le=\"10\"} 3\n" +
            b + ",le=\"+Inf\"} 3\n"
            "downstream_http_request_duration_seconds_sum{" + r + "} 0.0269\n"
            "downstream_http_request_duration_seconds_count{" + r + "} 3\n"
            "# HELP downstream_proofs_total Proofs checked, by result.\n"
            "# TYPE downstream_proofs_total counter\n"
            "downstream_proofs_total{result=\"ok\"} 5\n"
            "downstream_proofs_total{result=\"invalid\"} 2\n"
            "downstream_proofs_total{result=\"corrupted\"} 1\n"
            "downstream_proofs_total{result=\"expired\"} 0\n"
            "downstream_proofs_total{result=\"not_found\"} 0\n"
            "downstream_proofs_total{result=\"already_answered\"} 3\n"
            "downstream_proofs_total{result=\"state_invalid\"} 0\n"
            "# HELP downstream_tokens_issued_total Tokens created (GET or POST /new).\n"
            "# TYPE downstream_tokens_issued_total counter\n"
            "downstream_tokens_issued_total 4\n"
            "# HELP downstream_contracts_issued_total Chunk contracts issued from the pool.\n"
            "# TYPE downstream_contracts_issued_total counter\n"
            "downstream_contracts_issued_total 7\n"
            "# HELP downstream_contract_bytes_issued_total Bytes of the chunk contracts issued from the pool.\n"
            "# TYPE downstream_contract_bytes_issued_total counter\n"
            "downstream_contract_bytes_issued_total 229376\n"
            "# HELP downstream_challenges_issued_total Next challenges issued to answered contracts that fell due.\n"
            "# TYPE downstream_challenges_issued_total counter\n"
            "downstream_challenges_issued_total 9\n"
            "# HELP downstream_db_transactions_total Database transactions completed.\n"
            "# TYPE downstream_db_transactions_total counter\n"
            "downstream_db_transactions_total 120\n"
            "# HELP downstream_db_conflict_retries_total Transactions run again after a deadlock, lock wait timeout or certification failure.\n"
            "# TYPE downstream_db_conflict_retries_total counter\n"
            "downstream_db_conflict_retries_total 2\n"
            "# HELP downstream_db_connection_retries_total Transactions run again on a new session after a lost or refused connection.\n"
            "# TYPE downstream_db_connection_retries_total counter\n"
            "downstream_db_connection_retries_total 1\n"
            "# HELP downstream_db_errors_total Transactions that failed: database unavailable or an SQL error.\n"
            "# TYPE downstream_db_errors_total counter\n"
            "downstream_db_errors_total 0\n"
            "# HELP downstream_db_sessions_opened_total Database sessions opened.\n"
            "# TYPE downstream_db_sessions_opened_total counter\n"
            "downstream_db_sessions_opened_total 6\n"
            "# HELP downstream_worker_starts_total Worker processes started (restarts and reloads included).\n"
            "# TYPE downstream_worker_starts_total counter\n"
            "downstream_worker_starts_total 5\n"
            "# HELP downstream_worker_restarts_total Workers replaced after dying unexpectedly.\n"
            "# TYPE downstream_worker_restarts_total counter\n"
            "downstream_worker_restarts_total 1\n"
            "# HELP downstream_reloads_total Successful configuration reloads (SIGHUP).\n"
            "# TYPE downstream_reloads_total counter\n"
            "downstream_reloads_total 1\n"
            "# HELP downstream_workers Worker processes running now.\n"
            "# TYPE downstream_workers gauge\n"
            "downstream_workers 2\n"
            "# HELP downstream_pool_chunks Pre-generated chunks waiting in the pool for this node's scheme and key, by size in bytes.\n"
            "# TYPE downstream_pool_chunks gauge\n"
            "downstream_pool_chunks{scheme=\"Merkle\",size=\"32768\"} 100\n"
            "downstream_pool_chunks{scheme=\"Merkle\",size=\"1048576\"} 3\n"
            "# HELP downstream_pool_bytes Bytes of pre-generated chunks waiting in the pool for this node's scheme and key.\n"
            "# TYPE downstream_pool_bytes gauge\n"
            "downstream_pool_bytes{scheme=\"Merkle\"} 6422528\n";
        const std::string got = render_prometheus(known_state());
        if (got != expected) {
            // Point at the first difference: the whole page is long.
            std::size_t i = 0;
            while (i < got.size() && i < expected.size() && got[i] == expected[i]) ++i;
            CPPUNIT_FAIL("pages differ at byte " + std::to_string(i) + ": got \"" +
                         got.substr(i > 40 ? i - 40 : 0, 120) + "\"");
        }
    }

    void theKnownStateIsAValidPage() {
        auto page = parse_prometheus_page(render_prometheus(known_state()));
        CPPUNIT_ASSERT_MESSAGE(page ? "" : page.error().message, page.ok());
        CPPUNIT_ASSERT_EQUAL(std::string("histogram"), page->types.at("downstream_http_request_duration_seconds"));
        CPPUNIT_ASSERT_EQUAL(std::string("gauge"), page->types.at("downstream_pool_chunks"));
        CPPUNIT_ASSERT_EQUAL(3.0, *page->value("downstream_http_request_duration_seconds_count",
                                               {{"method", "GET"}, {"route", "/api/downstream/v1/chunk/<token>/<size>"}}));
        CPPUNIT_ASSERT_EQUAL(11.0, page->sum("downstream_proofs_total"));
        CPPUNIT_ASSERT_EQUAL(103.0, page->sum("downstream_pool_chunks", {{"scheme", "Merkle"}}));
    }

    void anIdleNodeIsAValidPageWithEveryFamily() {
        MetricsSnapshot idle;
        RouteFigures r;
        r.method = "GET";
        r.route = "/health";
        idle.routes = {r};
        auto page = parse_prometheus_page(render_prometheus(idle));
        CPPUNIT_ASSERT_MESSAGE(page ? "" : page.error().message, page.ok());
        CPPUNIT_ASSERT_EQUAL(std::size_t{18}, page->types.size());
        CPPUNIT_ASSERT_EQUAL(page->types.size(), page->helps.size());
        // Proof results are always listed, at zero; routes never asked are not.
        CPPUNIT_ASSERT_EQUAL(0.0, *page->value("downstream_proofs_total", {{"result", "expired"}}));
        CPPUNIT_ASSERT(!page->value("downstream_http_request_duration_seconds_count",
                                    {{"method", "GET"}, {"route", "/health"}}));
    }

    void aPoolThatCouldNotBeCountedHasNoSeries() {
        MetricsSnapshot s = known_state();
        s.pool.reset();
        const std::string text = render_prometheus(s);
        CPPUNIT_ASSERT(text.find("downstream_pool_chunks{") == std::string::npos);
        CPPUNIT_ASSERT(text.find("downstream_pool_bytes{") == std::string::npos);
        CPPUNIT_ASSERT(text.find("# TYPE downstream_pool_chunks gauge\n") != std::string::npos);
        CPPUNIT_ASSERT(parse_prometheus_page(text).ok());
    }

    void labelValuesAreEscaped() {
        CPPUNIT_ASSERT_EQUAL(std::string(R"(a\\b\"c\nd)"), escape_label_value("a\\b\"c\nd"));
        MetricsSnapshot s;
        RouteFigures odd;
        odd.method = "GET";
        odd.route = "/we\"ird\\path\n";
        odd.by_class[1] = 1;
        odd.latency[0] = 1;
        s.routes = {odd};
        auto page = parse_prometheus_page(render_prometheus(s));
        CPPUNIT_ASSERT_MESSAGE(page ? "" : page.error().message, page.ok());
        CPPUNIT_ASSERT_EQUAL(1.0, *page->value("downstream_http_requests_total",
                                               {{"method", "GET"}, {"route", "/we\"ird\\path\n"}, {"code", "2xx"}}));
    }

    void manyRoutesAndBigCountsStayValid() {
        MetricsSnapshot s = known_state();
        for (int i = 0; i < 40; ++i) {
            RouteFigures r;
            r.method = i % 2 ? "POST" : "GET";
            r.route = "/r/" + std::to_string(i);
            for (std::size_t c = 0; c < kStatusClasses; ++c) r.by_class[c] = c * 1000 + i;
            for (std::size_t b = 0; b < kLatencyBuckets; ++b) r.latency[b] = (b * 7919 + i) % 13;
            r.latency_sum_us = UINT64_C(18446744073709551615);
            s.routes.push_back(r);
        }
        auto page = parse_prometheus_page(render_prometheus(s));
        CPPUNIT_ASSERT_MESSAGE(page ? "" : page.error().message, page.ok());
        CPPUNIT_ASSERT_EQUAL(5039.0, *page->value("downstream_http_requests_total",
                                                  {{"method", "POST"}, {"route", "/r/39"}, {"code", "other"}}));
    }

    void theReaderRefusesBrokenPages() {
        // The reader is what the other tests trust: it must catch each rule being broken.
        const char* broken[] = {
            "x 1",                                                  // no final line feed
            "# TYPE x counter\nx{a=\"1\"} 1\ny 2\nx{a=\"2\"} 1\n",  // family not contiguous
            "x 1\n# TYPE x counter\n",                              // TYPE after samples
            "# TYPE x counter\n# TYPE x counter\nx 1\n",            // TYPE twice
            "# TYPE x counter\nx -1\n",                             // negative counter
            "x{a=\"1\"} 1\nx{a=\"1\"} 2\n",                         // series twice
            "x{a=\"\\t\"} 1\n",                                     // bad escape
            "x{a=1} 1\n",                                           // unquoted label value
            "9x 1\n",                                               // bad metric name
            "x one\n",                                              // bad value
            "# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_sum 1\nh_count 1\n",
            "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_sum 1\nh_count 1\n",  // no +Inf
            "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 2\nh_sum 1\nh_count 1\n",  // count differs
        };
        for (const char* text : broken)
            CPPUNIT_ASSERT_MESSAGE(std::string("accepted: ") + text, !parse_prometheus_page(text).ok());
        CPPUNIT_ASSERT(parse_prometheus_page("# a comment\nx{a=\"1\",} 1 1700000000000\ny NaN\n").ok());
    }
};
CPPUNIT_TEST_SUITE_REGISTRATION(PrometheusTextTest);
