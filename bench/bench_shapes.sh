# bench/bench_shapes.sh — no cliffs (issue 18): listed() on lists of every
# shape against the equivalent EXISTS (the planner's hash semi-join).
#
# Sourced by bench/run.sh (bench_sql, bench_pair, bench_line, bench_note).
# SHAPES_PROBES probes (default 20,000, half of them listed) against a list
# of SHAPES_ROWS rows (default 30,000) of bigint keys, each list shape in
# turn, every query in a fresh session:
#   listed_shape_view              a view (WHERE) over a table with a blacklist index
#   listed_shape_rls               a table under a row-level security policy
#                                  that applies to the caller (no filter)
#   listed_shape_partitioned       4 hash partitions, a blacklist index on each
#   listed_shape_view_partitioned  a view over that partitioned table
# (the index-less table is bench_listed.sh's listed_noindex).  The ratio is
# EXISTS's time over listed()'s: 1 is as fast, the goal is at least 0.2.
SHAPES_PROBES=${SHAPES_PROBES:-20000}
SHAPES_ROWS=${SHAPES_ROWS:-30000}

bench_note "shapes: $SHAPES_PROBES probes against lists of $SHAPES_ROWS rows"
bench_sql "
CREATE UNLOGGED TABLE bench_shapes_t (id int PRIMARY KEY, k bigint NOT NULL, team text NOT NULL);
INSERT INTO bench_shapes_t
  SELECT i, (i::bigint * 2654435761) % 1099511627776, CASE WHEN i % 10 = 0 THEN 'b' ELSE 'a' END
    FROM generate_series(0, $SHAPES_ROWS - 1) i;
CREATE INDEX ON bench_shapes_t (k);
CREATE INDEX ON bench_shapes_t USING blacklist (k);
CREATE VIEW bench_shapes_v AS SELECT k FROM bench_shapes_t WHERE team = 'a';
CREATE UNLOGGED TABLE bench_shapes_rls (k bigint NOT NULL, owner name NOT NULL);
INSERT INTO bench_shapes_rls
  SELECT (i::bigint * 2654435761) % 1099511627776, CASE WHEN i % 10 = 0 THEN 'nobody' ELSE 'bench_shapes_reader' END
    FROM generate_series(0, $SHAPES_ROWS - 1) i;
CREATE INDEX ON bench_shapes_rls (k);
CREATE INDEX ON bench_shapes_rls USING blacklist (k);
ALTER TABLE bench_shapes_rls ENABLE ROW LEVEL SECURITY;
CREATE POLICY bench_shapes_mine ON bench_shapes_rls USING (owner = current_user);
CREATE TABLE bench_shapes_p (k bigint NOT NULL, team text NOT NULL) PARTITION BY HASH (k);
CREATE UNLOGGED TABLE bench_shapes_p0 PARTITION OF bench_shapes_p FOR VALUES WITH (MODULUS 4, REMAINDER 0);
CREATE UNLOGGED TABLE bench_shapes_p1 PARTITION OF bench_shapes_p FOR VALUES WITH (MODULUS 4, REMAINDER 1);
CREATE UNLOGGED TABLE bench_shapes_p2 PARTITION OF bench_shapes_p FOR VALUES WITH (MODULUS 4, REMAINDER 2);
CREATE UNLOGGED TABLE bench_shapes_p3 PARTITION OF bench_shapes_p FOR VALUES WITH (MODULUS 4, REMAINDER 3);
INSERT INTO bench_shapes_p SELECT k, team FROM bench_shapes_t;
CREATE INDEX ON bench_shapes_p (k);
CREATE INDEX ON bench_shapes_p USING blacklist (k);
CREATE VIEW bench_shapes_pv AS SELECT k FROM bench_shapes_p WHERE team = 'a';
CREATE UNLOGGED TABLE bench_shapes_probes AS
  SELECT CASE WHEN i % 2 = 0 THEN ((i / 2)::bigint * 2654435761) % 1099511627776
              ELSE 1099511627776 + i END AS k
    FROM generate_series(0, $SHAPES_PROBES - 1) i;
DO \$\$BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'bench_shapes_reader') THEN
    CREATE ROLE bench_shapes_reader;
  END IF;
END \$\$;
GRANT SELECT ON bench_shapes_t, bench_shapes_v, bench_shapes_rls, bench_shapes_p, bench_shapes_pv,
  bench_shapes_probes TO bench_shapes_reader;
GRANT USAGE ON SCHEMA public TO bench_shapes_reader;"
bench_sql "VACUUM ANALYZE bench_shapes_t, bench_shapes_rls, bench_shapes_p, bench_shapes_probes"

shape() {   # shape NAME LIST [SET ROLE ...;]
    local name=$1 list=$2 pre=${3:-} ours theirs
    # correctness first
    ours=$(psql -X -At -d "$BENCH_DB" -c "$pre SELECT count(*) FROM bench_shapes_probes p WHERE listed(p.k, '$list')" | tail -1)
    theirs=$(psql -X -At -d "$BENCH_DB" -c "$pre SELECT count(*) FROM bench_shapes_probes p WHERE EXISTS (SELECT 1 FROM $list l WHERE l.k = p.k)" | tail -1)
    bench_note "$name: $ours of $SHAPES_PROBES probes listed (EXISTS: $theirs); $(psql -X -At -d "$BENCH_DB" -c "$pre SELECT note FROM listed_explain('$list')" | tail -1)"
    [ -n "$ours" ] && [ "$ours" = "$theirs" ] || { echo "listed() disagrees with EXISTS on $list" >&2; return 1; }
    read -r ours theirs < <(bench_pair \
        "$pre SELECT count(*) FROM bench_shapes_probes p WHERE listed(p.k, '$list')" \
        "$pre SELECT count(*) FROM bench_shapes_probes p WHERE EXISTS (SELECT 1 FROM $list l WHERE l.k = p.k)")
    bench_line "$name" "$ours" "$theirs"
}
shape listed_shape_view bench_shapes_v
shape listed_shape_rls bench_shapes_rls "SET ROLE bench_shapes_reader;"
shape listed_shape_partitioned bench_shapes_p
shape listed_shape_view_partitioned bench_shapes_pv

bench_sql "DROP VIEW bench_shapes_v, bench_shapes_pv;
DROP TABLE bench_shapes_t, bench_shapes_rls, bench_shapes_p, bench_shapes_probes;
REVOKE USAGE ON SCHEMA public FROM bench_shapes_reader;
DROP ROLE bench_shapes_reader;"
