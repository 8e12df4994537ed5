// The test runner shared by build/unit-tests and build/integration-tests.
//
//   unit-tests                 run every registered test
//   unit-tests NAME [NAME...]  run the tests whose full name contains one of the NAMEs
//   unit-tests --list          list the test names
//
// It ends with the line "N passed, N failed" alone, which CI reads as the result.
#include <cppunit/CompilerOutputter.h>
#include <cppunit/TestComposite.h>
#include <cppunit/TestFailure.h>
#include <cppunit/TestResult.h>
#include <cppunit/TestResultCollector.h>
#include <cppunit/extensions/TestFactoryRegistry.h>

#include <chrono>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

namespace {

void collect(CppUnit::Test* test, std::vector<CppUnit::Test*>& out) {
    if (test->getChildTestCount() == 0) {
        out.push_back(test);
        return;
    }
    for (int i = 0; i < test->getChildTestCount(); ++i) collect(test->getChildTestAt(i), out);
}

// The selected tests, run as one suite without owning them: they stay owned by the suite tree
// that makeTest() returned, which main() deletes. (CppUnit's TestRunner takes ownership of the
// tests added to it, so handing it leaves of that tree would delete them twice, and not
// deleting the tree leaks it: LeakSanitizer reports it in `make test-sanitize`.)
class SelectedTests final : public CppUnit::TestComposite {
public:
    explicit SelectedTests(std::vector<CppUnit::Test*> tests)
        : CppUnit::TestComposite("selected"), tests_(std::move(tests)) {}
    int getChildTestCount() const override { return static_cast<int>(tests_.size()); }

protected:
    CppUnit::Test* doGetChildTestAt(int index) const override {
        return tests_[static_cast<std::size_t>(index)];
    }

private:
    std::vector<CppUnit::Test*> tests_;
};

// Prints each test's name and time as it finishes, so a slow or hanging test is easy to spot.
class NamingListener : public CppUnit::TestListener {
public:
    void startTest(CppUnit::Test*) override { start_ = std::chrono::steady_clock::now(); failed_ = false; }
    void addFailure(const CppUnit::TestFailure&) override { failed_ = true; }
    void endTest(CppUnit::Test* test) override {
        const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::steady_clock::now() - start_).count();
        std::cout << (failed_ ? "FAIL " : "ok   ") << test->getName() << " (" << ms << " ms)"
                  << std::endl;
    }

private:
    std::chrono::steady_clock::time_point start_;
    bool failed_ = false;
};

}  // namespace

int main(int argc, char** argv) {
    const std::unique_ptr<CppUnit::Test> root(CppUnit::TestFactoryRegistry::getRegistry().makeTest());
    std::vector<CppUnit::Test*> all;
    collect(root.get(), all);

    std::vector<std::string> filters(argv + 1, argv + argc);
    if (filters.size() == 1 && filters[0] == "--list") {
        for (auto* t : all) std::cout << t->getName() << "\n";
        return 0;
    }

    std::vector<CppUnit::Test*> selected;
    for (auto* t : all) {
        bool match = filters.empty();
        for (const auto& f : filters) match = match || t->getName().find(f) != std::string::npos;
        if (match) selected.push_back(t);
    }
    if (selected.empty()) {
        std::cout << "no test matches\n0 passed, 1 failed" << std::endl;
        return 1;
    }

    CppUnit::TestResult controller;
    CppUnit::TestResultCollector result;
    NamingListener naming;
    controller.addListener(&result);
    controller.addListener(&naming);
    SelectedTests suite(std::move(selected));
    controller.runTest(&suite);

    CppUnit::CompilerOutputter outputter(&result, std::cout);
    outputter.write();
    const int failed = result.testFailuresTotal();
    const int run = result.runTests();
    std::cout << (run - failed) << " passed, " << failed << " failed" << std::endl;
    return failed == 0 ? 0 : 1;
}
