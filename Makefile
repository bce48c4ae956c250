# inc - IT incident management for the Unix shell.
# GNU make; no configure step. `make deps` installs what Debian lacks.

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
SHAREDIR ?= $(PREFIX)/share/inc
MANDIR ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR ?= $(PREFIX)/share/zsh/site-functions

CC ?= cc
CFLAGS ?= -g -O2
PKGS = jansson sqlite3 libpcre2-8 gmime-3.0 libxml-2.0 expat libpq
override CFLAGS += -std=c11 -Wall -Wextra -Werror -Wno-unused-parameter \
	$(shell pkg-config --cflags $(PKGS) 2>/dev/null) -Ilib \
	-DINC_SHAREDIR='"$(SHAREDIR)"'
# libpq: its headers only; lib/db_pg.c loads it when a tool connects to
# PostgreSQL (dlopen), so that no SQLite run pays for loading it
LDLIBS += $(shell pkg-config --libs $(filter-out libpq,$(PKGS)) 2>/dev/null || echo -ljansson -lsqlite3 -lpcre2-8) -lcsv -lm -pthread -ldl

TOOLS = inc inc-log inc-show inc-classify inc-assign inc-update inc-task \
	inc-sla inc-escalate inc-close inc-report inc-events inc-notify inc-mail inc-import
BINS = bin/inc $(patsubst %,bin/%,$(filter $(TOOLS),$(patsubst cmd/%.c,%,$(wildcard cmd/inc-*.c))))
LIBSRC = $(wildcard lib/*.c)
LIBOBJ = $(LIBSRC:.c=.o)
UNITS = $(patsubst tests/unit/%.c,tests/unit/%,$(wildcard tests/unit/*_test.c))
MAN1 = $(wildcard man/*.1)
MAN5 = $(wildcard man/*.5)
MAN7 = $(wildcard man/*.7)

DEBS = build-essential pkg-config libsqlite3-dev libjansson-dev libpcre2-dev sqlite3 tzdata \
	bats bats-support bats-assert jq mandoc man-db bsdextrautils shellcheck valgrind zsh \
	libgmime-3.0-dev libxml2-dev libexpat1-dev libcsv-dev clang libclang-rt-14-dev \
	libpq-dev postgresql

all: $(BINS) $(UNITS)

MIGRATIONS = $(sort $(wildcard share/migrations/[0-9][0-9][0-9]-*.sql))
MIGRATIONS_PG = $(sort $(wildcard share/migrations/pg/[0-9][0-9][0-9]-*.sql))

# The schema migrations, embedded in order: one string per file, SQLite's
# (inc_migrations) and PostgreSQL's (inc_migrations_pg). The folders too:
# a file removed (a checkout of an older tree) moves their time, not a
# file's.
lib/migrations.h: $(MIGRATIONS) $(MIGRATIONS_PG) share/migrations share/migrations/pg
	{ echo '/* generated from share/migrations/ by make: do not edit */'; \
	  echo 'static const char *const inc_migrations[] = {'; \
	  for f in $(MIGRATIONS); do \
		echo "/* $$f */"; \
		sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/	"/' -e 's/$$/\\n"/' "$$f"; \
		echo ','; \
	  done; echo '};'; \
	  echo 'static const char *const inc_migrations_pg[] = {'; \
	  for f in $(MIGRATIONS_PG); do \
		echo "/* $$f */"; \
		sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/	"/' -e 's/$$/\\n"/' "$$f"; \
		echo ','; \
	  done; echo '};'; } > $@.tmp && mv $@.tmp $@

lib/db.o: lib/migrations.h
$(LIBOBJ): lib/inc.h lib/fields.def $(wildcard lib/*_int.h)

lib/libinc.a: $(LIBOBJ)
	$(AR) rcs $@ $^

bin/%: cmd/%.c cmd/tool.h lib/libinc.a
	@mkdir -p bin
	$(CC) $(CFLAGS) $(CPPFLAGS) $(LDFLAGS) -o $@ $< lib/libinc.a $(LDLIBS)

# the dispatcher: its own name, so that it is not mistaken for lib/inc.h
bin/inc: cmd/dispatch.c cmd/tool.h lib/libinc.a
	@mkdir -p bin
	$(CC) $(CFLAGS) $(CPPFLAGS) $(LDFLAGS) -o $@ $< lib/libinc.a $(LDLIBS)

tests/unit/%_test: tests/unit/%_test.c lib/libinc.a
	$(CC) $(CFLAGS) $(CPPFLAGS) $(LDFLAGS) -o $@ $< lib/libinc.a $(LDLIBS)

check: all
	@for t in $(UNITS); do echo "$$t"; ./$$t || exit 1; done
	@out=$$(mktemp); PATH="$(CURDIR)/bin:$$PATH" bats tests >$$out 2>&1; st=$$?; cat $$out; \
	skip=$$(grep -c '^ok .* # skip' $$out); \
	echo "bats: $$(( $$(grep -c '^ok' $$out) - skip )) passed, $$(grep -c '^not ok' $$out) failed, $$skip skipped"; \
	rm -f $$out; exit $$st

# The whole bats suite on PostgreSQL: a throwaway cluster (initdb, pg_ctl
# on a Unix socket in a temporary folder), a database per test.
check-pg: all
	sh tests/check-pg.sh

# The same suite on a build with AddressSanitizer and UBSan, in its own tree.
check-asan:
	$(MAKE) clean
	$(MAKE) CFLAGS="-g -O1 -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
		LDFLAGS="-fsanitize=address,undefined" check
	$(MAKE) clean

# The bats suite with every tool run under valgrind (slow).
check-valgrind: all
	PATH="$(CURDIR)/bin:$$PATH" INC_VALGRIND=1 bats tests

# Only the files that exist: helpers add theirs in their own branches.
LINT_SH = .ci/run demo.sh setup.sh tests/pg-cluster.sh tests/check-pg.sh
LINT_BASH = $(wildcard completions/inc.bash tests/test_helper.bash bench/*.sh)

lint:
	mandoc -Tlint -Wwarning $(MAN1) $(MAN5) $(MAN7)
	shellcheck -s sh $(LINT_SH)
	shellcheck -s bash $(LINT_BASH)
	if command -v zsh >/dev/null; then zsh -n completions/_inc; fi

bench: all
	$(MAKE) -C bench run

demo: all
	./demo.sh

deps:
	@missing=; for p in $(DEBS); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(SHAREDIR)/examples \
		$(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man7 \
		$(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR)
	install -m 755 $(BINS) $(DESTDIR)$(BINDIR)
	install -m 644 share/config.json $(DESTDIR)$(SHAREDIR)
	install -d $(DESTDIR)$(SHAREDIR)/import
	install -m 644 share/import/*.json $(DESTDIR)$(SHAREDIR)/import
	install -d $(DESTDIR)$(SHAREDIR)/migrations $(DESTDIR)$(SHAREDIR)/templates
	install -m 644 $(MIGRATIONS) $(DESTDIR)$(SHAREDIR)/migrations
	install -d $(DESTDIR)$(SHAREDIR)/migrations/pg
	install -m 644 $(MIGRATIONS_PG) $(DESTDIR)$(SHAREDIR)/migrations/pg
	install -m 644 share/templates/*.txt $(DESTDIR)$(SHAREDIR)/templates
	for f in share/examples/*; do \
		if [ -x "$$f" ]; then m=755; else m=644; fi; \
		install -m $$m "$$f" $(DESTDIR)$(SHAREDIR)/examples; \
	done
	for f in $(MAN1) $(MAN5) $(MAN7); do \
		install -m 644 "$$f" $(DESTDIR)$(MANDIR)/man$${f##*.}; \
	done
	install -m 644 completions/inc.bash $(DESTDIR)$(BASHCOMPDIR)/inc
	for t in $(TOOLS); do [ "$$t" = inc ] || ln -sf inc $(DESTDIR)$(BASHCOMPDIR)/$$t; done
	install -m 644 completions/_inc $(DESTDIR)$(ZSHCOMPDIR)/_inc

uninstall:
	rm -f $(addprefix $(DESTDIR)$(BINDIR)/,$(TOOLS))
	rm -rf $(DESTDIR)$(SHAREDIR)
	rm -f $(addprefix $(DESTDIR)$(MANDIR)/man1/,$(notdir $(MAN1)))
	rm -f $(addprefix $(DESTDIR)$(MANDIR)/man5/,$(notdir $(MAN5)))
	rm -f $(addprefix $(DESTDIR)$(MANDIR)/man7/,$(notdir $(MAN7)))
	rm -f $(addprefix $(DESTDIR)$(BASHCOMPDIR)/,$(TOOLS))
	rm -f $(DESTDIR)$(ZSHCOMPDIR)/_inc

# ---- fuzzing: the libFuzzer harnesses of tests/fuzz (clang, libclang-rt) ----
# The library is built again with clang and sanitizers in its own folder;
# the normal tree is untouched. `make fuzz` runs each harness FUZZ_SECONDS
# on its committed corpus plus a working corpus in FUZZ_DIR, then the
# committed reproducers; `make fuzz-smoke` is the same for 15 s each, for CI.
# Either fails on a crash, leak, UBSan report, timeout or a reproducer
# that still fails. FUZZ_FLAGS adds libFuzzer flags (e.g. -fork=2
# -ignore_crashes=1 to collect every crash of a long run).
FUZZ_CC ?= clang
FUZZ_DIR = tests/fuzz/build
FUZZ_CFLAGS ?= -g -O1
FUZZ_SAN = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_CPPFLAGS = -std=c11 -Wall -Wextra -Wno-unused-parameter \
	$(shell pkg-config --cflags $(PKGS) 2>/dev/null) -Ilib -DINC_SHAREDIR='"$(SHAREDIR)"'
FUZZ_TARGETS = $(patsubst tests/fuzz/%_fuzz.c,%,$(wildcard tests/fuzz/*_fuzz.c))
FUZZ_SECONDS ?= 600
FUZZ_FLAGS ?=
# -max_len per harness (default 4096): a record line, a config, the edits
# of one, a time, a rule and its text
FUZZ_MAXLEN_record = 4096
FUZZ_MAXLEN_config = 16384
FUZZ_MAXLEN_config_mut = 512
FUZZ_MAXLEN_time = 64
FUZZ_MAXLEN_rule = 2048
FUZZ_LIBOBJ = $(patsubst lib/%.c,$(FUZZ_DIR)/lib/%.o,$(LIBSRC))
FUZZ_BINS = $(patsubst %,$(FUZZ_DIR)/%_fuzz,$(FUZZ_TARGETS))

$(FUZZ_DIR)/lib/%.o: lib/%.c lib/inc.h lib/fields.def lib/migrations.h $(wildcard lib/*_int.h lib/civil.h)
	@mkdir -p $(FUZZ_DIR)/lib
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_CPPFLAGS) $(FUZZ_SAN) -fsanitize=fuzzer-no-link -c -o $@ $<

$(FUZZ_DIR)/libinc.a: $(FUZZ_LIBOBJ)
	rm -f $@
	$(AR) rcs $@ $^

$(FUZZ_DIR)/%_fuzz: tests/fuzz/%_fuzz.c $(wildcard tests/fuzz/*.h) $(FUZZ_DIR)/libinc.a
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_CPPFLAGS) $(FUZZ_SAN) -fsanitize=fuzzer -o $@ $< \
		$(FUZZ_DIR)/libinc.a $(LDLIBS)

fuzz-build: $(FUZZ_BINS)

fuzz: fuzz-build
	@st=0; $(foreach t,$(FUZZ_TARGETS),sh tests/fuzz/run.sh $(t) $(FUZZ_SECONDS) \
		$(or $(FUZZ_MAXLEN_$(t)),4096) $(FUZZ_FLAGS) || st=1;) exit $$st

fuzz-smoke:
	$(MAKE) fuzz FUZZ_SECONDS=15

fuzz-clean:
	rm -rf $(FUZZ_DIR)

clean:
	rm -rf bin lib/*.o lib/libinc.a lib/migrations.h $(UNITS)
	$(MAKE) -C bench clean 2>/dev/null || true

.PHONY: all check check-pg check-asan check-valgrind lint bench demo deps install uninstall clean \
	fuzz fuzz-build fuzz-smoke fuzz-clean
.SECONDARY:
