/*
 * src/tenant.c - settings of a lead_crm session: the tenant, the acting
 * application user, the reason of the current change and the open import
 * batch; restore detection; and the invalidation signal for configuration
 * caches.
 */
#include "postgres.h"

#include <limits.h>

#include "commands/trigger.h"
#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/inval.h"
#include "utils/rel.h"

#include "lead_crm.h"

static char *tenant_setting = NULL;	/* "" while unset; a positive integer otherwise */
static char *actor_setting = NULL;
static char *reason_setting = NULL;
static bool override_guards_setting = false;
static bool auto_assign_setting = true;
static char *import_batch_setting = NULL;

/* lead_crm.import_batch: empty, or the id of a batch (digits only) */
static bool
check_import_batch(char **newval, void **extra, GucSource source)
{
	const char *p = *newval;
	int			n = 0;

	if (p == NULL || *p == '\0')
		return true;
	for (; *p; p++, n++)
		if (*p < '0' || *p > '9' || n >= 18)
		{
			GUC_check_errdetail("An import batch id is a positive whole number, such as 42.");
			return false;
		}
	return true;
}
static bool allow_duplicate_setting = false;

/* lead_crm.tenant is a positive integer or empty (unset) */
static bool
check_tenant_setting(char **newval, void **extra, GucSource source)
{
	const char *p = *newval;
	long		v = 0;

	if (p == NULL || *p == '\0')
		return true;
	for (; *p; p++)
	{
		if (*p < '0' || *p > '9' || v > INT_MAX)
		{
			GUC_check_errdetail("lead_crm.tenant must be a positive integer (a tenant id).");
			return false;
		}
		v = v * 10 + (*p - '0');
	}
	if (v < 1 || v > INT_MAX)
	{
		GUC_check_errdetail("Tenant ids are 1 to 2147483647; 0 is the built-in template.");
		return false;
	}
	return true;
}

void
lc_tenant_init(void)
{
	DefineCustomStringVariable("lead_crm.tenant",
							   "Tenant (company) whose leads this session works on.",
							   "A positive tenant id; unset means the login role's own tenant, or 1.",
							   &tenant_setting, "",
							   PGC_USERSET, 0, check_tenant_setting, NULL, NULL);
	DefineCustomStringVariable("lead_crm.actor",
							   "Application user recorded in lead history beside the database role.",
							   "Set it per request when many users share one database role.",
							   &actor_setting, "",
							   PGC_USERSET, 0, NULL, NULL, NULL);
	DefineCustomStringVariable("lead_crm.reason",
							   "Reason recorded in lead history for the changes of this transaction.",
							   "set_status(), mark_lost() and similar calls set it locally.",
							   &reason_setting, "",
							   PGC_USERSET, 0, NULL, NULL, NULL);
	DefineCustomBoolVariable("lead_crm.override_guards",
							 "Lets state changes skip unmet transition guards, each recorded with lead_crm.reason.",
							 "Set it locally; override_status() and override_lifecycle() do. A reason is required.",
							 &override_guards_setting, false,
							 PGC_USERSET, 0, NULL, NULL, NULL);
	DefineCustomBoolVariable("lead_crm.auto_assign",
							 "Assigns new leads without a salesperson by the tenant's assignment rules.",
							 "Turn it off (SET LOCAL) to load historical leads without assigning them.",
							 &auto_assign_setting, true,
							 PGC_USERSET, 0, NULL, NULL, NULL);
	DefineCustomStringVariable("lead_crm.import_batch",
							   "Import batch that rows loaded into lead_crm.import_row belong to.",
							   "lead_crm.import_begin() sets it for the session; COPY then fills import_row.batch_id from it.",
							   &import_batch_setting, "",
							   PGC_USERSET, 0, check_import_batch, NULL, NULL);
	DefineCustomBoolVariable("lead_crm.allow_duplicate",
							 "Stores new leads that the duplicate policy \"block\" would refuse.",
							 "They are flagged as under the policy \"flag\". Set it locally for one transaction.",
							 &allow_duplicate_setting, false,
							 PGC_USERSET, 0, NULL, NULL, NULL);
#if PG_VERSION_NUM >= 150000
	MarkGUCPrefixReserved("lead_crm");
#else
	EmitWarningsOnPlaceholders("lead_crm");
#endif
}

/* the tenant named by lead_crm.tenant, or 0 when the setting is unset */
int32
lc_tenant_setting(void)
{
	return (tenant_setting && tenant_setting[0]) ? (int32) strtol(tenant_setting, NULL, 10) : 0;
}

const char *
lc_actor(void)
{
	return (actor_setting && actor_setting[0]) ? actor_setting : NULL;
}

const char *
lc_reason(void)
{
	return (reason_setting && reason_setting[0]) ? reason_setting : NULL;
}

bool
lc_override_guards(void)
{
	return override_guards_setting;
}

bool
lc_auto_assign(void)
{
	return auto_assign_setting;
}

bool
lc_allow_duplicate(void)
{
	return allow_duplicate_setting;
}

/*
 * Rows loaded by a pg_dump script were validated, flagged and assigned when
 * they were first written; doing it again could refuse or change them. Dump
 * scripts always turn check_function_bodies off, so that marks a restore.
 */
bool
lc_restoring(void)
{
	return !check_function_bodies;
}

/* restoring(): true while a pg_dump script loads data (see lc_restoring) */
PG_FUNCTION_INFO_V1(lc_restoring_sql);
Datum
lc_restoring_sql(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(lc_restoring());
}

/* import_batch_id(): the batch of this session (lead_crm.import_batch); default of import_row.batch_id */
PG_FUNCTION_INFO_V1(lc_import_batch_sql);
Datum
lc_import_batch_sql(PG_FUNCTION_ARGS)
{
	if (import_batch_setting == NULL || import_batch_setting[0] == '\0')
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("no import batch is open in this session"),
				 errdetail("Rows loaded into lead_crm.import_row take their batch from the setting lead_crm.import_batch, which is empty."),
				 errhint("Start a batch first, in the same session: SELECT * FROM lead_crm.import_begin('file.csv', header => '...'); or give batch_id in the loaded rows.")));
	PG_RETURN_INT64(DatumGetInt64(DirectFunctionCall1(int8in, CStringGetDatum(import_batch_setting))));
}

/* config_changed(): statement trigger telling every backend to drop cached configuration */
PG_FUNCTION_INFO_V1(lc_config_changed);
Datum
lc_config_changed(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;

	if (!CALLED_AS_TRIGGER(fcinfo))
		elog(ERROR, "config_changed() must be called as a trigger");
	CacheInvalidateRelcacheByRelid(RelationGetRelid(trigdata->tg_relation));
	return PointerGetDatum(NULL);
}
