// A strict reader of the Prometheus text exposition format 0.0.4, written for the tests from
// the format's specification (independent of app/metrics): it checks the syntax of every
// line and the rules a scraper relies on, and gives typed access to the samples.
//
// Checked: HELP/TYPE/sample line syntax (metric and label names, label value escapes, float
// values incl. +Inf/-Inf/NaN, optional timestamp); one TYPE per family, before its samples;
// each family's samples contiguous; no series twice; counters non-negative; histograms with
// `le` on every bucket, bounds ascending, counts cumulative, a +Inf bucket equal to _count,
// and a _sum.
#pragma once

#include "base/result.h"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace downstream::testing {

struct PromSample {
    std::string name;                           // as written, e.g. "x_bucket"
    std::map<std::string, std::string> labels;  // unescaped values
    double value = 0;
};

struct PromPage {
    std::map<std::string, std::string> types;  // family -> counter, gauge, histogram, ...
    std::map<std::string, std::string> helps;  // family -> help text (unescaped)
    std::vector<PromSample> samples;           // in page order

    // The value of the sample `name` whose labels are exactly `labels`, if present.
    std::optional<double> value(const std::string& name,
                                const std::map<std::string, std::string>& labels = {}) const;
    // The sum over samples `name` whose labels include `labels`.
    double sum(const std::string& name, const std::map<std::string, std::string>& labels = {}) const;
};

// The page, or an Error naming the line and the rule it breaks.
Result<PromPage> parse_prometheus_page(std::string_view text);

}  // namespace downstream::testing
