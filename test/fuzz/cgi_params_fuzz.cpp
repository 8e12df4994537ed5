// Fuzzes http::parse_cgi_params (http/cgi_params.h): the FastCGI parameters nginx sends,
// turned into a Request.
//
// Input: "NAME=value" entries separated by '\n' (each becomes one NUL-terminated envp string,
// as libfcgi hands them over, so a NUL inside an entry ends it).
// Invariants: errors, never exceptions; a parsed request has a method and a path starting
// with '/' and holding no '?' when it came from REQUEST_URI; Content-Length is the decimal
// value of CONTENT_LENGTH; header names are lower case without '_'; the client address is
// what resolve_client_address gives for REMOTE_ADDR and the joined X-Forwarded-For fields.
#include "fuzz/fuzz_check.h"
#include "http/cgi_params.h"

#include <optional>
#include <string>
#include <vector>

using namespace downstream;
using namespace downstream::http;

namespace {

const TrustedProxies& trusted() {
    static const TrustedProxies proxies = TrustedProxies::parse("127.0.0.1 ::1 10.0.0.0/8").value();
    return proxies;
}

// The last value of `name` among the entries (as the parser reads them, later ones win), or
// nothing.
std::optional<std::string> param(const std::vector<std::string>& entries, std::string_view name) {
    std::optional<std::string> found;
    for (const std::string& entry : entries) {
        const std::string_view e(entry.c_str());  // what a C string holds
        const std::size_t eq = e.find('=');
        if (eq != std::string_view::npos && e.substr(0, eq) == name) found = std::string(e.substr(eq + 1));
    }
    return found;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    fuzz::FuzzInput input(data, size);
    std::vector<std::string> entries;
    while (!input.empty()) entries.emplace_back(input.field('\n'));
    std::vector<const char*> envp;
    for (const std::string& entry : entries) envp.push_back(entry.c_str());
    envp.push_back(nullptr);

    const auto head = parse_cgi_params(envp.data(), trusted());
    if (!head.ok()) {
        FUZZ_CHECK(!head.error().message.empty());
        return 0;
    }
    const Request& r = head->request;
    FUZZ_CHECK(!r.method.empty());
    FUZZ_CHECK(!r.path.empty() && r.path.front() == '/');
    const auto uri = param(entries, "REQUEST_URI");
    if (uri) {
        FUZZ_CHECK(r.path.find('?') == std::string::npos);
        FUZZ_CHECK(uri->compare(0, r.path.size(), r.path) == 0);
    }
    FUZZ_CHECK(r.body.empty());

    const auto length = param(entries, "CONTENT_LENGTH");
    if (length && !length->empty()) {
        FUZZ_CHECK(head->content_length.has_value());
        FUZZ_CHECK(std::to_string(*head->content_length).size() <= length->size());
        std::uint64_t value = 0;
        for (char c : *length) value = value * 10 + static_cast<std::uint64_t>(c - '0');
        FUZZ_CHECK(value == *head->content_length);
    } else {
        FUZZ_CHECK(!head->content_length.has_value());
    }

    std::string forwarded;
    for (const auto& [name, value] : r.headers.fields()) {
        for (char c : name) FUZZ_CHECK(c != '_' && !(c >= 'A' && c <= 'Z'));
        if (name != "x-forwarded-for") continue;
        if (!forwarded.empty()) forwarded += ",";
        forwarded += value;
    }
    const std::string remote = param(entries, "REMOTE_ADDR").value_or("");
    FUZZ_CHECK(r.peer_address == remote);
    FUZZ_CHECK(r.client_address == resolve_client_address(remote, forwarded, trusted()));
    return 0;
}
