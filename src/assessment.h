/*
 * assessment.h — the in-memory (and on-disk) layout of the `assessment`
 * type, shared by assessment.c (which owns the type) and index.c (which
 * reads the assessors' scores for the index's variance).
 */
#ifndef INTEGRITY_ASSESSMENT_H
#define INTEGRITY_ASSESSMENT_H

#include "iscore.h"

#define N_ASSESSORS 3
#define WEIGHT_ONE 10000		/* weights are kept in 1/10000 */
#define ASSESSMENT_VERSION 1

typedef struct Assessment
{
	IScore		part[N_ASSESSORS];	/* each assessor's summed score */
	int32		weight[N_ASSESSORS];	/* scheme weights, 1/10000 */
	int32		present;		/* bit i set: assessor i has rows */
	int32		version;		/* ASSESSMENT_VERSION */
} Assessment;

#define PG_GETARG_ASSESSMENT_P(n) ((Assessment *) PG_GETARG_POINTER(n))

/* score(assessment): the weighted composition */
extern Datum assessment_score(PG_FUNCTION_ARGS);

#endif
