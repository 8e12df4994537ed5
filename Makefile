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

# The list of migrations is a prerequisite too: a migration that arrives by a merge can be
# older than the generated file, and timestamps alone would keep the old list.
SQL_LIST := $(BUILD)/gen/sql-files.txt
$(shell mkdir -p $(BUILD)/gen && (echo '$(SQL_FILES)' | cmp -s - $(SQL_LIST) || echo '$(SQL_FILES)' >$(SQL_LIST)))

$(GEN_MIGRATIONS): $(SQL_FILES) $(SQL_LIST) scripts/embed-sql.sh
	@mkdir -p $(dir $@)
	scripts/embed-sql.sh $@ $(SQL_FILES)

$(LIB): $(APP_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

$(NODE): $(MAIN_OBJ) $(LIB)
	$(CXX) $(LDFLAGS) -o $@ $^ $(LIBS)

# The unit tests compress request bodies as the farmer client does (test/farmer/gzip_body).
$(UNIT): $(UNIT_OBJS) $(SUPPORT_OBJS) $(BUILD)/obj/test/farmer/gzip_body.o $(LIB)
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

# Both cores build: a clean build is most of CI's time.
JOBS ?= $(shell nproc)

test: deps
	$(MAKE) -j$(JOBS) all $(if $(INTEGRATION_SRCS),$(INTEGRATION)) $(if $(wildcard test/farmer/main.cpp),$(FARMER)) $(TOOL_PROGRAMS)
	scripts/test-all.sh

# Two pools of one node over a three-member Galera cluster on loopback, nginx in front
# (scripts/test-cluster.sh; about 2 minutes, runtime under var/test-cluster/).
cluster-test: deps $(NODE) $(INTEGRATION)
	scripts/test-cluster.sh

# ---------------------------------------------------------------------------------------------
# Benchmarks

# The heartbeat schemes on one core: Merkle (with the crypto ceilings), then Swizzle.
bench-proof: $(BUILD)/bench/proof_bench $(BUILD)/bench/swizzle_bench
	{ $(BUILD)/bench/proof_bench && echo && $(BUILD)/bench/swizzle_bench; } | tee $(BUILD)/bench-proof.txt

# The node stacks of the benches serve the status page ($(BUILD)/www, built in the status block).
bench: deps $(NODE) $(BENCH_PROGRAMS) $(BUILD)/www
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

# ---------------------------------------------------------------------------------------------
# Installing (PREFIX=/usr/local by default; DESTDIR for staging or packaging)
#
#   $(BINDIR)/downstream-node                      the binary
#   $(UNITDIR)/downstream-node*.{service,socket,timer}   systemd units (rendered from systemd/*.in)
#   $(SYSUSERSDIR)/downstream-node.conf            the service user (systemd-sysusers)
#   $(SYSCONFDIR)/downstream-node/node.conf        docs/node.conf.example; never overwritten
#   $(SYSCONFDIR)/nginx/sites-available/downstream-node   nginx site; never overwritten
#   $(DATADIR)/downstream-node/www                 the status page (build/www)
#   $(DATADIR)/downstream-node/sql                 the schema migrations (also in the binary)
#   $(DOCDIR)                                      README, docs, licence
# A config file or nginx site that already exists is kept; the new one is put beside it as
# FILE.new. Installed into the live system as root (no DESTDIR), it also creates the user
# (systemd-sysusers), gives node.conf to root:downstream-node mode 0640 and creates the
# service's state directory $(LOCALSTATEDIR)/lib/downstream-node (0700).

BINDIR ?= $(PREFIX)/bin
DATADIR ?= $(PREFIX)/share
DOCDIR ?= $(DATADIR)/doc/downstream-node
UNITDIR ?= $(PREFIX)/lib/systemd/system
SYSUSERSDIR ?= $(PREFIX)/lib/sysusers.d
NODE_DATADIR := $(DATADIR)/downstream-node
INSTALL_RENDER := sed -e 's|@BINDIR@|$(BINDIR)|g' -e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g' \
                      -e 's|@DOCDIR@|$(DOCDIR)|g' -e 's|@LOCALSTATEDIR@|$(LOCALSTATEDIR)|g'

# install-config SOURCE TARGET MODE: install unless TARGET exists, else beside it as TARGET.new.
define install-config
	if [[ -e "$(2)" ]]; then \
	  install -m $(3) "$(1)" "$(2).new"; \
	  echo "install: kept $(2); the new version is $(2).new"; \
	else \
	  install -m $(3) "$(1)" "$(2)"; \
	fi
endef

install: $(NODE) $(WWW)
	install -d "$(DESTDIR)$(BINDIR)" "$(DESTDIR)$(UNITDIR)" "$(DESTDIR)$(SYSUSERSDIR)" \
	           "$(DESTDIR)$(SYSCONFDIR)/downstream-node" "$(DESTDIR)$(SYSCONFDIR)/nginx/sites-available" \
	           "$(DESTDIR)$(NODE_DATADIR)/sql" "$(DESTDIR)$(DOCDIR)/docs"
	install -m 0755 $(NODE) "$(DESTDIR)$(BINDIR)/downstream-node"
	set -e; for template in systemd/*.service.in systemd/*.socket.in systemd/*.timer.in; do \
	  unit=$$(basename "$$template" .in); \
	  $(INSTALL_RENDER) "$$template" >"$(BUILD)/$$unit"; \
	  install -m 0644 "$(BUILD)/$$unit" "$(DESTDIR)$(UNITDIR)/$$unit"; \
	done
	$(INSTALL_RENDER) systemd/downstream-node.sysusers.in >"$(BUILD)/downstream-node.sysusers"
	install -m 0644 "$(BUILD)/downstream-node.sysusers" "$(DESTDIR)$(SYSUSERSDIR)/downstream-node.conf"
	@$(call install-config,docs/node.conf.example,$(DESTDIR)$(SYSCONFDIR)/downstream-node/node.conf,0640)
	sed -e 's|/usr/share/downstream-node/www|$(NODE_DATADIR)/www|g' nginx/downstream-node.conf \
	  >"$(BUILD)/downstream-node.nginx"
	@$(call install-config,$(BUILD)/downstream-node.nginx,$(DESTDIR)$(SYSCONFDIR)/nginx/sites-available/downstream-node,0644)
	rm -rf "$(DESTDIR)$(NODE_DATADIR)/www"
	cp -R $(WWW) "$(DESTDIR)$(NODE_DATADIR)/www"
	chmod -R u=rwX,go=rX "$(DESTDIR)$(NODE_DATADIR)/www"
	install -m 0644 $(SQL_FILES) "$(DESTDIR)$(NODE_DATADIR)/sql/"
	install -m 0644 README.md LICENSE "$(DESTDIR)$(DOCDIR)/"
	install -m 0644 docs/*.md docs/node.conf.example "$(DESTDIR)$(DOCDIR)/docs/"
	@if [[ -z "$(DESTDIR)" && $$(id -u) == 0 ]] && command -v systemd-sysusers >/dev/null; then \
	  systemd-sysusers "$(SYSUSERSDIR)/downstream-node.conf" && \
	  chgrp downstream-node "$(SYSCONFDIR)/downstream-node/node.conf" && \
	  install -d -o downstream-node -g downstream-node -m 0700 "$(LOCALSTATEDIR)/lib/downstream-node" && \
	  echo "install: $(SYSCONFDIR)/downstream-node/node.conf is root:downstream-node 0640;" \
	       "$(LOCALSTATEDIR)/lib/downstream-node is the service's"; \
	fi

# ---------------------------------------------------------------------------------------------
# Hostile input at the unit level: libFuzzer targets and sanitizer builds. Kept in this one block.
#
#   make fuzz            builds every test/fuzz/<name>_fuzz.cpp with clang's libFuzzer, ASan and
#                        UBSan into build/fuzz/ and runs each for FUZZ_SECONDS (default 20) on a
#                        scratch copy of its seeds (test/fuzz/corpus/<name>/); ends with
#                        "N passed, N failed". FUZZ_TARGETS="base64 router" runs only those.
#                        A crash leaves its input in build/fuzz/crashes/<name>/ (scripts/fuzz.sh
#                        prints the command that replays it).
#   make fuzz-targets    only builds them (build/fuzz/bin/<name>_fuzz)
#   make test-sanitize   the unit tests built with ASan + UBSan (+ LeakSanitizer) into
#                        build/sanitize/ and run; ends with the runner's "N passed, N failed".
#
# A new fuzz target is one file, test/fuzz/<name>_fuzz.cpp (see test/fuzz/README.md); the app
# code it can call is every app/<module>/*.cpp of FUZZ_MODULES, built with the same sanitizers
# into build/fuzz/libdownstream.a, of which the linker takes only what the target uses.

FUZZ_SECONDS ?= 20
FUZZ_CXX ?= clang++
FUZZ_BUILD := $(BUILD)/fuzz
FUZZ_MODULES ?= base crypto encoding json proof identity http contract api
FUZZ_SANITIZERS := -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_CXXFLAGS := -O1 -g -fno-omit-frame-pointer $(FUZZ_SANITIZERS) -fsanitize=fuzzer-no-link \
                 -fsanitize-ignorelist=test/fuzz/ubsan.ignorelist \
                 $(CXXFLAGS_BASE)
# Poco is neither instrumented nor needed: files that include it stay out.
FUZZ_APP_SRCS := $(if $(wildcard $(FUZZ_MODULES:%=app/%/*.cpp)),\
                   $(shell grep -L 'Poco/' $(wildcard $(FUZZ_MODULES:%=app/%/*.cpp))))
FUZZ_APP_OBJS := $(FUZZ_APP_SRCS:%.cpp=$(FUZZ_BUILD)/obj/%.o)
FUZZ_LIB := $(FUZZ_BUILD)/libdownstream.a
FUZZ_LIBS := -Wl,--as-needed -lfcgi -lmaxminddb -lsecp256k1 -lssl -lcrypto -lz
FUZZ_ALL := $(patsubst test/fuzz/%_fuzz.cpp,%,$(wildcard test/fuzz/*_fuzz.cpp))
FUZZ_TARGETS ?= $(FUZZ_ALL)
FUZZ_PROGRAMS := $(FUZZ_TARGETS:%=$(FUZZ_BUILD)/bin/%_fuzz)

SANITIZE_BUILD := $(BUILD)/sanitize
SANITIZE_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=undefined
# (The sanitizer build drops -Wmaybe-uninitialized only: under ASan at -O1, GCC 12 reports
# libstdc++'s own <regex> automaton as "may be used uninitialized", a known false positive;
# the normal -O2 build keeps the warning as an error.)

.PHONY: fuzz-targets
# The targets' objects are kept (make would delete them as intermediates).
.SECONDARY: $(FUZZ_TARGETS:%=$(FUZZ_BUILD)/obj/test/fuzz/%_fuzz.o)

$(FUZZ_BUILD)/obj/%.o: %.cpp test/fuzz/ubsan.ignorelist
	@mkdir -p $(dir $@)
	$(FUZZ_CXX) $(FUZZ_CXXFLAGS) -c $< -o $@

$(FUZZ_LIB): $(FUZZ_APP_OBJS)
	rm -f $@ && ar rcs $@ $^

$(FUZZ_BUILD)/bin/%_fuzz: $(FUZZ_BUILD)/obj/test/fuzz/%_fuzz.o $(FUZZ_LIB)
	@mkdir -p $(dir $@)
	$(FUZZ_CXX) -fsanitize=fuzzer $(FUZZ_SANITIZERS) -o $@ $^ $(FUZZ_LIBS)

fuzz-targets: $(FUZZ_PROGRAMS)

fuzz:
	DOWNSTREAM_DEPS_EXTRA="$(DOWNSTREAM_DEPS_EXTRA) fuzz" scripts/deps.sh
	$(MAKE) fuzz-targets
	BUILD=$(BUILD) FUZZ_SECONDS=$(FUZZ_SECONDS) scripts/fuzz.sh $(FUZZ_TARGETS)

test-sanitize:
	DOWNSTREAM_DEPS_EXTRA="$(DOWNSTREAM_DEPS_EXTRA) fuzz" scripts/deps.sh
	$(MAKE) BUILD=$(SANITIZE_BUILD) OPT="-O1 -g -fno-omit-frame-pointer -Wno-maybe-uninitialized" \
	        SANITIZE="$(SANITIZE_FLAGS)" $(SANITIZE_BUILD)/unit-tests
	ASAN_OPTIONS=detect_leaks=1:strict_string_checks=1:detect_stack_use_after_return=1 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 $(SANITIZE_BUILD)/unit-tests

-include $(shell find $(FUZZ_BUILD)/obj -name '*.d' 2>/dev/null)
# --------------------------------------------------------------------------- end fuzz/sanitize
