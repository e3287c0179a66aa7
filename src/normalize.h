/*
 * normalize.h — identifier cleaning (normalize.c), the part the identifier
 * core (ident.c) uses for the input errors of cnid, uscc and masked_cnid.
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
 * The types' input rules as predicates (cnid.c, uscc.c), for the try-casts:
 * true if the type's input function accepts s[0..len).  Never raise, and
 * depend on nothing but the text (so the try-casts are IMMUTABLE like the
 * input functions: a cnid born after today is accepted, as by cnid_in).
 */
extern bool cnid_accepts(const char *s, size_t len);
extern bool uscc_accepts(const char *s, size_t len);

#endif							/* INTEGRITY_NORMALIZE_H */
