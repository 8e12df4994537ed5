#include "api/api_events.h"

namespace downstream::api {

ApiEvents& ApiEvents::none() {
    // Stateless: one instance serves every thread.
    static ApiEvents ignore_all;
    return ignore_all;
}

}  // namespace downstream::api
