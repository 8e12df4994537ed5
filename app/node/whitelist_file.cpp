#include "node/whitelist_file.h"

#include <algorithm>
#include <cctype>
#include <limits>
#include <map>

namespace downstream::node {
namespace {

struct Row {
    int line = 0;  // where the row starts
    std::vector<std::string> fields;
};

std::string trim(const std::string& text) {
    const auto first = text.find_first_not_of(" \t");
    if (first == std::string::npos) return {};
    const auto last = text.find_last_not_of(" \t");
    return text.substr(first, last - first + 1);
}

std::string lower(std::string text) {
    for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return text;
}

// RFC 4180 rows. A quote inside an unquoted field is taken literally; an unterminated quoted
// field is an error at its row.
std::vector<Row> read_rows(std::string_view text, std::vector<std::string>& errors) {
    std::vector<Row> rows;
    Row row;
    std::string field;
    int line = 1;
    row.line = 1;
    bool quoted = false;
    bool field_started = false;  // anything seen for the current field
    bool was_quoted = false;
    auto end_field = [&] {
        row.fields.push_back(was_quoted ? field : trim(field));
        field.clear();
        field_started = false;
        was_quoted = false;
    };
    auto end_row = [&] {
        end_field();
        const bool blank = row.fields.size() == 1 && row.fields[0].empty();
        if (!blank) rows.push_back(std::move(row));
        row = Row{};
        row.line = line;
    };
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quoted) {
            if (c == '"') {
                if (i + 1 < text.size() && text[i + 1] == '"') {
                    field += '"';
                    ++i;
                } else {
                    quoted = false;
                }
            } else {
                if (c == '\n') ++line;
                field += c;
            }
            continue;
        }
        if (c == '"' && trim(field).empty() && !was_quoted) {
            quoted = true;
            was_quoted = true;
            field.clear();
            field_started = true;
        } else if (c == ',') {
            end_field();
        } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
            // the '\n' ends the row
        } else if (c == '\n') {
            ++line;
            end_row();
        } else {
            if (!was_quoted) field += c;
            field_started = true;
        }
    }
    if (quoted) {
        errors.push_back("line " + std::to_string(row.line) + ": a quoted field is not closed");
        return rows;
    }
    if (field_started || !row.fields.empty()) end_row();
    return rows;
}

bool parse_balance(const std::string& text, std::int64_t& out) {
    if (text.empty() || text.size() > 18) return false;
    std::int64_t value = 0;
    for (char c : text) {
        if (!std::isdigit(static_cast<unsigned char>(c))) return false;
        value = value * 10 + (c - '0');
    }
    out = value;
    return true;
}

}  // namespace

WhitelistFile parse_whitelist_csv(std::string_view text, const AddressCheck& is_valid_address) {
    WhitelistFile result;
    if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
    std::vector<Row> rows = read_rows(text, result.errors);
    if (!result.errors.empty()) return result;
    if (rows.empty()) {
        result.errors.push_back("line 1: the file is empty (expected a header row: address,crowdsale_balance)");
        return result;
    }

    const Row& header = rows.front();
    std::size_t address_column = std::numeric_limits<std::size_t>::max();
    std::size_t balance_column = address_column;
    for (std::size_t i = 0; i < header.fields.size(); ++i) {
        const std::string name = lower(trim(header.fields[i]));
        if (name == "address" && address_column == std::numeric_limits<std::size_t>::max()) address_column = i;
        if (name == "crowdsale_balance" && balance_column == std::numeric_limits<std::size_t>::max()) balance_column = i;
    }
    if (address_column == std::numeric_limits<std::size_t>::max() ||
        balance_column == std::numeric_limits<std::size_t>::max()) {
        result.errors.push_back("line " + std::to_string(header.line) +
                                ": the header row must name the columns address and "
                                "crowdsale_balance (e.g. address,crowdsale_balance)");
        return result;
    }
    const std::size_t needed = std::max(address_column, balance_column) + 1;

    std::map<std::string, int> first_line;
    for (std::size_t r = 1; r < rows.size(); ++r) {
        const Row& row = rows[r];
        const std::string where = "line " + std::to_string(row.line) + ": ";
        if (row.fields.size() < needed) {
            result.errors.push_back(where + "expected at least " + std::to_string(needed) +
                                    " columns, found " + std::to_string(row.fields.size()));
            continue;
        }
        const std::string& address = row.fields[address_column];
        const std::string& balance_text = row.fields[balance_column];
        bool ok = true;
        if (!is_valid_address(address)) {
            result.errors.push_back(where + "'" + address + "' is not a valid address");
            ok = false;
        }
        std::int64_t balance = 0;
        if (!parse_balance(balance_text, balance)) {
            result.errors.push_back(where + "crowdsale_balance '" + balance_text +
                                    "' is not a whole number >= 0");
            ok = false;
        }
        if (!ok) continue;
        const auto [it, inserted] = first_line.emplace(address, row.line);
        if (!inserted) {
            result.errors.push_back(where + "address " + address + " is listed again (first on line " +
                                    std::to_string(it->second) + ")");
            continue;
        }
        result.entries.push_back(store::WhitelistEntry{address, balance});
    }
    return result;
}

}  // namespace downstream::node
