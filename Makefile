# downstream-node — build, test, run.
#
#   make            build the node binary (build/downstream-node) and the test programs
#   make test       install missing Debian packages, run unit, integration and browser tests
#   make cluster-test  one node on two pools over a three-member Galera cluster (also in `make test`)
#   make run        a complete local node on http://127.0.0.1:$(PORT)/ (Ctrl-C stops it)
#   make stop       stop what `make run` left running (MariaDB, nginx)
#   make bench      benchmarks against ceilings measured in the same run (build/bench.txt)
#   make install    install under $(PREFIX) (DESTDIR honoured)
#   make clean      remove build/ (runtime data in var/ stays; `make distclean` removes it too)
#
# Sources are found by folder: every app/<module>/*.cpp goes into build/libdownstream.a,
# app/main.cpp is the binary, test/<module>/*_test.cpp are the unit tests. Adding a file needs
# no edit here.

SHELL := /bin/bash
BUILD ?= build
PORT ?= 8080
PREFIX ?= /usr/local
SYSCONFDIR ?= /etc
LOCALSTATEDIR ?= /var
DESTDIR ?=

CXX ?= g++
OPT ?= -O2 -g
SANITIZE ?=
CXXFLAGS_BASE := -std=c++17 -pthread -Wall -Wextra -Werror -Iapp -Itest -MMD -MP
CXXFLAGS += $(OPT) $(SANITIZE) $(CXXFLAGS_BASE)
LDFLAGS += -pthread $(SANITIZE)
LIBS := -lPocoDataMySQL -lmariadb -lPocoData -lPocoNet -lPocoFoundation -lfcgi -lmaxminddb \
        -lsecp256k1 -lssl -lcrypto -lz
TEST_LIBS := -lcppunit

# ---------------------------------------------------------------------------------------------
# Sources

APP_SRCS  := $(filter-out app/main.cpp,$(wildcard app/*/*.cpp))
APP_OBJS  := $(APP_SRCS:%.cpp=$(BUILD)/obj/%.o)

# The schema migrations of sql/ are compiled into the binary (initdb/migrate need no files).
SQL_FILES := $(sort $(wildcard sql/[0-9][0-9][0-9]_*.sql))
GEN_MIGRATIONS := $(BUILD)/gen/embedded_migrations.cpp
APP_OBJS  += $(GEN_MIGRATIONS:%.cpp=$(BUILD)/obj/%.o)
MAIN_OBJ  := $(BUILD)/obj/app/main.o

# Unit tests: one folder per app module, plus the shared runner and fixtures.
UNIT_DIRS  := $(filter-out test/integration test/bench test/fuzz test/farmer test/support test/vectors test/geoip test/browser test/tools,$(wildcard test/*))
UNIT_SRCS  := $(shell find $(UNIT_DIRS) -name '*_test.cpp' 2>/dev/null)
SUPPORT_SRCS := $(wildcard test/support/*.cpp)
SUPPORT_OBJS := $(SUPPORT_SRCS:%.cpp=$(BUILD)/obj/%.o)
UNIT_OBJS  := $(UNIT_SRCS:%.cpp=$(BUILD)/obj/%.o)

# The test farmer: a C++ client of the HTTP API, used by integration tests and the load generator.
FARMER_SRCS := $(filter-out test/farmer/main.cpp,$(wildcard test/farmer/*.cpp))
FARMER_OBJS := $(FARMER_SRCS:%.cpp=$(BUILD)/obj/%.o)

INTEGRATION_SRCS := $(shell find test/integration -name '*.cpp' 2>/dev/null)
INTEGRATION_OBJS := $(INTEGRATION_SRCS:%.cpp=$(BUILD)/obj/%.o)

BENCH_PROGRAMS := $(patsubst test/bench/%.cpp,$(BUILD)/bench/%,$(wildcard test/bench/*.cpp))

# Small programs the test scripts start (fixtures such as a stub FastCGI app): one .cpp each.
TOOL_PROGRAMS := $(patsubst test/tools/%.cpp,$(BUILD)/tools/%,$(wildcard test/tools/*.cpp))

LIB       := $(BUILD)/libdownstream.a
NODE      := $(BUILD)/downstream-node
UNIT      := $(BUILD)/unit-tests
INTEGRATION := $(BUILD)/integration-tests
FARMER    := $(BUILD)/test-farmer

.PHONY: all test unit-test integration-test run stop bench bench-proof install clean distclean \
        deps test-sanitize fuzz check-layers cluster-test
.DEFAULT_GOAL := all

all: $(if $(wildcard app/main.cpp),$(NODE)) $(UNIT)

$(BUILD)/obj/%.o: %.cpp
	@mkdir -p $(dir $@)
	$(CXX) $(CXXFLAGS) -c $< -o $@

$(GEN_MIGRATIONS): $(SQL_FILES) scripts/embed-sql.sh
	@mkdir -p $(dir $@)
	scripts/embed-sql.sh $@ $(SQL_FILES)

$(LIB): $(APP_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

$(NODE): $(MAIN_OBJ) $(LIB)
	$(CXX) $(LDFLAGS) -o $@ $^ $(LIBS)

$(UNIT): $(UNIT_OBJS) $(SUPPORT_OBJS) $(LIB)
	$(CXX) $(LDFLAGS) -o $@ $^ $(TEST_LIBS) $(LIBS)

$(INTEGRATION): $(INTEGRATION_OBJS) $(FARMER_OBJS) $(SUPPORT_OBJS) $(LIB)
	$(CXX) $(LDFLAGS) -o $@ $^ $(TEST_LIBS) $(LIBS)

$(FARMER): $(BUILD)/obj/test/farmer/main.o $(FARMER_OBJS) $(LIB)
	$(CXX) $(LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/bench/%: $(BUILD)/obj/test/bench/%.o $(FARMER_OBJS) $(LIB)
	@mkdir -p $(dir $@)
	$(CXX) $(LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/tools/%: $(BUILD)/obj/test/tools/%.o $(FARMER_OBJS) $(LIB)
	@mkdir -p $(dir $@)
	$(CXX) $(LDFLAGS) -o $@ $^ $(LIBS)

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)

# ---------------------------------------------------------------------------------------------
# Tests. `make test` is what CI runs (.ci/run): it installs what is missing, builds, runs every
# suite and ends with one line "N passed, N failed".

deps:
	scripts/deps.sh

unit-test: $(UNIT)
	$(UNIT)

check-layers:
	scripts/check-layers.sh

test: deps
	$(MAKE) all $(if $(INTEGRATION_SRCS),$(INTEGRATION)) $(if $(wildcard test/farmer/main.cpp),$(FARMER)) $(TOOL_PROGRAMS)
	scripts/test-all.sh

# Two pools of one node over a three-member Galera cluster on loopback, nginx in front
# (scripts/test-cluster.sh; about 3 minutes, runtime under var/test-cluster/).
cluster-test: deps $(NODE) $(INTEGRATION)
	scripts/test-cluster.sh

# ---------------------------------------------------------------------------------------------
# Benchmarks

# The heartbeat schemes on one core: Merkle (with the crypto ceilings), then Swizzle.
bench-proof: $(BUILD)/bench/proof_bench $(BUILD)/bench/swizzle_bench
	{ $(BUILD)/bench/proof_bench && echo && $(BUILD)/bench/swizzle_bench; } | tee $(BUILD)/bench-proof.txt

bench: deps $(NODE) $(BENCH_PROGRAMS)
	scripts/bench-all.sh

# ---------------------------------------------------------------------------------------------
# Running

run: deps $(NODE)
	scripts/run-local.sh $(if $(CONFIG),--config $(CONFIG)) --port $(PORT)

stop:
	scripts/stop-local.sh

clean:
	rm -rf $(BUILD)

distclean: clean
	-scripts/stop-local.sh
	rm -rf var

# ---------------------------------------------------------------------------------------------
# Status page (nginx/www, test/browser). Kept in this one block.
#
#   make build/www       the static site nginx serves: nginx/www/ plus the map libraries and
#                        outlines from npm (nginx/www-build/package-lock.json), copied, not bundled
#   make test-browser    headless-Chromium test of the page (scripts/test-browser.sh)
#
# npm ci runs into $(BUILD)/ only when a lock file changes; node_modules never enter the tree.

WWW        := $(BUILD)/www
WWW_NPM    := $(BUILD)/www-npm
WWW_VENDOR := d3-array/dist/d3-array.min.js d3-geo/dist/d3-geo.min.js \
              topojson-client/dist/topojson-client.min.js world-atlas/countries-110m.json
WWW_LICENSES := d3-array d3-geo topojson-client world-atlas
BROWSER_TEST_NPM := $(BUILD)/browser-test

.PHONY: www $(WWW) browser-test-deps test-browser

$(WWW_NPM)/.installed: nginx/www-build/package.json nginx/www-build/package-lock.json
	@mkdir -p $(WWW_NPM)
	cp $^ $(WWW_NPM)/
	cd $(WWW_NPM) && npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Rebuilt on every call (a copy of a few files); the swap keeps a half-copied site from being served.
$(WWW): $(WWW_NPM)/.installed
	rm -rf $@.tmp && mkdir -p $@.tmp/vendor
	cp -R nginx/www/. $@.tmp/
	cp $(addprefix $(WWW_NPM)/node_modules/,$(WWW_VENDOR)) $@.tmp/vendor/
	for p in $(WWW_LICENSES); do cp $(WWW_NPM)/node_modules/$$p/LICENSE $@.tmp/vendor/LICENSE.$$p; done
	rm -rf $@ && mv $@.tmp $@

www: $(WWW)

$(BROWSER_TEST_NPM)/.installed: test/browser/package.json test/browser/package-lock.json
	@mkdir -p $(BROWSER_TEST_NPM)
	cp $^ $(BROWSER_TEST_NPM)/
	cd $(BROWSER_TEST_NPM) && npm ci --no-audit --no-fund --loglevel=error
	touch $@

browser-test-deps: $(BROWSER_TEST_NPM)/.installed

test-browser:
	scripts/test-browser.sh

# `make run` serves the page.
run: $(WWW)
# --------------------------------------------------------------------------- end status page
