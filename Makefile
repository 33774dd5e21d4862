# ThreadPoolProxy — every entry point a user or CI needs. `make help` lists them.
MVN      ?= mvn -B -ntp
PROXY_JAR = proxy/target/tpp-proxy.jar
CRS_TESTS ?= ../shared/crs-3.3.4/tests
CRS_RULES ?= ../shared/crs-3.3.4
CRS4_TESTS ?= ../shared/crs-4.28.0/tests/regression/tests
CRS4_RULES ?= ../shared/crs-4.28.0
# The OWASP CRS regression tests (FTW or go-ftw format) through the real proxy process; fails when a test outside
# proxy/src/test/resources/crs/VERSION/known-failures.txt fails, or a listed one passes.
crs_conformance = $(MVN) -pl proxy verify -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false \
	  -Dit.test=CrsConformanceIT -Dcrs.tests=$(abspath $(1)) -Dcrs.rules=$(abspath $(2))

.PHONY: help deps build run test nullness check fmt bench profile warmup cpusplit loopturns turnstacks stalls fuzz e2e e2e-cluster-up e2e-cluster-down waf-conformance waf-differential clean

help: ## this list
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

deps: ## install the system packages the build and tests need (Debian; no-op when present)
	@scripts/install-deps.sh --test

build: deps ## compile and package every module (no tests)
	$(MVN) -DskipTests install

run: build ## run one proxy on deploy/local/proxy.yaml: data :8080, admin :9090
	deploy/local/prepare.sh
	java -jar $(PROXY_JAR) --config deploy/local/proxy.yaml

# make e2e runs last: on a fresh machine it first builds the control plane from Go modules (27 min measured on a
# shared 2-core machine; cached in ~/.cache/tpp after that). e2e/README.md, "Measured".
# scripts/test-go.sh first: it downloads the pinned Go toolchain (once, ~70 MB; later steps build helm and the control
# plane with it when the machine has no Go that new) and checks that a tampered download is refused.
test: deps ## every test: unit, integration (real sockets), CRS conformance, Helm chart and dashboards, end-to-end
	$(MAKE) --no-print-directory nullness
	scripts/test-go.sh
	$(MVN) install
	deploy/local/prepare.sh
	java -jar $(PROXY_JAR) --check deploy/local/proxy.yaml
	$(call crs_conformance,$(CRS_TESTS),$(CRS_RULES))
	$(call crs_conformance,$(CRS4_TESTS),$(CRS4_RULES))
	scripts/h2spec.sh
	helm/test.sh
	$(MAKE) --no-print-directory e2e

# JSpecify mode needs javac >= 22: the script finds one under /usr/lib/jvm (docs/architecture.md, "Nullness").
nullness: ## NullAway over config, waf and proxy on a JDK >= 22; any finding fails (make test runs it)
	MVN="$(MVN)" scripts/nullness.sh

check: ## validate a config file: make check CONFIG=path/to/proxy.yaml
	java -jar $(PROXY_JAR) --check $(CONFIG)

fmt: ## format the Java sources with google-java-format (Spotless); every build checks the format
	$(MVN) -q spotless:apply

bench: build ## benchmarks against nginx, side by side, ratios printed (bench/README.md)
	bench/run.sh

profile: build ## scenario 1 under async-profiler: CPU/allocation flame graphs, bytes/request, GC pauses (bench/profiles/)
	MVN="$(MVN)" bench/profile.sh

warmup: build ## scenario 1 from tpp's start in 10 s slices: req/s, p99, JIT and loop CPU per slice (bench/README.md)
	bench/warmup.sh

cpusplit: build ## scenario 1: user and kernel CPU us per request, tpp vs nginx, after C2 settles (bench/README.md)
	bench/cpusplit.sh

loopturns: build ## scenario 1: events per epoll wait, busy time per loop turn, what else ran on the server cpu (bench/README.md)
	bench/loopturns.sh

turnstacks: build ## scenario 1: call stacks of the event loop's longest turns against the rest, tpp and nginx (bench/README.md)
	bench/turnstacks.sh

stalls: build ## scenario 1: what took the server's CPU during tpp's longest loop turns, over whole rounds (bench/README.md)
	bench/stalls.sh

fuzz: ## fuzz each parser with Jazzer: make fuzz [FUZZ_TIME=5m] [FUZZ_MAX_LEN=65536] [FUZZ_TARGETS=module:Class#method] (docs/proxy.md)
	MVN="$(MVN)" FUZZ_TIME=$(or $(FUZZ_TIME),5m) FUZZ_MAX_LEN=$(or $(FUZZ_MAX_LEN),65536) scripts/fuzz.sh $(FUZZ_TARGETS)

waf-conformance: build ## CRS regression tests through the real proxy: make waf-conformance [CRS_TESTS=DIR CRS_RULES=DIR]
	$(call crs_conformance,$(CRS_TESTS),$(CRS_RULES))

# make test runs ModsecDifferentialTest with the waf module's tests, each request at one paranoia level; this runs
# every request at every level (4x the work). waf/README.md, "Differential test against libmodsecurity3".
waf-differential: deps ## the WAF engine against libmodsecurity3: CRS 3.3.4 and 4.28.0, PL 1-4, every request at every level
	$(MVN) -q -pl waf -am install -DskipTests
	$(MVN) -pl waf test -Dtest=ModsecDifferentialTest -Dsurefire.failIfNoSpecifiedTests=false -Dmodsec.full=true \
	  -Dmodsec.crs=$(abspath $(CRS_RULES)),$(abspath $(CRS4_RULES))

E2E_STATE ?= /tmp/tpp-e2e
e2e-cluster-up: ## build once (cached in ~/.cache/tpp) and start a local Kubernetes control plane; KUBECONFIG=$(E2E_STATE)/kubeconfig
	scripts/install-deps.sh openssl iproute2
	E2E_STATE=$(E2E_STATE) e2e/cluster/up.sh

e2e-cluster-down: ## stop what e2e-cluster-up started (PID files)
	E2E_STATE=$(E2E_STATE) e2e/cluster/down.sh

e2e: deps ## end-to-end scenarios on a real control plane: up, *E2E, down (e2e/README.md)
	scripts/install-deps.sh openssl iproute2  # iproute2: the node agent puts pod IPs on device lo
	$(MVN) -DskipTests -pl proxy,operator -am package
	E2E_STATE=$(E2E_STATE) MVN="$(MVN)" e2e/cluster/e2e.sh

clean: ## remove build output
	$(MVN) -q clean
