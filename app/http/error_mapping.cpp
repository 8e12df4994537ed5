#include "http/error_mapping.h"

#include "base/log.h"
#include "base/store_unavailable.h"

#include <string>

namespace downstream::http {

HttpError map_exception(std::exception_ptr error) {
    try {
        std::rethrow_exception(error);
    } catch (const StoreUnavailable&) {
        return HttpError{503, "service temporarily unavailable, try again later",
                         {{"Retry-After", "5"}}};
    } catch (...) {
        return HttpError{500, "internal error", {}};
    }
}

std::string describe_exception(std::exception_ptr error) {
    try {
        std::rethrow_exception(error);
    } catch (const std::exception& e) {
        return e.what();
    } catch (...) {
        return "unknown exception";
    }
}

void respond_to_exception(std::exception_ptr error, ResponseWriter& writer,
                          std::string_view route) {
    const HttpError mapped = map_exception(error);
    const std::string line = std::string(route) + ": " + describe_exception(error) +
                             (writer.started() ? " (after the response had started)" : "");
    // A database outage is the operator's to fix, not a bug: warn. Anything else is a bug.
    if (mapped.status == 503) log::warn(line);
    else log::error(line);
    if (!writer.started()) write_error(writer, mapped);
}

}  // namespace downstream::http
