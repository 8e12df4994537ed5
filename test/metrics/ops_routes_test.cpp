// GET /metrics and GET /health through a router, with fake sources.
#include "base/store_unavailable.h"
#include "http/router.h"
#include "http/string_response_writer.h"
#include "json/json_parse.h"
#include "metrics/health_route.h"
#include "metrics/metrics_route.h"
#include "metrics/metrics_table.h"
#include "support/prometheus_page.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace downstream;

namespace {

http::Request get(const std::string& path) {
    http::Request r;
    r.method = "GET";
    r.path = path;
    return r;
}

}  // namespace

class OpsRoutesTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(OpsRoutesTest);
    CPPUNIT_TEST(metricsServeTheTableAndTheSources);
    CPPUNIT_TEST(metricsAreOnlyAtTheTopLevelPath);
    CPPUNIT_TEST(healthIsOkWhenTheDatabaseAnswers);
    CPPUNIT_TEST(healthIs503WithTheReasonWhenItDoesNot);
    CPPUNIT_TEST_SUITE_END();

public:
    void metricsServeTheTableAndTheSources() {
        metrics::MetricsTable table({"GET /metrics", "GET /x"});
        table.record_request(1, 200, 700);
        table.add_proof(metrics::ProofResult::Expired);
        int published = 0;
        metrics::MetricsSources sources;
        sources.before_scrape = [&] { ++published; };
        sources.workers = [] { return metrics::WorkerFigures{4, 1, 0, 2}; };
        sources.pool = [] { return metrics::PoolFigures{"Swizzle", {{4096, 12}}}; };
        http::Router router;
        metrics::add_metrics_route(router, table, sources);
        CPPUNIT_ASSERT(router.labels() == std::vector<std::string>{"GET /metrics"});

        http::StringResponseWriter out;
        CPPUNIT_ASSERT_EQUAL(std::string("GET /metrics"), router.dispatch(get("/metrics"), out));
        CPPUNIT_ASSERT_EQUAL(200, out.status());
        CPPUNIT_ASSERT_EQUAL(std::string("text/plain; version=0.0.4; charset=utf-8"), *out.header("Content-Type"));
        CPPUNIT_ASSERT_EQUAL(std::to_string(out.body().size()), *out.header("Content-Length"));
        CPPUNIT_ASSERT_EQUAL(1, published);
        auto page = testing::parse_prometheus_page(out.body());
        CPPUNIT_ASSERT_MESSAGE(page ? "" : page.error().message, page.ok());
        CPPUNIT_ASSERT_EQUAL(1.0, *page->value("downstream_http_requests_total",
                                               {{"method", "GET"}, {"route", "/x"}, {"code", "2xx"}}));
        CPPUNIT_ASSERT_EQUAL(1.0, *page->value("downstream_proofs_total", {{"result", "expired"}}));
        CPPUNIT_ASSERT_EQUAL(4.0, *page->value("downstream_worker_starts_total"));
        CPPUNIT_ASSERT_EQUAL(2.0, *page->value("downstream_workers"));
        CPPUNIT_ASSERT_EQUAL(12.0, *page->value("downstream_pool_chunks", {{"scheme", "Swizzle"}, {"size", "4096"}}));
        CPPUNIT_ASSERT_EQUAL(49152.0, *page->value("downstream_pool_bytes", {{"scheme", "Swizzle"}}));
    }

    void metricsAreOnlyAtTheTopLevelPath() {
        metrics::MetricsTable table({"GET /metrics"});
        http::Router router;
        metrics::add_metrics_route(router, table, {});
        http::StringResponseWriter nested;
        router.dispatch(get("/api/downstream/metrics"), nested);
        CPPUNIT_ASSERT_EQUAL(404, nested.status());
        // Without sources the page still renders (no pool series, zero workers).
        http::StringResponseWriter out;
        router.dispatch(get("/metrics"), out);
        CPPUNIT_ASSERT_EQUAL(200, out.status());
        CPPUNIT_ASSERT(out.body().find("downstream_pool_chunks{") == std::string::npos);
    }

    void healthIsOkWhenTheDatabaseAnswers() {
        int pings = 0;
        http::Router router;
        metrics::add_health_route(router, metrics::HealthSources{[&] { ++pings; }, 4242, 3});
        http::StringResponseWriter out;
        CPPUNIT_ASSERT_EQUAL(std::string("GET /health"), router.dispatch(get("/health"), out));
        CPPUNIT_ASSERT_EQUAL(200, out.status());
        CPPUNIT_ASSERT_EQUAL(1, pings);
        CPPUNIT_ASSERT_EQUAL(std::string("no-store"), *out.header("Cache-Control"));
        auto doc = json::parse_json(out.body());
        CPPUNIT_ASSERT(doc.ok());
        const json::Value& v = **doc;
        CPPUNIT_ASSERT_EQUAL(std::string("ok"), std::string(v["status"].GetString()));
        CPPUNIT_ASSERT_EQUAL(std::string("ok"), std::string(v["database"].GetString()));
        CPPUNIT_ASSERT(v["database_ms"].IsNumber() && v["database_ms"].GetDouble() >= 0);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{4242}, v["pid"].GetInt64());
        CPPUNIT_ASSERT_EQUAL(3, v["generation"].GetInt());
        CPPUNIT_ASSERT(!v.HasMember("message"));
    }

    void healthIs503WithTheReasonWhenItDoesNot() {
        bool down = true;
        http::Router router;
        metrics::add_health_route(router, metrics::HealthSources{[&] {
                                                                     if (down) throw StoreUnavailable("database unavailable (x@h:1/d): refused");
                                                                 },
                                                                 7, 1});
        http::StringResponseWriter out;
        router.dispatch(get("/health"), out);
        CPPUNIT_ASSERT_EQUAL(503, out.status());
        CPPUNIT_ASSERT_EQUAL(std::string("5"), *out.header("Retry-After"));
        auto doc = json::parse_json(out.body());
        CPPUNIT_ASSERT(doc.ok());
        const json::Value& v = **doc;
        CPPUNIT_ASSERT_EQUAL(std::string("error"), std::string(v["status"].GetString()));
        CPPUNIT_ASSERT_EQUAL(std::string("unavailable"), std::string(v["database"].GetString()));
        CPPUNIT_ASSERT_EQUAL(std::string("database unavailable (x@h:1/d): refused"),
                             std::string(v["message"].GetString()));
        // And healthy again as soon as the database answers: no state kept.
        down = false;
        http::StringResponseWriter again;
        router.dispatch(get("/health"), again);
        CPPUNIT_ASSERT_EQUAL(200, again.status());
    }
};
CPPUNIT_TEST_SUITE_REGISTRATION(OpsRoutesTest);
