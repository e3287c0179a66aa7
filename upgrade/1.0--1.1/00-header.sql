-- integrity upgrade script 1.0 -> 1.1.  Assembled by the Makefile from the
-- fragments in upgrade/1.0--1.1/, in name order; each fragment carries the
-- changes of one piece of work, in the same order as src/<concept>.sql.
\echo Use "ALTER EXTENSION integrity UPDATE TO '1.1'" to load this file. \quit
