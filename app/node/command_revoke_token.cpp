// revoke-token TOKEN
#include "base/log.h"
#include "crypto/sha256.h"
#include "encoding/hex.h"
#include "node/command.h"
#include "store/token_repository.h"

namespace downstream::node {

int run_revoke_token(CommandContext& context) {
    const std::string& token = context.args().at(0);
    // TODO(integrator): use identity/token.h's hashing once merged (the same two steps).
    if (!encoding::is_hex(token, 32)) {
        log::error("revoke-token: '" + token + "' is not a token (32 hex characters)");
        return kExitUsage;
    }
    if (Status s = context.require_schema(); !s) {
        log::error("revoke-token: " + s.error().message);
        return kExitFailure;
    }
    if (auto key = context.load_checked_key(); !key) {
        log::error("revoke-token: " + key.error().message);
        return kExitFailure;
    }
    const std::string hash = crypto::sha256(encoding::hex_decode(token).value());
    store::TokenRepository tokens(context.database());
    if (!tokens.remove(hash, context.clock().now_ms())) {
        log::error("revoke-token: no such token (farmer id " + encoding::hex_encode(hash).substr(0, 20) + ")");
        return kExitFailure;
    }
    log::info("revoke-token: deleted farmer " + encoding::hex_encode(hash).substr(0, 20) +
              " with its contracts");
    return kExitOk;
}

}  // namespace downstream::node
