#include "support/prometheus_page.h"

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <set>

namespace downstream::testing {
namespace {

bool is_name_start(char c, bool colon) {
    return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || (colon && c == ':');
}
bool is_name_char(char c, bool colon) {
    return is_name_start(c, colon) || std::isdigit(static_cast<unsigned char>(c));
}

// Reads a name at `pos` (metric names may hold ':', label names not).
std::optional<std::string> read_name(std::string_view line, std::size_t& pos, bool colon) {
    if (pos >= line.size() || !is_name_start(line[pos], colon)) return std::nullopt;
    const std::size_t start = pos;
    while (pos < line.size() && is_name_char(line[pos], colon)) ++pos;
    return std::string(line.substr(start, pos - start));
}

// Go's strconv.ParseFloat as the format requires, restricted to what exporters write.
std::optional<double> read_float(std::string_view text) {
    if (text == "+Inf" || text == "Inf") return HUGE_VAL;
    if (text == "-Inf") return -HUGE_VAL;
    if (text == "NaN") return std::nan("");
    if (text.empty()) return std::nullopt;
    for (char c : text)
        if (!(std::isdigit(static_cast<unsigned char>(c)) || c == '.' || c == 'e' || c == 'E' ||
              c == '+' || c == '-'))
            return std::nullopt;
    const std::string owned(text);
    char* end = nullptr;
    const double v = std::strtod(owned.c_str(), &end);
    if (end != owned.c_str() + owned.size()) return std::nullopt;
    return v;
}

std::string family_of(const std::string& name, const std::map<std::string, std::string>& types) {
    for (const char* suffix : {"_bucket", "_sum", "_count"}) {
        const std::string s(suffix);
        if (name.size() > s.size() && name.compare(name.size() - s.size(), s.size(), s) == 0) {
            const std::string base = name.substr(0, name.size() - s.size());
            const auto it = types.find(base);
            if (it != types.end() && (it->second == "histogram" || it->second == "summary")) return base;
        }
    }
    return name;
}

Error at(std::size_t line_number, const std::string& what) {
    return Error{"line " + std::to_string(line_number) + ": " + what};
}

}  // namespace

std::optional<double> PromPage::value(const std::string& name,
                                      const std::map<std::string, std::string>& labels) const {
    for (const PromSample& s : samples)
        if (s.name == name && s.labels == labels) return s.value;
    return std::nullopt;
}

double PromPage::sum(const std::string& name, const std::map<std::string, std::string>& labels) const {
    double total = 0;
    for (const PromSample& s : samples) {
        if (s.name != name) continue;
        bool match = true;
        for (const auto& [k, v] : labels) {
            const auto it = s.labels.find(k);
            match = match && it != s.labels.end() && it->second == v;
        }
        if (match) total += s.value;
    }
    return total;
}

Result<PromPage> parse_prometheus_page(std::string_view text) {
    PromPage page;
    std::set<std::string> finished;  // families whose samples ended
    std::string current;             // family of the previous sample
    std::set<std::string> series;
    std::size_t number = 0;
    std::size_t begin = 0;
    if (!text.empty() && text.back() != '\n') return Error{"the page does not end with a line feed"};
    while (begin < text.size()) {
        const std::size_t end = text.find('\n', begin);
        const std::string_view line = text.substr(begin, end - begin);
        begin = end + 1;
        ++number;
        if (line.empty()) continue;
        if (line[0] == '#') {
            std::size_t pos = 1;
            while (pos < line.size() && line[pos] == ' ') ++pos;
            const bool help = line.compare(pos, 5, "HELP ") == 0;
            const bool type = line.compare(pos, 5, "TYPE ") == 0;
            if (!help && !type) continue;  // a plain comment
            pos += 5;
            while (pos < line.size() && line[pos] == ' ') ++pos;
            auto name = read_name(line, pos, true);
            if (!name) return at(number, "bad metric name after HELP/TYPE");
            if (pos < line.size() && line[pos] != ' ') return at(number, "bad metric name " + *name);
            std::string rest(pos < line.size() ? line.substr(pos + 1) : std::string_view{});
            if (help) {
                if (page.helps.count(*name)) return at(number, "second HELP for " + *name);
                std::string unescaped;
                for (std::size_t i = 0; i < rest.size(); ++i) {
                    if (rest[i] == '\\' && i + 1 < rest.size() && (rest[i + 1] == '\\' || rest[i + 1] == 'n')) {
                        unescaped += rest[i + 1] == 'n' ? '\n' : '\\';
                        ++i;
                    } else {
                        unescaped += rest[i];
                    }
                }
                page.helps[*name] = unescaped;
            } else {
                static const std::set<std::string> kinds{"counter", "gauge", "histogram", "summary", "untyped"};
                if (!kinds.count(rest)) return at(number, "unknown type '" + rest + "'");
                if (page.types.count(*name)) return at(number, "second TYPE for " + *name);
                for (const PromSample& s : page.samples)
                    if (family_of(s.name, {{*name, rest}}) == *name)
                        return at(number, "TYPE for " + *name + " after its samples");
                page.types[*name] = rest;
            }
            continue;
        }
        // A sample.
        PromSample sample;
        std::size_t pos = 0;
        auto name = read_name(line, pos, true);
        if (!name) return at(number, "bad metric name");
        sample.name = *name;
        if (pos < line.size() && line[pos] == '{') {
            ++pos;
            while (true) {
                if (pos < line.size() && line[pos] == '}') {
                    ++pos;
                    break;
                }
                auto label = read_name(line, pos, false);
                if (!label) return at(number, "bad label name");
                if (label->rfind("__", 0) == 0) return at(number, "reserved label name " + *label);
                if (pos + 1 >= line.size() || line[pos] != '=' || line[pos + 1] != '"')
                    return at(number, "expected =\" after label " + *label);
                pos += 2;
                std::string value;
                bool closed = false;
                while (pos < line.size()) {
                    const char c = line[pos++];
                    if (c == '"') {
                        closed = true;
                        break;
                    }
                    if (c == '\\') {
                        if (pos >= line.size()) return at(number, "dangling escape");
                        const char e = line[pos++];
                        if (e == '\\') value += '\\';
                        else if (e == '"') value += '"';
                        else if (e == 'n') value += '\n';
                        else return at(number, std::string("bad escape \\") + e);
                    } else {
                        value += c;
                    }
                }
                if (!closed) return at(number, "unterminated label value");
                if (!sample.labels.emplace(*label, value).second)
                    return at(number, "label " + *label + " given twice");
                if (pos < line.size() && line[pos] == ',') ++pos;
                else if (pos < line.size() && line[pos] == '}') continue;
                else return at(number, "expected , or } after a label");
            }
        }
        if (pos >= line.size() || line[pos] != ' ') return at(number, "expected a space before the value");
        ++pos;
        const std::size_t space = line.find(' ', pos);
        const auto value = read_float(line.substr(pos, space == std::string_view::npos ? std::string_view::npos : space - pos));
        if (!value) return at(number, "bad value");
        sample.value = *value;
        if (space != std::string_view::npos) {
            const std::string_view stamp = line.substr(space + 1);
            if (stamp.empty() || stamp.find_first_not_of("-0123456789") != std::string_view::npos)
                return at(number, "bad timestamp");
        }
        const std::string family = family_of(sample.name, page.types);
        const auto type = page.types.find(family);
        if (family != current) {
            if (finished.count(family)) return at(number, "samples of " + family + " are not contiguous");
            if (!current.empty()) finished.insert(current);
            current = family;
        }
        if (type != page.types.end() && type->second == "counter" && !(sample.value >= 0))
            return at(number, "negative counter " + sample.name);
        std::string key = sample.name + "{";
        for (const auto& [k, v] : sample.labels) key += k + "=" + v + ",";
        if (!series.insert(key).second) return at(number, "series given twice: " + key + "}");
        page.samples.push_back(std::move(sample));
    }

    // Histograms: per label set (without le), ascending bounds, cumulative counts, +Inf = _count.
    for (const auto& [family, type] : page.types) {
        if (type != "histogram") continue;
        std::map<std::map<std::string, std::string>, std::vector<std::pair<double, double>>> buckets;
        for (const PromSample& s : page.samples) {
            if (s.name != family + "_bucket") continue;
            auto labels = s.labels;
            const auto le = labels.find("le");
            if (le == labels.end()) return Error{family + ": a bucket without le"};
            const auto bound = read_float(le->second);
            if (!bound) return Error{family + ": bad le \"" + le->second + "\""};
            labels.erase(le);
            buckets[labels].emplace_back(*bound, s.value);
        }
        for (const auto& [labels, list] : buckets) {
            for (std::size_t i = 1; i < list.size(); ++i) {
                if (!(list[i].first > list[i - 1].first)) return Error{family + ": le bounds not ascending"};
                if (list[i].second < list[i - 1].second) return Error{family + ": bucket counts not cumulative"};
            }
            if (list.empty() || !std::isinf(list.back().first)) return Error{family + ": no +Inf bucket"};
            const auto count = page.value(family + "_count", labels);
            if (!count || *count != list.back().second)
                return Error{family + ": _count missing or different from the +Inf bucket"};
            if (!page.value(family + "_sum", labels)) return Error{family + ": _sum missing"};
        }
    }
    return page;
}

}  // namespace downstream::testing
