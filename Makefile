# kith: build, test, demo and benchmarks.  `make demo` and `make test` are
# the README's two commands; both install missing system packages first.

CC       ?= cc
CFLAGS   ?= -O2 -g
PREFIX   ?= /usr/local
DESTDIR  ?=
BUILD    ?= build
SANITIZE ?=
PKG_CONFIG ?= pkg-config

PKGS     := sqlite3 libxml-2.0 libpcre2-8 nettle jansson
WARN     := -Wall -Wextra -Wpedantic -Wstrict-prototypes -Wmissing-prototypes \
            -Wwrite-strings -Wvla -Wshadow -Werror
KCFLAGS  := -std=c17 -D_POSIX_C_SOURCE=200809L $(WARN) -fvisibility=hidden -pthread \
            -Iinclude -Isrc -Iserver -I$(BUILD)/gen -MMD -MP
ifneq ($(SANITIZE),)
KCFLAGS  += -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
LDSAN    := -fsanitize=$(SANITIZE)
endif
# The server (in the kith program, not the library) needs this as well.
SERVEPKGS := libmicrohttpd
DEPCFLAGS = $(shell $(PKG_CONFIG) --cflags $(PKGS) $(SERVEPKGS) 2>/dev/null)
SERVELIBS = $(shell $(PKG_CONFIG) --libs $(SERVEPKGS) 2>/dev/null)
DEPLIBS   = $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null) -lcsv -lm -pthread
TESTLIBS  = $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null)

LIB_SRC  := $(wildcard src/*/*.c)
CLI_SRC  := $(wildcard cli/*.c) $(wildcard server/*.c)
SERVER_OBJ := $(patsubst %.c,$(BUILD)/%.o,$(wildcard server/*.c))
TEST_SRC := $(wildcard tests/test_*.c)
BENCH_SRC:= $(wildcard bench/*.c)
TAXONOMY := $(sort $(wildcard corpus/import/*.tsv))
EMBEDDED := schemas/feed.xsd schemas/patient.xsd schemas/airs/airs_3_0.xsd schemas/airs/airs_3_1.xsd \
            corpus/weights.conf corpus/synonyms.rules $(TAXONOMY)

LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o) $(BUILD)/gen/embedded.o $(BUILD)/gen/districts.o
CLI_OBJ  := $(CLI_SRC:%.c=$(BUILD)/%.o)
TEST_BIN := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)
BENCH_BIN:= $(BENCH_SRC:bench/%.c=$(BUILD)/bench/%)
LIBKITH  := $(BUILD)/libkith.a
FUZZ_TARGETS := feed profile flags rules index oruk hsds hsds_csv openactive airs http
REPLAY_BIN := $(FUZZ_TARGETS:%=$(BUILD)/fuzz/replay-%)
KITH     := $(BUILD)/kith

.SECONDARY:
.PHONY: all deps demo test check headers golden golden-update browser screenshots san tsan valgrind bench-quality bench-perf \
        fuzz fuzz-smoke test-oom \
        bench-serve install uninstall \
        format lint clean
all: $(LIBKITH) $(KITH) $(BENCH_BIN)

deps:
	@if [ -z "$$KITH_NO_DEPS" ]; then sh scripts/deps.sh; fi

# The taxonomy tables, one per publisher's scheme, built in as one.
$(BUILD)/gen/taxonomy.tsv: $(TAXONOMY)
	@mkdir -p $(@D)
	cat $(TAXONOMY) > $@
$(BUILD)/gen/embedded.c: scripts/embed.sh $(EMBEDDED) $(BUILD)/gen/taxonomy.tsv
	@mkdir -p $(@D)
	sh scripts/embed.sh kith_feed_xsd=schemas/feed.xsd kith_patient_xsd=schemas/patient.xsd \
	  kith_default_weights=corpus/weights.conf kith_default_synonyms=corpus/synonyms.rules \
	  kith_import_taxonomy_table=$(BUILD)/gen/taxonomy.tsv \
	  kith_airs_3_0_xsd=schemas/airs/airs_3_0.xsd kith_airs_3_1_xsd=schemas/airs/airs_3_1.xsd > $@.tmp
	mv $@.tmp $@
$(BUILD)/gen/districts.c: scripts/postcodes.sh corpus/uk-postcode-districts.csv
	@mkdir -p $(@D)
	sh scripts/postcodes.sh corpus/uk-postcode-districts.csv > $@.tmp
	mv $@.tmp $@
$(BUILD)/gen/%.o: $(BUILD)/gen/%.c
	$(CC) $(KCFLAGS) $(CFLAGS) -c $< -o $@

$(BUILD)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(KCFLAGS) $(DEPCFLAGS) $(CFLAGS) -c $< -o $@
$(LIB_OBJ) $(CLI_OBJ): | $(BUILD)/gen/embedded.c $(BUILD)/gen/districts.c

$(LIBKITH): $(LIB_OBJ)
	rm -f $@
	$(AR) rcs $@ $^
$(KITH): $(CLI_OBJ) $(LIBKITH)
	$(CC) $(CFLAGS) $(LDSAN) -o $@ $(CLI_OBJ) $(LIBKITH) $(DEPLIBS) $(SERVELIBS)

# Tests link the server's files too (the server tests start it in-process).
$(BUILD)/tests/%: $(BUILD)/tests/%.o $(BUILD)/tests/support.o $(SERVER_OBJ) $(LIBKITH)
	$(CC) $(CFLAGS) $(LDSAN) $(TEST_LDFLAGS) -o $@ $< $(BUILD)/tests/support.o $(SERVER_OBJ) $(LIBKITH) $(DEPLIBS) \
	  $(SERVELIBS) $(TESTLIBS)
# The out-of-memory test fails kith's own allocations: every call to them in libkith goes through its wrappers.
$(BUILD)/tests/test_oom: TEST_LDFLAGS = -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=strdup,--wrap=strndup
$(BUILD)/tests/support.o: tests/support.c
	@mkdir -p $(@D)
	$(CC) $(KCFLAGS) $(DEPCFLAGS) $(CFLAGS) -c $< -o $@
$(BUILD)/bench/%: $(BUILD)/bench/%.o $(LIBKITH)
	$(CC) $(CFLAGS) $(LDSAN) -o $@ $< $(LIBKITH) $(DEPLIBS)
$(BUILD)/bench/perf_serve: $(BUILD)/bench/perf_serve.o $(SERVER_OBJ) $(LIBKITH)
	$(CC) $(CFLAGS) $(LDSAN) -o $@ $< $(SERVER_OBJ) $(LIBKITH) $(DEPLIBS) $(SERVELIBS)
# The PostgreSQL peer needs libpq, which only bench/perf.sh installs: without
# it the peer is skipped here and perf.sh builds it after installing libpq-dev.
$(BUILD)/bench/peer_pg: bench/peer_pg.c $(LIBKITH)
	@mkdir -p $(@D)
	@if $(PKG_CONFIG) --exists libpq; then \
	  echo "$(CC) ... -o $@ $< ... -lpq"; \
	  $(CC) $(KCFLAGS) $(DEPCFLAGS) $$($(PKG_CONFIG) --cflags libpq) $(CFLAGS) $(LDSAN) -o $@ $< \
	    $(LIBKITH) $(DEPLIBS) $$($(PKG_CONFIG) --libs libpq); \
	else echo "note: no libpq-dev, $@ not built (make bench-perf installs it)"; fi

# The tests run four times: a plain build, the same under valgrind, an
# AddressSanitizer and UndefinedBehaviorSanitizer build, and a
# ThreadSanitizer build (feeds load on two threads).  None is ever timed.
# Then each fuzz target runs for 10 seconds (`make fuzz` for long runs).
test: deps
	$(MAKE) --no-print-directory lint
	$(MAKE) --no-print-directory headers
	$(MAKE) --no-print-directory check
	$(MAKE) --no-print-directory golden
	$(MAKE) --no-print-directory browser
	$(MAKE) --no-print-directory valgrind
	$(MAKE) --no-print-directory san
	$(MAKE) --no-print-directory tsan
	$(MAKE) --no-print-directory fuzz-smoke

check: $(KITH) $(TEST_BIN) $(REPLAY_BIN)
	@sh tests/run.sh $(BUILD) $(TEST_BIN)
	@sh fuzz/replay.sh $(BUILD)

# The fuzz targets (fuzz/target.c, one per input format) in the ordinary
# build, replaying the saved inputs; `make fuzz` runs them under libFuzzer.
$(BUILD)/fuzz/replay-%: fuzz/target.c fuzz/replay.c $(LIBKITH)
	@mkdir -p $(@D)
	$(CC) $(filter-out -MMD -MP,$(KCFLAGS)) $(CFLAGS) $(LDSAN) -DFUZZ_TARGET=$* -o $@ fuzz/target.c fuzz/replay.c \
	  $(LIBKITH) $(DEPLIBS)
$(BUILD)/fuzz/replay-http: fuzz/target.c fuzz/replay.c $(SERVER_OBJ) $(LIBKITH)
	@mkdir -p $(@D)
	$(CC) $(filter-out -MMD -MP,$(KCFLAGS)) $(DEPCFLAGS) $(CFLAGS) $(LDSAN) -DFUZZ_TARGET=http -DFUZZ_WITH_SERVER \
	  -o $@ fuzz/target.c fuzz/replay.c $(SERVER_OBJ) $(LIBKITH) $(DEPLIBS) $(SERVELIBS)
fuzz:
	sh scripts/fuzz.sh $${FUZZ_SECONDS:-600}
# Every allocation of a load and a match failed in turn (make check tries every 13th).
test-oom: $(KITH) $(BUILD)/tests/test_oom
	KITH_OOM_STRIDE=1 KITH_BIN=$(KITH) KITH_SRCDIR=$$(pwd) $(BUILD)/tests/test_oom
fuzz-smoke:
	sh scripts/fuzz.sh $${FUZZ_SECONDS:-10}

# Each public header compiles alone, strictly, as a C program that includes
# only it would (libgit2's tests/headertest).
PUBLIC_HEADERS := include/kith.h $(wildcard include/kith/*.h)
headers:
	@mkdir -p $(BUILD)/headers
	@for std in c99 c17; do for h in $(PUBLIC_HEADERS); do \
	  name=$${h#include/}; \
	  printf '#include "%s"\nint main(void) { return 0; }\n' "$$name" > $(BUILD)/headers/test.c; \
	  $(CC) -std=$$std -Wall -Wextra -Wpedantic -Werror -Iinclude -c $(BUILD)/headers/test.c \
	    -o $(BUILD)/headers/test.o || { echo "headers: $$h does not compile alone ($$std)"; exit 1; }; \
	done; done; echo "headers: each of $(words $(PUBLIC_HEADERS)) public headers compiles alone, as C99 and C17"

# The program's outputs over the corpus, a generated directory and bad
# input, byte for byte against tests/golden/expected (see tests/golden/README.md).
golden: $(KITH) $(BUILD)/bench/genfeed
	@sh tests/golden/run.sh $(BUILD)
golden-update: $(KITH) $(BUILD)/bench/genfeed
	@sh tests/golden/run.sh $(BUILD) --update

# kith serve in headless Chromium (tests/browser/run.mjs): the link worker's
# path through the pages, one-page print of the sheet, axe-core on each page.
$(BUILD)/browser/kendal.db: $(KITH) $(wildcard corpus/kendal/feeds/*.xml)
	@mkdir -p $(@D)
	rm -f $@ $@-wal $@-shm
	$(KITH) index -q $@ corpus/kendal/feeds/*.xml
browser: $(KITH) $(BUILD)/browser/kendal.db
	@sh scripts/browser-deps.sh
	@node tests/browser/run.mjs $(KITH) $(BUILD)/browser/kendal.db $(BUILD)/browser
# The README's pictures, taken by the same run.
screenshots: $(KITH) $(BUILD)/browser/kendal.db
	@sh scripts/browser-deps.sh
	@node tests/browser/run.mjs $(KITH) $(BUILD)/browser/kendal.db docs
	rm -f docs/sheet.pdf

san:
	$(MAKE) --no-print-directory BUILD=build/san SANITIZE=address,undefined CFLAGS="-O1 -g" check

tsan:
	$(MAKE) --no-print-directory BUILD=build/tsan SANITIZE=thread CFLAGS="-O1 -g" check

# Every test program under valgrind (PCRE2 JIT off: valgrind cannot see into JIT code).
# test_oom is left out: its thousands of child processes under valgrind would take an hour, and the
# sanitizer build runs it.
valgrind: $(KITH) $(TEST_BIN)
	@for t in $(filter-out %/test_oom,$(TEST_BIN)); do \
	  echo "valgrind $$t"; \
	  KITH_NO_JIT=1 KITH_BIN=$(KITH) KITH_SRCDIR=$$(pwd) valgrind -q --leak-check=full \
	    --errors-for-leak-kinds=definite,indirect --error-exitcode=9 $$t >/dev/null 2>&1 || \
	    { echo "valgrind found errors or leaks in $$t"; exit 1; }; \
	done; echo "valgrind: no errors, no leaks"

demo: deps all
	@sh scripts/demo.sh $(BUILD)

bench-quality: deps all
	@sh bench/quality.sh $(BUILD)

bench-perf: deps all
	@sh bench/perf.sh $(BUILD)
	@sh bench/import.sh $(BUILD)

bench-serve: deps all $(BUILD)/bench/perf_serve
	@sh bench/serve.sh $(BUILD)

install: $(LIBKITH) $(KITH)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib/pkgconfig $(DESTDIR)$(PREFIX)/include/kith
	install -m 755 $(KITH) $(DESTDIR)$(PREFIX)/bin/kith
	install -m 644 $(LIBKITH) $(DESTDIR)$(PREFIX)/lib/libkith.a
	install -m 644 include/kith.h $(DESTDIR)$(PREFIX)/include/kith.h
	install -m 644 include/kith/*.h $(DESTDIR)$(PREFIX)/include/kith/
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@PKGS@|$(PKGS)|' kith.pc.in > $(DESTDIR)$(PREFIX)/lib/pkgconfig/kith.pc
uninstall:
	rm -rf $(DESTDIR)$(PREFIX)/bin/kith $(DESTDIR)$(PREFIX)/lib/libkith.a \
	  $(DESTDIR)$(PREFIX)/include/kith.h $(DESTDIR)$(PREFIX)/include/kith \
	  $(DESTDIR)$(PREFIX)/lib/pkgconfig/kith.pc

format:
	clang-format -i src/*/*.[ch] include/*.h include/kith/*.h cli/*.[ch] server/*.[ch] tests/*.[ch] bench/*.c
lint:
	@sh scripts/lint.sh

clean:
	rm -rf build

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
