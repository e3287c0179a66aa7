
-- =====================================================================
-- aggregates: one scheme reader in C (scheme_check, grade(numeric, scheme),
-- current_scheme() and the setting integrity.scheme), integrity_index's
-- combine and final functions in C, every index state validated
-- =====================================================================

CREATE OR REPLACE FUNCTION scheme_check(s scheme_fields) RETURNS boolean
    AS 'MODULE_PATHNAME', 'scheme_check' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION scheme_check(scheme_fields) IS
    'internal: the CHECK of the domain scheme; raises 22023 naming the broken rule';

CREATE OR REPLACE FUNCTION current_scheme() RETURNS scheme
    AS 'MODULE_PATHNAME', 'current_scheme' LANGUAGE C STABLE PARALLEL SAFE;

CREATE OR REPLACE FUNCTION grade(points numeric, rules scheme) RETURNS grade
    AS 'MODULE_PATHNAME', 'scheme_grade' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE OR REPLACE FUNCTION index_combine(a numeric[], b numeric[]) RETURNS numeric[]
    AS 'MODULE_PATHNAME', 'index_combine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION index_combine(numeric[], numeric[]) IS
    'internal: combine function of integrity_index (adds two partial states of one scheme)';
CREATE OR REPLACE FUNCTION index_final(state numeric[]) RETURNS index_result
    AS 'MODULE_PATHNAME', 'index_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION index_final(numeric[]) IS
    'internal: final function of integrity_index (value, standard error, 90% interval, counts)';
