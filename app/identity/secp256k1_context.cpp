#include "identity/secp256k1_context.h"

#include "crypto/secure_random.h"

#include <new>
#include <stdexcept>

namespace downstream::identity {

Secp256k1Context::Secp256k1Context() : ctx_(secp256k1_context_create(SECP256K1_CONTEXT_NONE)) {
    if (!ctx_) throw std::bad_alloc();
    const std::string seed = crypto::secure_random_bytes(32);
    if (secp256k1_context_randomize(ctx_.get(), reinterpret_cast<const unsigned char*>(seed.data())) != 1)
        throw std::runtime_error("secp256k1_context_randomize failed");
}

const Secp256k1Context& Secp256k1Context::shared() {
    static const Secp256k1Context context;
    return context;
}

}  // namespace downstream::identity
