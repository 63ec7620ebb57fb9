/*
 * src/scoring.h - what src/scoring.c (BANT, temperature, completeness, the
 * per-tenant scoring cache) and src/win_model.c (the naive Bayes win model)
 * share.
 */
#ifndef LC_SCORING_H
#define LC_SCORING_H

#include "postgres.h"

#include "access/attnum.h"
#include "datatype/timestamp.h"
#include "pgtime.h"
#include "utils/numeric.h"

#include "core/lead_score.h"

/* one answer a BANT criterion can have (lead_crm.bant_level) */
typedef struct BantLevel
{
	char	   *code;
	char	   *label;			/* in the tenant's language */
	char	   *code_fold;
	char	   *label_vi_fold;
	char	   *label_en_fold;
	int			points;			/* percent of the criterion's weight */
	Numeric		min_amount;		/* budget: chosen from amounts >= this; NULL: never */
	int			max_days;		/* timeline: chosen for dates at most this far; -1: never */
} BantLevel;

/* a workflow state that closes a lead as won or lost */
typedef struct OutcomeState
{
	bool		lifecycle;		/* a state of lead.lifecycle (else lead.status) */
	char	   *code;
	int			codelen;
	int			outcome;		/* 1 won, -1 lost */
} OutcomeState;

/* a field counted in profile completeness */
typedef struct CompletenessField
{
	char	   *name;			/* lead column, or custom field name */
	char	   *label;			/* in the tenant's language */
	int			weight;
	bool		custom;
	AttrNumber	attnum;			/* resolved against the row type; 0: no such column */
	Oid			atttypid;
} CompletenessField;

/* features of the win model, in this order (names in win_model.c) */
#define WIN_FEATURES 9
extern const char *const lc_win_feature_names[WIN_FEATURES];

typedef struct WinModel WinModel;	/* win_model.c */

/* everything scoring needs of a tenant, cached per backend */
typedef struct TenantScoring
{
	int32		tenant_id;		/* hash key */
	bool		english;
	pg_tz	   *tz;				/* the tenant's time zone, for "today" */
	int			weights[LC_BANT_CRITERIA];
	int			nlevels[LC_BANT_CRITERIA];
	BantLevel  *levels[LC_BANT_CRITERIA];
	int		   *timeline_max_days;	/* max_days of the timeline levels, in level order */
	int			nbudget_amount;
	int		   *budget_amount;	/* budget levels with min_amount, ascending */
	LcTemperatureRule rule;
	int			noutcomes;
	OutcomeState *outcomes;
	int			nfields;
	CompletenessField *fields;
	uint64		fields_rowtype;	/* tupDesc_identifier the attnums belong to; 0: not resolved */
	AttrNumber	tenant_attnum;
	AttrNumber	custom_attnum;
	uint32		win_features;	/* bit per enabled feature */
	int			win_min_closed;
	double		win_smoothing;
	WinModel   *model;			/* loaded on first use by win_model.c */
	/* the tenant's date at the last as_of asked for (the same for every row of a query) */
	bool		today_valid;
	TimestampTz today_as_of;
	int64		today;
} TenantScoring;

extern TenantScoring *lc_tenant_scoring(int32 tenant_id);
extern MemoryContext lc_scoring_context(void);

/* 1 won, -1 lost, 0 open: won when either governed column is in a won state */
extern int	lc_lead_outcome(const TenantScoring *ts, text *status, text *lifecycle);

#endif							/* LC_SCORING_H */
