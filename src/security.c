/*
 * src/security.c - which tenant a database role may use and what it may see.
 *
 * A login role is bound to tenants by lead_crm.salesperson.login_role (a
 * salesperson, or a manager when is_manager) and lead_crm.tenant_role (managers,
 * BI readers, services). A bound role only ever gets one of its tenants from
 * current_tenant(): setting lead_crm.tenant to another is an error, so no
 * policy, view or function can be pointed at another tenant's rows. A role
 * bound nowhere is a trusted service (it needs explicit grants) or a DBA: it
 * chooses the tenant with the setting (default 1).
 *
 * The binding is read with the extension owner's rights (the mapping tables
 * themselves are under row-level security) and cached per role until a
 * configuration table changes (lc_config_generation).
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "lib/stringinfo.h"
#include "catalog/namespace.h"
#include "catalog/pg_class.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "nodes/value.h"
#include "parser/parse_func.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/syscache.h"

#include "lead_crm.h"

/* weakest first: a role with two grants in one tenant gets the stronger */
typedef enum LcAccess
{
	LC_ACCESS_SALESPERSON,		/* own and team leads */
	LC_ACCESS_BI,				/* reads the whole tenant */
	LC_ACCESS_MANAGER,			/* the whole tenant, and its configuration */
	LC_ACCESS_SERVICE			/* an application acting for the tenant */
} LcAccess;

typedef struct TenantGrant
{
	int32		tenant_id;
	LcAccess	access;
	int64		salesperson_id; /* 0 unless a salesperson or manager */
	int64		team_id;		/* 0: none */
	int			nmates;			/* salespeople of the same team, self included */
	int64	   *mates;
} TenantGrant;

typedef struct RoleBinding
{
	Oid			roleid;
	uint64		generation;
	bool		superuser;
	int			ngrants;		/* 0: bound nowhere */
	TenantGrant *grants;
} RoleBinding;

static RoleBinding binding = {InvalidOid};
static MemoryContext binding_context = NULL;

static Oid
extension_owner(void)
{
	Oid			nsp = get_namespace_oid("lead_crm", false);
	Oid			relid = get_relname_relid("tenant", nsp);
	HeapTuple	tup;
	Oid			owner;

	if (!OidIsValid(relid))
		elog(ERROR, "lead_crm.tenant is missing");
	tup = SearchSysCache1(RELOID, ObjectIdGetDatum(relid));
	if (!HeapTupleIsValid(tup))
		elog(ERROR, "cache lookup failed for relation %u", relid);
	owner = ((Form_pg_class) GETSTRUCT(tup))->relowner;
	ReleaseSysCache(tup);
	return owner;
}

/* copy_template_tenant() exists from 0.2.0 on; before, create_tenant() did the copy */
static bool
has_copy_template_tenant(void)
{
	Oid			argtypes[3] = {INT4OID, TEXTOID, TEXTOID};

	return OidIsValid(LookupFuncName(list_make2(makeString("lead_crm"),
												makeString("copy_template_tenant")),
									 3, argtypes, true));
}

static bool
has_tenant_role(void)
{
	return OidIsValid(get_relname_relid("tenant_role", get_namespace_oid("lead_crm", false)));
}

static LcAccess
access_from_name(const char *s)
{
	if (strcmp(s, "manager") == 0)
		return LC_ACCESS_MANAGER;
	if (strcmp(s, "bi") == 0)
		return LC_ACCESS_BI;
	if (strcmp(s, "service") == 0)
		return LC_ACCESS_SERVICE;
	return LC_ACCESS_SALESPERSON;
}

/* reads the role's grants as the extension owner; the caller may not see the mapping rows */
static void
load_binding(Oid roleid, uint64 generation)
{
	Oid			save_user;
	int			save_sec;
	Oid			argtypes[1] = {NAMEOID};
	Datum		args[1];
	uint64		i;

	if (binding_context == NULL)
		binding_context = AllocSetContextCreate(TopMemoryContext, "lead_crm role binding",
												ALLOCSET_SMALL_SIZES);
	MemoryContextReset(binding_context);
	binding.roleid = InvalidOid;
	binding.superuser = superuser_arg(roleid);
	binding.ngrants = 0;
	binding.grants = NULL;

	args[0] = DirectFunctionCall1(namein, CStringGetDatum(GetUserNameFromId(roleid, false)));
	GetUserIdAndSecContext(&save_user, &save_sec);
	SetUserIdAndSecContext(extension_owner(), save_sec | SECURITY_LOCAL_USERID_CHANGE);
	PG_TRY();
	{
		if (SPI_connect() != SPI_OK_CONNECT)
			elog(ERROR, "SPI_connect failed");
		/* tenant_role is missing while an older version of the schema awaits its update */
		if (SPI_execute_with_args(has_tenant_role()
								  ? "SELECT s.tenant_id, CASE WHEN s.is_manager THEN 'manager' ELSE 'salesperson' END,"
								  " s.id, coalesce(s.team_id, 0),"
								  " ARRAY(SELECT m.id FROM lead_crm.salesperson m"
								  "        WHERE m.tenant_id = s.tenant_id AND m.team_id = s.team_id)"
								  " FROM lead_crm.salesperson s WHERE s.login_role = $1 AND s.active"
								  " UNION ALL"
								  " SELECT r.tenant_id, r.access, 0, 0, NULL::bigint[]"
								  " FROM lead_crm.tenant_role r WHERE r.role_name = $1"
								  " ORDER BY 1, 2"
								  : "SELECT 1 WHERE $1 IS NULL",
								  1, argtypes, args, NULL, true, 0) != SPI_OK_SELECT)
			elog(ERROR, "cannot read the tenants of a role");
		binding.grants = MemoryContextAllocZero(binding_context,
												sizeof(TenantGrant) * (SPI_processed + 1));
		for (i = 0; i < SPI_processed; i++)
		{
			HeapTuple	t = SPI_tuptable->vals[i];
			TupleDesc	d = SPI_tuptable->tupdesc;
			TenantGrant *g = &binding.grants[i];
			bool		isnull;
			Datum		mates;

			g->tenant_id = DatumGetInt32(SPI_getbinval(t, d, 1, &isnull));
			g->access = access_from_name(SPI_getvalue(t, d, 2));
			g->salesperson_id = DatumGetInt64(SPI_getbinval(t, d, 3, &isnull));
			g->team_id = DatumGetInt64(SPI_getbinval(t, d, 4, &isnull));
			mates = SPI_getbinval(t, d, 5, &isnull);
			if (!isnull)
			{
				Datum	   *elems;
				bool	   *nulls;
				int			n,
							k;

				deconstruct_array(DatumGetArrayTypeP(mates), INT8OID, 8, FLOAT8PASSBYVAL,
								  TYPALIGN_DOUBLE, &elems, &nulls, &n);
				g->mates = MemoryContextAlloc(binding_context, sizeof(int64) * (n + 1));
				for (k = 0; k < n; k++)
					if (!nulls[k])
						g->mates[g->nmates++] = DatumGetInt64(elems[k]);
			}
		}
		binding.ngrants = (int) SPI_processed;
		SPI_finish();
	}
	PG_FINALLY();
	{
		SetUserIdAndSecContext(save_user, save_sec);
	}
	PG_END_TRY();
	binding.roleid = roleid;
	binding.generation = generation;
}

static const RoleBinding *
current_binding(void)
{
	Oid			roleid = GetUserId();
	uint64		generation = lc_config_generation();

	if (binding.roleid != roleid || binding.generation != generation)
		load_binding(roleid, generation);
	return &binding;
}

static const TenantGrant *
grant_for(const RoleBinding *b, int32 tenant_id)
{
	int			i;

	for (i = 0; i < b->ngrants; i++)
		if (b->grants[i].tenant_id == tenant_id)
			return &b->grants[i];
	return NULL;
}

static char *
tenant_list(const RoleBinding *b)
{
	StringInfoData s;
	int			i;

	initStringInfo(&s);
	for (i = 0; i < b->ngrants; i++)
		if (i == 0 || b->grants[i].tenant_id != b->grants[i - 1].tenant_id)
			appendStringInfo(&s, "%s%d", s.len ? ", " : "", b->grants[i].tenant_id);
	return s.data;
}

/*
 * The tenant of this session. For a role bound to tenants: the one named by
 * lead_crm.tenant if it is one of them, else its only tenant; any other
 * choice is an error. For others: lead_crm.tenant, default 1.
 */
int32
lc_current_tenant(void)
{
	int32		setting = lc_tenant_setting();
	const RoleBinding *b = current_binding();
	int			i;

	if (b->ngrants == 0 || b->superuser)
		return setting ? setting : 1;
	if (setting)
	{
		if (grant_for(b, setting))
			return setting;
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("role \"%s\" may not use tenant %d", GetUserNameFromId(GetUserId(), false),
						setting),
				 errdetail("The role is bound to tenant(s) %s.", tenant_list(b)),
				 errhint("Set lead_crm.tenant to one of them, or ask the DBA: SELECT lead_crm.grant_access(...).")));
	}
	for (i = 1; i < b->ngrants; i++)
		if (b->grants[i].tenant_id != b->grants[0].tenant_id)
			ereport(ERROR,
					(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
					 errmsg("role \"%s\" works for several tenants", GetUserNameFromId(GetUserId(), false)),
					 errdetail("The role is bound to tenants %s and lead_crm.tenant is not set.",
							   tenant_list(b)),
					 errhint("Choose one: SET lead_crm.tenant = %d;", b->grants[0].tenant_id)));
	return b->grants[0].tenant_id;
}

/* current_tenant(): the tenant of this session (setting lead_crm.tenant, bound roles) */
PG_FUNCTION_INFO_V1(lc_current_tenant_sql);
Datum
lc_current_tenant_sql(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(lc_current_tenant());
}

/* the strongest grant of the role in the current tenant; NULL when unbound */
static const TenantGrant *
current_grant(void)
{
	const RoleBinding *b = current_binding();
	int32		tenant = lc_current_tenant();
	const TenantGrant *best = NULL;
	int			i;

	if (b->ngrants == 0 || b->superuser)
		return NULL;
	for (i = 0; i < b->ngrants; i++)
		if (b->grants[i].tenant_id == tenant &&
			(best == NULL || b->grants[i].access > best->access))
			best = &b->grants[i];
	return best;
}

/* sees_all_leads(): the role may see every lead of its tenant (not only its own and its team's) */
PG_FUNCTION_INFO_V1(lc_sees_all_leads);
Datum
lc_sees_all_leads(PG_FUNCTION_ARGS)
{
	const TenantGrant *g = current_grant();

	PG_RETURN_BOOL(g == NULL || g->access != LC_ACCESS_SALESPERSON);
}

/* lead_visible(salesperson_id, team_id): a salesperson sees own and team leads */
PG_FUNCTION_INFO_V1(lc_lead_visible);
Datum
lc_lead_visible(PG_FUNCTION_ARGS)
{
	const TenantGrant *g = current_grant();
	int64		salesperson;
	int			i;

	if (g == NULL || g->access != LC_ACCESS_SALESPERSON)
		PG_RETURN_BOOL(true);
	if (!PG_ARGISNULL(1) && g->team_id != 0 && PG_GETARG_INT64(1) == g->team_id)
		PG_RETURN_BOOL(true);
	if (PG_ARGISNULL(0))
		PG_RETURN_BOOL(false);
	salesperson = PG_GETARG_INT64(0);
	if (salesperson == g->salesperson_id)
		PG_RETURN_BOOL(true);
	for (i = 0; i < g->nmates; i++)
		if (g->mates[i] == salesperson)
			PG_RETURN_BOOL(true);
	PG_RETURN_BOOL(false);
}

/* the role may change its tenant's configuration (managers, services, DBAs) */
bool
lc_role_may_configure(void)
{
	const TenantGrant *g = current_grant();

	return g == NULL || g->access == LC_ACCESS_MANAGER || g->access == LC_ACCESS_SERVICE;
}

/* may_configure(): lc_role_may_configure() for the row-level security policies */
PG_FUNCTION_INFO_V1(lc_may_configure);
Datum
lc_may_configure(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(lc_role_may_configure());
}

/* bound_role(): the role is bound to tenants (so it may not create or pick others) */
PG_FUNCTION_INFO_V1(lc_bound_role);
Datum
lc_bound_role(PG_FUNCTION_ARGS)
{
	const RoleBinding *b = current_binding();

	PG_RETURN_BOOL(b->ngrants > 0 && !b->superuser);
}

/*
 * Creates the tenant from the template (copy_template_tenant) with the
 * extension owner's rights, when it does not exist. Roles bound to tenants may
 * not: a tenant is only created by a DBA or a trusted service. A row written
 * by a bound role for a tenant not its own (explicit_call false: provisioning
 * on first use) gets the same error as choosing that tenant.
 */
void
lc_create_tenant(int32 tenant_id, const char *name, const char *language, bool explicit_call)
{
	const RoleBinding *b = current_binding();
	Oid			save_user;
	int			save_sec;
	Oid			argtypes[3] = {INT4OID, TEXTOID, TEXTOID};
	Datum		args[3];
	char		nulls[3] = {' ', name ? ' ' : 'n', language ? ' ' : 'n'};

	if (b->ngrants > 0 && !b->superuser && grant_for(b, tenant_id) == NULL && !explicit_call)
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("role \"%s\" may not use tenant %d", GetUserNameFromId(GetUserId(), false),
						tenant_id),
				 errdetail("The role is bound to tenant(s) %s.", tenant_list(b)),
				 errhint("Leave tenant_id out: it defaults to the role's tenant.")));
	if (b->ngrants > 0 && !b->superuser && grant_for(b, tenant_id) == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("role \"%s\" may not create tenant %d", GetUserNameFromId(GetUserId(), false),
						tenant_id),
				 errdetail("The role is bound to tenant(s) %s.", tenant_list(b)),
				 errhint("A DBA creates tenants: SELECT lead_crm.create_tenant(%d, 'name');", tenant_id)));
	args[0] = Int32GetDatum(tenant_id);
	args[1] = name ? CStringGetTextDatum(name) : (Datum) 0;
	args[2] = language ? CStringGetTextDatum(language) : (Datum) 0;

	GetUserIdAndSecContext(&save_user, &save_sec);
	SetUserIdAndSecContext(extension_owner(), save_sec | SECURITY_LOCAL_USERID_CHANGE);
	PG_TRY();
	{
		if (SPI_connect() != SPI_OK_CONNECT)
			elog(ERROR, "SPI_connect failed");
		/* before the update to 0.2.0 the copy was create_tenant() itself */
		if (SPI_execute_with_args(has_copy_template_tenant()
								  ? "SELECT lead_crm.copy_template_tenant($1, $2, coalesce($3, 'vi'))"
								  : "SELECT lead_crm.create_tenant($1, $2, coalesce($3, 'vi'))",
								  3, argtypes, args, nulls, false, 0) != SPI_OK_SELECT)
			elog(ERROR, "cannot create tenant %d", tenant_id);
		SPI_finish();
	}
	PG_FINALLY();
	{
		SetUserIdAndSecContext(save_user, save_sec);
	}
	PG_END_TRY();
}

/* create_tenant(tenant, name, language) */
PG_FUNCTION_INFO_V1(lc_create_tenant_sql);
Datum
lc_create_tenant_sql(PG_FUNCTION_ARGS)
{
	int32		tenant_id;

	if (PG_ARGISNULL(0) || PG_GETARG_INT32(0) <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid tenant id %s", PG_ARGISNULL(0) ? "NULL" :
						psprintf("%d", PG_GETARG_INT32(0))),
				 errdetail("Tenant ids are positive integers; 0 is the built-in template."),
				 errhint("Use a positive id, e.g. SELECT lead_crm.create_tenant(2, 'Công ty ABC').")));
	tenant_id = PG_GETARG_INT32(0);
	lc_create_tenant(tenant_id,
					 PG_ARGISNULL(1) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(1)),
					 PG_ARGISNULL(2) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(2)), true);
	PG_RETURN_INT32(tenant_id);
}
