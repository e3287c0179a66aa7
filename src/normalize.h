/*
 * normalize.h — identifier cleaning (normalize.c), the part the input
 * functions of cnid.c and uscc.c use for their error hint.
 */
#ifndef INTEGRITY_NORMALIZE_H
#define INTEGRITY_NORMALIZE_H

#include "postgres.h"

/*
 * If identifier_normalize() would change s[0..len) (server encoding) in a
 * way the types' input functions do not — full-width forms, spaces inside
 * the value or outside ASCII, hyphens or dots between groups — a phrase
 * naming what it holds ("full-width characters", ...); otherwise NULL.
 * Lower case and surrounding ASCII white space do not count: the types
 * accept them.  Never raises for valid text in the server encoding.
 */
extern char *ident_normalize_advice(const char *s, size_t len);

/*
 * The input error of an identifier type (typname "cnid" or "uscc") whose
 * value `input` broke `rule`, when s[0..len) holds what identifier_normalize()
 * cleans: raises 22P02 naming it and pointing to to_<typname>(text).
 * Returns when the value holds nothing of the kind.
 */
extern void ident_report_normalizable(const char *typname, const char *input,
									  const char *rule, const char *s, size_t len);

/*
 * The types' input rules as predicates (cnid.c, uscc.c), for the try-casts:
 * true if the type's input function accepts s[0..len).  Never raise, and
 * depend on nothing but the text (so the try-casts are IMMUTABLE like the
 * input functions: a cnid born after today is accepted, as by cnid_in).
 */
extern bool cnid_accepts(const char *s, size_t len);
extern bool uscc_accepts(const char *s, size_t len);

#endif							/* INTEGRITY_NORMALIZE_H */
