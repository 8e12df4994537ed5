// config: print the effective configuration.
#include "base/log.h"
#include "node/command.h"

#include <cstdio>

namespace downstream::node {

int run_print_config(CommandContext& context) {
    const std::string text = render_config(context.config());
    std::fwrite(text.data(), 1, text.size(), stdout);
    return kExitOk;
}

}  // namespace downstream::node
