#include "node/listen_socket.h"

#include <cppunit/extensions/HelperMacros.h>

#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <string>

using downstream::node::ListenSocket;
using downstream::node::ListenSocketOptions;
using downstream::node::parse_socket_mode;

namespace {

std::string make_temp_dir() {
    char pattern[] = "/tmp/listen-socket-test-XXXXXX";
    CPPUNIT_ASSERT(::mkdtemp(pattern) != nullptr);
    return pattern;
}

bool can_connect(const std::string& path) {
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::strncpy(address.sun_path, path.c_str(), sizeof address.sun_path - 1);
    const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
    ::close(fd);
    return ok;
}

mode_t mode_of(const std::string& path) {
    struct stat st {};
    CPPUNIT_ASSERT_EQUAL(0, ::lstat(path.c_str(), &st));
    return st.st_mode & 0777;
}

}  // namespace

class ListenSocketTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(ListenSocketTest);
    CPPUNIT_TEST(createsWithTheConfiguredMode);
    CPPUNIT_TEST(createsMissingParentDirectories);
    CPPUNIT_TEST(replacesAStaleSocket);
    CPPUNIT_TEST(refusesALiveSocket);
    CPPUNIT_TEST(refusesToDeleteARegularFile);
    CPPUNIT_TEST(unknownGroupIsAnError);
    CPPUNIT_TEST(parsesModes);
    CPPUNIT_TEST_SUITE_END();

public:
    void createsWithTheConfiguredMode() {
        const std::string dir = make_temp_dir();
        const mode_t old_umask = ::umask(077);  // the restrictive umask a service runs under
        {
            ListenSocketOptions options;
            options.path = dir + "/fcgi.sock";
            options.mode = 0666;
            auto socket = ListenSocket::create(options);
            CPPUNIT_ASSERT_MESSAGE(socket.ok() ? "" : socket.error().message, socket.ok());
            CPPUNIT_ASSERT_EQUAL(static_cast<mode_t>(0666), mode_of(options.path));
            CPPUNIT_ASSERT(can_connect(options.path));
            CPPUNIT_ASSERT(!socket->inherited());
        }
        ::umask(old_umask);
        // Closing removes the file this process created.
        CPPUNIT_ASSERT(::access((dir + "/fcgi.sock").c_str(), F_OK) != 0);
        ::rmdir(dir.c_str());
    }
    void createsMissingParentDirectories() {
        const std::string dir = make_temp_dir();
        ListenSocketOptions options;
        options.path = dir + "/run/downstream-node/fcgi.sock";
        options.mode = 0660;
        {
            auto socket = ListenSocket::create(options);
            CPPUNIT_ASSERT(socket.ok());
            CPPUNIT_ASSERT_EQUAL(static_cast<mode_t>(0660), mode_of(options.path));
        }
        ::rmdir((dir + "/run/downstream-node").c_str());
        ::rmdir((dir + "/run").c_str());
        ::rmdir(dir.c_str());
    }
    void replacesAStaleSocket() {
        const std::string dir = make_temp_dir();
        const std::string path = dir + "/fcgi.sock";
        {
            // A socket file whose owner died: bound, never listening, closed.
            sockaddr_un address{};
            address.sun_family = AF_UNIX;
            std::strncpy(address.sun_path, path.c_str(), sizeof address.sun_path - 1);
            const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
            CPPUNIT_ASSERT_EQUAL(0, ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address));
            ::close(fd);
        }
        ListenSocketOptions options;
        options.path = path;
        {
            auto socket = ListenSocket::create(options);
            CPPUNIT_ASSERT_MESSAGE(socket.ok() ? "" : socket.error().message, socket.ok());
            CPPUNIT_ASSERT(can_connect(path));
        }
        ::rmdir(dir.c_str());
    }
    void refusesALiveSocket() {
        const std::string dir = make_temp_dir();
        ListenSocketOptions options;
        options.path = dir + "/fcgi.sock";
        auto first = ListenSocket::create(options);
        CPPUNIT_ASSERT(first.ok());
        auto second = ListenSocket::create(options);
        CPPUNIT_ASSERT(!second.ok());
        CPPUNIT_ASSERT(second.error().message.find("another process is listening") != std::string::npos);
        CPPUNIT_ASSERT(can_connect(options.path));  // the live socket is untouched
    }
    void refusesToDeleteARegularFile() {
        const std::string dir = make_temp_dir();
        const std::string path = dir + "/fcgi.sock";
        std::ofstream(path) << "precious";
        ListenSocketOptions options;
        options.path = path;
        auto socket = ListenSocket::create(options);
        CPPUNIT_ASSERT(!socket.ok());
        CPPUNIT_ASSERT(socket.error().message.find("not a socket") != std::string::npos);
        std::ifstream in(path);
        std::string content;
        in >> content;
        CPPUNIT_ASSERT_EQUAL(std::string("precious"), content);
        ::unlink(path.c_str());
        ::rmdir(dir.c_str());
    }
    void unknownGroupIsAnError() {
        const std::string dir = make_temp_dir();
        ListenSocketOptions options;
        options.path = dir + "/fcgi.sock";
        options.group = "no-such-group-downstream";
        auto socket = ListenSocket::create(options);
        CPPUNIT_ASSERT(!socket.ok());
        CPPUNIT_ASSERT(socket.error().message.find("unknown group") != std::string::npos);
        ::unlink(options.path.c_str());
        ::rmdir(dir.c_str());
    }
    void parsesModes() {
        CPPUNIT_ASSERT_EQUAL(static_cast<mode_t>(0660), *parse_socket_mode("0660"));
        CPPUNIT_ASSERT_EQUAL(static_cast<mode_t>(0666), *parse_socket_mode("666"));
        CPPUNIT_ASSERT(!parse_socket_mode("0880").ok());
        CPPUNIT_ASSERT(!parse_socket_mode("").ok());
        CPPUNIT_ASSERT(!parse_socket_mode("07777").ok());
        CPPUNIT_ASSERT(!parse_socket_mode("rw").ok());
    }
};
CPPUNIT_TEST_SUITE_REGISTRATION(ListenSocketTest);
