#include "node/heartbeat_key.h"
#include "crypto/sha256.h"

#include <cppunit/extensions/HelperMacros.h>

#include <cstdlib>
#include <fstream>
#include <sys/stat.h>
#include <unistd.h>

using namespace downstream::node;

class HeartbeatKeyTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(HeartbeatKeyTest);
    CPPUNIT_TEST(createsPrivateKeyAndDirectories);
    CPPUNIT_TEST(keepsExistingKey);
    CPPUNIT_TEST(missingKeySaysWhatToDo);
    CPPUNIT_TEST(rejectsWrongSize);
    CPPUNIT_TEST(swizzleKeyIsAPrivateHeartbeat);
    CPPUNIT_TEST(keyOfTheOtherSchemeIsRefusedWithAdvice);
    CPPUNIT_TEST_SUITE_END();

    std::string dir_;

public:
    void setUp() override {
        char templ[] = "/tmp/heartbeat-key-test-XXXXXX";
        dir_ = mkdtemp(templ);
    }
    void tearDown() override { std::system(("rm -rf '" + dir_ + "'").c_str()); }

    void createsPrivateKeyAndDirectories() {
        const std::string path = dir_ + "/a/b/heartbeat.key";
        bool created = false;
        auto key = create_heartbeat_key_if_missing(path, HeartbeatType::Merkle, created);
        CPPUNIT_ASSERT_MESSAGE(key ? "" : key.error().message, key.ok());
        CPPUNIT_ASSERT(created);
        CPPUNIT_ASSERT_EQUAL(std::size_t{32}, key->bytes.size());
        CPPUNIT_ASSERT_EQUAL(downstream::crypto::sha256(key->bytes), key->fingerprint);
        CPPUNIT_ASSERT_EQUAL(std::size_t{64}, key->fingerprint_hex().size());
        struct stat st {};
        CPPUNIT_ASSERT_EQUAL(0, stat(path.c_str(), &st));
        CPPUNIT_ASSERT_EQUAL(0600u, static_cast<unsigned>(st.st_mode & 0777));
        CPPUNIT_ASSERT_EQUAL(0, stat((dir_ + "/a/b").c_str(), &st));
        CPPUNIT_ASSERT_EQUAL(0700u, static_cast<unsigned>(st.st_mode & 0777));
        // No temporary file is left behind.
        CPPUNIT_ASSERT(access((path + ".new." + std::to_string(getpid())).c_str(), F_OK) != 0);
    }

    void keepsExistingKey() {
        const std::string path = dir_ + "/heartbeat.key";
        bool created = false;
        auto first = create_heartbeat_key_if_missing(path, HeartbeatType::Merkle, created);
        CPPUNIT_ASSERT(created);
        auto second = create_heartbeat_key_if_missing(path, HeartbeatType::Merkle, created);
        CPPUNIT_ASSERT(!created);
        CPPUNIT_ASSERT(first->bytes == second->bytes);
        auto loaded = load_heartbeat_key(path, HeartbeatType::Merkle);
        CPPUNIT_ASSERT(loaded->fingerprint == first->fingerprint);
    }

    void missingKeySaysWhatToDo() {
        auto key = load_heartbeat_key(dir_ + "/none.key", HeartbeatType::Merkle);
        CPPUNIT_ASSERT(!key.ok());
        CPPUNIT_ASSERT(key.error().message.find("initdb") != std::string::npos);
        CPPUNIT_ASSERT(key.error().message.find("copy the key file") != std::string::npos);
    }

    void rejectsWrongSize() {
        const std::string path = dir_ + "/short.key";
        std::ofstream(path) << "too short";
        auto key = load_heartbeat_key(path, HeartbeatType::Merkle);
        CPPUNIT_ASSERT(!key.ok());
        CPPUNIT_ASSERT(key.error().message.find("(9 bytes) is not a merkle key") != std::string::npos);
    }

    void swizzleKeyIsAPrivateHeartbeat() {
        const std::string path = dir_ + "/swizzle.key";
        bool created = false;
        auto key = create_heartbeat_key_if_missing(path, HeartbeatType::Swizzle, created);
        CPPUNIT_ASSERT_MESSAGE(key ? "" : key.error().message, key.ok());
        CPPUNIT_ASSERT(created);
        // SWIZZLE.md §4.2: flags 0x00 (private), then k_enc and k_mac of 32 bytes each.
        CPPUNIT_ASSERT_EQUAL(std::size_t{213}, key->bytes.size());
        CPPUNIT_ASSERT_EQUAL('\0', key->bytes[0]);
        CPPUNIT_ASSERT_EQUAL(std::string("\x20\0\0\0", 4), key->bytes.substr(1, 4));
        auto loaded = load_heartbeat_key(path, HeartbeatType::Swizzle);
        CPPUNIT_ASSERT(loaded.ok());
        CPPUNIT_ASSERT(loaded->fingerprint == key->fingerprint);
    }

    void keyOfTheOtherSchemeIsRefusedWithAdvice() {
        const std::string path = dir_ + "/merkle.key";
        bool created = false;
        CPPUNIT_ASSERT(create_heartbeat_key_if_missing(path, HeartbeatType::Merkle, created).ok());
        auto key = load_heartbeat_key(path, HeartbeatType::Swizzle);
        CPPUNIT_ASSERT(!key.ok());
        CPPUNIT_ASSERT(key.error().message.find("not a swizzle key") != std::string::npos);
        CPPUNIT_ASSERT(key.error().message.find("--replace-key") != std::string::npos);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(HeartbeatKeyTest);
