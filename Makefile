# portsim - build, test, benchmark.  See README.md for the targets.
#
# Every target that compiles first runs the dependency step (tools/deps.sh
# build), which installs missing build packages when run as root; 'check'
# also runs 'tools/deps.sh test' for the optional tools tests use (a test
# whose tool is still missing says SKIP).  pkg-config flags
# are looked up lazily, after that step, and once per make invocation.
# Variants build in their own directories: build/ (default), build/asan,
# build/bench; objects never mix.

SHELL    = /bin/bash
PREFIX  ?= /usr/local
B       ?= build
PKGS     = gsl sqlite3 inih jansson libxxhash
CPPFLAGS = -I. -D_POSIX_C_SOURCE=200809L -MMD -MP
CFLAGS  ?= -O2 -g
WARN     = -std=c11 -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
           -Wmissing-prototypes -Wundef -Wwrite-strings -Wdouble-promotion \
           -Wformat=2 $(if $(WERROR),-Werror)
ASAN     = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

# Memoised on first use (after the dependency step has run).
PKG_CFLAGS   = $(eval PKG_CFLAGS := $$(shell pkg-config --cflags $(PKGS) check))$(PKG_CFLAGS)
PKG_LIBS     = $(eval PKG_LIBS := $$(shell pkg-config --libs $(PKGS)))$(PKG_LIBS)
CHECK_LIBS   = $(eval CHECK_LIBS := $$(shell pkg-config --libs check))$(CHECK_LIBS)
ALL_CFLAGS   = $(CFLAGS) $(WARN) $(PKG_CFLAGS)
LDLIBS_ALL   = $(PKG_LIBS) -lm

MAIN_SRC  = cli/portsim.c
LIB_SRCS  = $(filter-out $(MAIN_SRC),$(wildcard sim/*.c models/*.c analysis/*.c cli/*.c))
TEST_SRCS = tests/check_main.c $(wildcard tests/test_*.c) tests/testutil.c
BENCH_SRCS = $(wildcard tests/bench_*.c)

LIB_OBJS  = $(LIB_SRCS:%.c=$(B)/%.o) $(B)/analysis/schema_sql.o
TEST_OBJS = $(TEST_SRCS:%.c=$(B)/%.o)
FUZZ_OBJS = $(patsubst %.c,$(B)/%.o,$(wildcard tests/fuzz/*.c))
BENCHES   = $(BENCH_SRCS:tests/%.c=$(B)/%)

.PHONY: all deps deps-test check check-quick check-unit check-e2e check-fuzz asan bench bench-run \
        demo install clean globals layers fuzz fuzz-run matrix valgrind

all: $(B)/portsim $(B)/libportsim.a

deps:
	@tools/deps.sh build

deps-test:
	@tools/deps.sh test

$(B)/%.o: %.c | deps
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -c -o $@ $<

# analysis/schema.sql is embedded in the library as the byte array
# 'store_schema_sql' (NUL-terminated).  od writes bytes, not a string
# literal, so no quoting can go wrong and no 4095-character limit applies.
$(B)/analysis/schema_sql.c: analysis/schema.sql
	@mkdir -p $(@D)
	{ echo '/* generated from analysis/schema.sql by the Makefile; do not edit */'; \
	  echo 'extern const unsigned char store_schema_sql[];'; \
	  echo 'const unsigned char store_schema_sql[] = {'; \
	  od -An -v -tx1 $< | sed -e 's/ *\([0-9a-f][0-9a-f]\)/0x\1,/g'; \
	  echo '0x00};'; } >$@

$(B)/analysis/schema_sql.o: $(B)/analysis/schema_sql.c | deps
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -c -o $@ $<

$(B)/libportsim.a: $(LIB_OBJS)
	@rm -f $@
	$(AR) rcs $@ $^

$(B)/portsim: $(B)/cli/portsim.o $(B)/libportsim.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS_ALL)

$(B)/check_portsim: $(TEST_OBJS) $(B)/libportsim.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(CHECK_LIBS) $(LDLIBS_ALL)

$(B)/bench_%: $(B)/tests/bench_%.o $(B)/tests/benchutil.o $(B)/libportsim.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS_ALL)

# No writable global or static data in the library (STYLE.md §4).
globals: $(LIB_OBJS)
	@tools/check-globals.sh $(LIB_OBJS)

# Includes only go down the layers; SQL stays in the store (DESIGN.md §1).
layers:
	@tools/check-layers.sh

# Check's summary line is printed again last, so that it closes the output.
check: deps-test globals layers check-unit check-e2e check-fuzz
	@grep -E '^[0-9]+%: Checks' $(B)/check-unit.log | tail -n 1

check-unit: $(B)/check_portsim $(B)/portsim
	@set -o pipefail; $(B)/check_portsim 2>&1 | tee $(B)/check-unit.log

check-e2e: $(B)/portsim | deps-test
	@tools/run-e2e.sh $(B)/portsim

# Fuzzing (tests/fuzz/, README "Reliability").  Each harness is built twice:
# with libFuzzer by clang for 'make fuzz' (build/fuzz), and with the plain
# main() of tests/fuzz/replay.c by any compiler for 'make check', which feeds
# it the seeds and every kept finding (tests/fuzz/regressions/NAME/).
FUZZ_HARNESSES = scenario set sweep numparse trace dbload
FUZZ_SECONDS  ?= 60
FUZZ_SAN       = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

$(B)/fuzz-replay/%: $(B)/tests/fuzz/fuzz_%.o $(B)/tests/fuzz/replay.o $(B)/libportsim.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS_ALL)

check-fuzz: $(FUZZ_HARNESSES:%=$(B)/fuzz-replay/%)
	@for h in $(FUZZ_HARNESSES); do \
	    printf 'fuzz replay %-9s ' $$h; \
	    $(B)/fuzz-replay/$$h tests/fuzz/seeds/$$h \
	        $$(ls -d tests/fuzz/regressions/$$h 2>/dev/null) || exit 1; \
	done

fuzz:
	@command -v clang >/dev/null || { echo "make fuzz: needs clang (tools/deps.sh test)"; exit 2; }
	$(MAKE) B=build/fuzz CC=clang CFLAGS="-O1 -g -fsanitize=fuzzer-no-link $(FUZZ_SAN)" \
	    LDFLAGS="-fsanitize=fuzzer $(FUZZ_SAN)" fuzz-run

$(B)/fuzz-%: $(B)/tests/fuzz/fuzz_%.o $(B)/libportsim.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS_ALL)

.SECONDARY: $(FUZZ_OBJS)

fuzz-run: $(FUZZ_HARNESSES:%=$(B)/fuzz-%)
	@tools/fuzz.sh $(B) $(FUZZ_SECONDS) $(FUZZ_HARNESSES)

# The edit-compile-test loop, well under a minute: the globals check, the
# Check suites without the TCases tagged "slow" (CK_EXCLUDE_TAGS=slow: the
# oracles of test_stack.c and test_wheel.c, test_run.c's closed forms), and
# the fast end-to-end scripts below, the experiments' golden digests among
# them.  'make check' stays the whole suite.
QUICK_E2E = tests/e2e_expect.sh tests/e2e_cli.sh tests/e2e_profiles.sh tests/e2e_globals.sh \
            tests/e2e_trace.sh tests/e2e_report.sh tests/e2e_demo.sh tests/e2e_experiments.sh \
            tests/e2e_run.sh tests/e2e_sweep.sh tests/e2e_plot.sh tests/e2e_teach.sh

check-quick: globals $(B)/check_portsim $(B)/portsim
	@CK_EXCLUDE_TAGS=slow $(B)/check_portsim
	@p=$$(realpath $(B)/portsim); fail=0; \
	for t in $(QUICK_E2E); do \
	    if PORTSIM=$$p bash $$t >$(B)/e2e-quick.log 2>&1; then echo "e2e ok    $$t"; \
	    else echo "e2e FAIL  $$t"; sed 's/^/    /' $(B)/e2e-quick.log | tail -n 40; fail=1; fi; \
	done; rm -f $(B)/e2e-quick.log; exit $$fail

asan:
	$(MAKE) B=build/asan CFLAGS="-O1 -g $(ASAN)" LDFLAGS="$(ASAN)" check-unit check-e2e check-fuzz

# The determinism matrix: gcc and clang at -O0/-O2/-O3 and gcc under
# ASan/UBSan, each in build/matrix/CC-OPT, give the digests and metrics of
# tests/golden/matrix-digests.txt (tools/matrix.sh; clang missing: SKIP).
matrix: | deps-test
	@tools/matrix.sh

# memcheck on the end-to-end runs (tools/valgrind-e2e.sh): any memory error
# or leak, on success and error paths alike, fails.
valgrind: $(B)/portsim | deps-test
	@tools/valgrind-e2e.sh $(B)/portsim

bench:
	$(MAKE) B=build/bench CFLAGS="-O3 -g -DNDEBUG" bench-run

bench-run: $(BENCHES) $(B)/portsim
	@for b in $(BENCHES); do echo "== $$b"; $$b || exit 1; done
	@for s in tests/bench_*.sh; do echo "== $$s"; PORTSIM=$(B)/portsim bash $$s || exit 1; done

demo: all
	@tools/demo.sh $(B)/portsim

clean:
	rm -rf build

# ---- Version, shared library, install (the package block) ----
# The version text: 'git describe' in a checkout (tools/version.sh), compiled
# into cli/version.o only, which is rebuilt when the stamp file's text changes.
# libportsim.so is built from its own objects in $(B)/pic (-fPIC, hidden
# visibility: only the PORTSIM_API functions of include/portsim/portsim.h are
# exported), so the static library and the program are unchanged.
PORTSIM_VERSION_TEXT := $(shell tools/version.sh)
VERSION_STAMP := $(shell mkdir -p $(B) && \
    { [ "$$(cat $(B)/version.txt 2>/dev/null)" = '$(PORTSIM_VERSION_TEXT)' ] || \
      echo '$(PORTSIM_VERSION_TEXT)' >$(B)/version.txt; }; echo $(B)/version.txt)
BINDIR     = $(PREFIX)/bin
LIBDIR     = $(PREFIX)/lib
INCDIR     = $(PREFIX)/include
DATADIR    = $(PREFIX)/share/portsim
DOCDIR     = $(PREFIX)/share/doc/portsim
MANDIR     = $(PREFIX)/share/man
BASHCOMPDIR = $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR  = $(PREFIX)/share/zsh/site-functions
PIC_OBJS   = $(LIB_SRCS:%.c=$(B)/pic/%.o) $(B)/pic/analysis/schema_sql.o
PIC_FLAGS  = -fPIC -fvisibility=hidden

$(B)/cli/version.o $(B)/pic/cli/version.o: $(VERSION_STAMP)
$(B)/cli/version.o $(B)/pic/cli/version.o: \
    CPPFLAGS += -DPORTSIM_VERSION_TEXT='"$(PORTSIM_VERSION_TEXT)"'
$(B)/cli/datadir.o $(B)/pic/cli/datadir.o: CPPFLAGS += -DPORTSIM_DATADIR='"$(DATADIR)"'
$(B)/cli/datadir.o $(B)/pic/cli/datadir.o: $(B)/prefix.txt

# The compiled-in data folder follows PREFIX: a stamp like the version's.
PREFIX_STAMP := $(shell mkdir -p $(B) && \
    { [ "$$(cat $(B)/prefix.txt 2>/dev/null)" = '$(DATADIR)' ] || \
      echo '$(DATADIR)' >$(B)/prefix.txt; })

all: $(B)/libportsim.so
check-e2e: $(B)/libportsim.so

$(B)/pic/%.o: %.c | deps
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) $(PIC_FLAGS) -c -o $@ $<

$(B)/pic/analysis/schema_sql.o: $(B)/analysis/schema_sql.c | deps
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) $(PIC_FLAGS) -c -o $@ $<

$(B)/libportsim.so: $(PIC_OBJS)
	$(CC) $(CFLAGS) $(LDFLAGS) -shared -Wl,-soname,libportsim.so -o $@ $^ $(LDLIBS_ALL)

$(B)/portsim.pc: Makefile $(VERSION_STAMP) $(B)/prefix.txt
	{ echo 'prefix=$(PREFIX)'; echo 'libdir=$${prefix}/lib'; \
	  echo 'includedir=$${prefix}/include'; echo; \
	  echo 'Name: portsim'; \
	  echo 'Description: deterministic simulator of TCP ephemeral ports and TIME_WAIT'; \
	  echo 'Version: $(PORTSIM_VERSION_TEXT)'; \
	  echo 'Requires.private: $(PKGS)'; \
	  echo 'Cflags: -I$${includedir}'; \
	  echo 'Libs: -L$${libdir} -lportsim'; \
	  echo 'Libs.private: -lm'; } >$@

# What 'make install' puts, relative to $(DESTDIR): INSTALLED lists it, and
# install writes that list to $(DATADIR)/installed-files.txt, which 'make
# uninstall' removes file by file (so it removes exactly what that install
# put, even after the tree changed), with the folders of ours left empty.
# The man page and the bash and zsh completions are written by the program
# from its command and key tables ('portsim manpage', 'portsim completion').
# experiments: every file but what running them leaves there (databases, job logs)
EXPERIMENT_FILES = $(shell find experiments -type f ! -name '*.db' ! -name '*.db-*' \
                     ! -name '*.out' ! -name '*~' | sort)
PYTHON_FILES     = $(wildcard python/portsim/*.py)
MANPAGE          = $(B)/portsim.1
BASHCOMP         = $(B)/portsim.bash
ZSHCOMP          = $(B)/_portsim
MANIFEST         = $(DATADIR)/installed-files.txt
INSTALLED = $(BINDIR)/portsim $(LIBDIR)/libportsim.a $(LIBDIR)/libportsim.so \
    $(INCDIR)/portsim/portsim.h $(LIBDIR)/pkgconfig/portsim.pc \
    $(addprefix $(DATADIR)/,$(EXPERIMENT_FILES) $(PYTHON_FILES)) $(DOCDIR)/README.md \
    $(MANDIR)/man1/portsim.1 $(BASHCOMPDIR)/portsim $(ZSHCOMPDIR)/_portsim \
    $(MANIFEST)

all: $(MANPAGE) $(BASHCOMP) $(ZSHCOMP)

$(MANPAGE): $(B)/portsim
	$(B)/portsim manpage >$@.tmp && mv $@.tmp $@
$(BASHCOMP): $(B)/portsim
	$(B)/portsim completion bash >$@.tmp && mv $@.tmp $@
$(ZSHCOMP): $(B)/portsim
	$(B)/portsim completion zsh >$@.tmp && mv $@.tmp $@

install: $(B)/portsim $(B)/libportsim.a $(B)/libportsim.so $(B)/portsim.pc \
         $(MANPAGE) $(BASHCOMP) $(ZSHCOMP)
	install -D -m 0755 $(B)/portsim $(DESTDIR)$(BINDIR)/portsim
	install -D -m 0644 $(B)/libportsim.a $(DESTDIR)$(LIBDIR)/libportsim.a
	install -D -m 0755 $(B)/libportsim.so $(DESTDIR)$(LIBDIR)/libportsim.so
	install -D -m 0644 include/portsim/portsim.h $(DESTDIR)$(INCDIR)/portsim/portsim.h
	install -D -m 0644 $(B)/portsim.pc $(DESTDIR)$(LIBDIR)/pkgconfig/portsim.pc
	for f in $(EXPERIMENT_FILES) $(PYTHON_FILES); do \
	    install -D -m 0644 $$f $(DESTDIR)$(DATADIR)/$$f || exit 1; done
	install -D -m 0644 README.md $(DESTDIR)$(DOCDIR)/README.md
	install -D -m 0644 $(MANPAGE) $(DESTDIR)$(MANDIR)/man1/portsim.1
	install -D -m 0644 $(BASHCOMP) $(DESTDIR)$(BASHCOMPDIR)/portsim
	install -D -m 0644 $(ZSHCOMP) $(DESTDIR)$(ZSHCOMPDIR)/_portsim
	printf '%s\n' $(INSTALLED) >$(DESTDIR)$(MANIFEST)

uninstall:
	if [ -f $(DESTDIR)$(MANIFEST) ]; then \
	    sed 's|^|$(DESTDIR)|' $(DESTDIR)$(MANIFEST) | xargs rm -f; \
	else \
	    rm -f $(addprefix $(DESTDIR),$(INSTALLED)); \
	fi
	rm -rf $(DESTDIR)$(DATADIR)/python/portsim/__pycache__
	-find $(DESTDIR)$(DATADIR) $(DESTDIR)$(INCDIR)/portsim $(DESTDIR)$(DOCDIR) \
	    -depth -type d -empty -delete 2>/dev/null

.PHONY: uninstall
-include $(PIC_OBJS:.o=.d)

-include $(LIB_OBJS:.o=.d) $(TEST_OBJS:.o=.d) $(FUZZ_OBJS:.o=.d) $(B)/cli/portsim.d
