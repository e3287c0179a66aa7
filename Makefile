# integrity — PGXS build.
#
# The extension script is assembled from one SQL fragment per concept,
# src/<concept>.sql, in the order of CONCEPTS (later concepts use earlier
# ones), next to the C file of the same name.

EXTENSION  = integrity
EXTVERSION = 1.0
MODULE_big = integrity

CONCEPTS  = iscore scheme redline assessment index cnid uscc listed portrait
SQL_PARTS = $(wildcard $(foreach c,$(CONCEPTS),src/$(c).sql))
OBJS      = $(patsubst %.c,%.o,$(sort $(wildcard src/*.c)))

DATA_built = $(EXTENSION)--$(EXTVERSION).sql
EXTRA_CLEAN = $(EXTENSION)--$(EXTVERSION).sql

REGRESS      := $(patsubst sql/%.sql,%,$(sort $(wildcard sql/*.sql)))
REGRESS_OPTS = --load-extension=$(EXTENSION)
ISOLATION      := $(patsubst specs/%.spec,%,$(sort $(wildcard specs/*.spec)))
ISOLATION_OPTS = --load-extension=$(EXTENSION)

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

$(EXTENSION)--$(EXTVERSION).sql: $(SQL_PARTS) Makefile
	cat $(SQL_PARTS) > $@

# The three commands of the README.  Each sets up what is missing (Debian
# packages, build, install, a throwaway cluster) by itself.
.PHONY: test demo bench
test:
	@bash tools/test.sh
demo:
	@bash demo/report.sh
bench:
	@bash bench/run.sh
