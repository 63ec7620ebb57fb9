/*
 * src/config.c - per-backend cache of tenant configuration (fields, custom
 * fields, catalogues), loaded with SPI on first use.
 *
 * Configuration tables carry the config_changed() statement trigger, which
 * sends a relcache invalidation for the table; our relcache callback then
 * bumps a generation number and the cache is rebuilt at its next use. The
 * callback only sets flags: it runs where catalog access is not allowed.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "utils/builtins.h"
#include "utils/hsearch.h"
#include "utils/inval.h"
#include "utils/memutils.h"

#include "core/vn_text.h"
#include "lead_crm.h"

static MemoryContext config_context = NULL;
static HTAB *config_hash = NULL;	/* tenant_id -> LcTenantConfig */
static uint64 config_hash_generation = 0;

static uint64 generation = 1;
static Oid *config_relids = NULL;	/* tables carrying config_changed() */
static int	nconfig_relids = 0;
static bool config_relids_valid = false;
static bool callback_registered = false;

static void
config_relcache_callback(Datum arg, Oid relid)
{
	int			i;

	if (relid == InvalidOid || !config_relids_valid)
	{
		generation++;
		config_relids_valid = false;
		return;
	}
	for (i = 0; i < nconfig_relids; i++)
		if (config_relids[i] == relid)
		{
			generation++;
			config_relids_valid = false;	/* a trigger may have been added */
			return;
		}
}

static void
load_config_relids(void)
{
	int			i;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (SPI_execute("SELECT t.tgrelid FROM pg_catalog.pg_trigger t"
					" JOIN pg_catalog.pg_proc p ON p.oid = t.tgfoid"
					" WHERE p.proname = 'config_changed'"
					" AND p.pronamespace = 'lead_crm'::regnamespace",
					true, 0) != SPI_OK_SELECT)
		elog(ERROR, "cannot list lead_crm configuration tables");
	if (config_relids)
		pfree(config_relids);
	config_relids = MemoryContextAlloc(TopMemoryContext,
									   sizeof(Oid) * (SPI_processed + 1));
	nconfig_relids = (int) SPI_processed;
	for (i = 0; i < nconfig_relids; i++)
	{
		bool		isnull;

		config_relids[i] = DatumGetObjectId(SPI_getbinval(SPI_tuptable->vals[i],
														  SPI_tuptable->tupdesc,
														  1, &isnull));
	}
	SPI_finish();
	config_relids_valid = true;
}

uint64
lc_config_generation(void)
{
	if (!callback_registered)
	{
		CacheRegisterRelcacheCallback(config_relcache_callback, (Datum) 0);
		callback_registered = true;
	}
	if (!config_relids_valid)
		load_config_relids();
	return generation;
}

/* text of column n of the current SPI row, copied into the cache, or NULL */
static char *
spi_text(HeapTuple tuple, int n)
{
	char	   *v = SPI_getvalue(tuple, SPI_tuptable->tupdesc, n);

	return v ? MemoryContextStrdup(config_context, v) : NULL;
}

static bool
spi_bool(HeapTuple tuple, int n)
{
	bool		isnull;
	Datum		d = SPI_getbinval(tuple, SPI_tuptable->tupdesc, n, &isnull);

	return !isnull && DatumGetBool(d);
}

static char *
fold_copy(const char *s)
{
	char	   *out;

	if (s == NULL)
		return NULL;
	out = MemoryContextAlloc(config_context, lc_fold_bound(strlen(s)));
	lc_fold(s, strlen(s), out);
	return out;
}

static void
spi_query(const char *sql, int32 tenant_id)
{
	Oid			argtypes[1] = {INT4OID};
	Datum		args[1] = {Int32GetDatum(tenant_id)};

	if (SPI_execute_with_args(sql, 1, argtypes, args, NULL, false, 0) != SPI_OK_SELECT)
		elog(ERROR, "lead_crm configuration query failed: %s", sql);
}

static LcCustomType
custom_type_from_name(const char *name)
{
	static const char *const names[] = {"text", "integer", "number", "boolean", "date",
	"choice", "multichoice", "email", "url"};
	int			i;

	for (i = 0; i < (int) lengthof(names); i++)
		if (strcmp(name, names[i]) == 0)
			return (LcCustomType) i;
	elog(ERROR, "unknown custom field type \"%s\"", name);	/* CHECK constraint prevents it */
	return LC_CUSTOM_TEXT;
}

static char **
text_array_copy(HeapTuple tuple, int n, int *count)
{
	bool		isnull;
	Datum		d = SPI_getbinval(tuple, SPI_tuptable->tupdesc, n, &isnull);
	Datum	   *elems;
	bool	   *nulls;
	int			nelems,
				i,
				k = 0;
	char	  **out;

	*count = 0;
	if (isnull)
		return NULL;
	deconstruct_array(DatumGetArrayTypeP(d), TEXTOID, -1, false, TYPALIGN_INT,
					  &elems, &nulls, &nelems);
	out = MemoryContextAlloc(config_context, sizeof(char *) * (nelems + 1));
	for (i = 0; i < nelems; i++)
		if (!nulls[i])
			out[k++] = MemoryContextStrdup(config_context, TextDatumGetCString(elems[i]));
	*count = k;
	return out;
}

/* Loads one tenant; false when it does not exist. Caller has SPI connected. */
static bool
load_tenant(LcTenantConfig *cfg, int32 tenant_id)
{
	uint64		i;

	spi_query("SELECT language = 'en', strict_catalogues FROM lead_crm.tenant"
			  " WHERE tenant_id = $1", tenant_id);
	if (SPI_processed == 0)
		return false;
	cfg->tenant_id = tenant_id;
	cfg->english = spi_bool(SPI_tuptable->vals[0], 1);
	cfg->strict_catalogues = spi_bool(SPI_tuptable->vals[0], 2);

	spi_query(cfg->english
			  ? "SELECT field, label_en, required FROM lead_crm.lead_field WHERE tenant_id = $1"
			  : "SELECT field, label_vi, required FROM lead_crm.lead_field WHERE tenant_id = $1",
			  tenant_id);
	cfg->nfields = (int) SPI_processed;
	cfg->fields = MemoryContextAllocZero(config_context, sizeof(LcField) * (SPI_processed + 1));
	for (i = 0; i < SPI_processed; i++)
	{
		HeapTuple	t = SPI_tuptable->vals[i];

		cfg->fields[i].field = spi_text(t, 1);
		cfg->fields[i].label = spi_text(t, 2);
		cfg->fields[i].required = spi_bool(t, 3);
	}

	spi_query(cfg->english
			  ? "SELECT name, label_en, type, required, allowed_values FROM lead_crm.custom_field"
			  " WHERE tenant_id = $1 ORDER BY position, name"
			  : "SELECT name, label_vi, type, required, allowed_values FROM lead_crm.custom_field"
			  " WHERE tenant_id = $1 ORDER BY position, name",
			  tenant_id);
	cfg->ncustom = (int) SPI_processed;
	cfg->custom = MemoryContextAllocZero(config_context,
										 sizeof(LcCustomField) * (SPI_processed + 1));
	for (i = 0; i < SPI_processed; i++)
	{
		HeapTuple	t = SPI_tuptable->vals[i];
		LcCustomField *f = &cfg->custom[i];
		char	   *type = SPI_getvalue(t, SPI_tuptable->tupdesc, 3);

		f->name = spi_text(t, 1);
		f->label = spi_text(t, 2);
		f->type = custom_type_from_name(type);
		f->required = spi_bool(t, 4);
		f->allowed = text_array_copy(t, 5, &f->nallowed);
	}

	spi_query("SELECT catalog, code, label_vi, label_en FROM lead_crm.catalog_item"
			  " WHERE tenant_id = $1 AND active"
			  " UNION ALL"
			  " SELECT 'campaign', code, name, name FROM lead_crm.campaign"
			  " WHERE tenant_id = $1 AND active"
			  " ORDER BY 1, 2", tenant_id);
	cfg->ncatalog = (int) SPI_processed;
	cfg->catalog = MemoryContextAllocZero(config_context,
										  sizeof(LcCatalogItem) * (SPI_processed + 1));
	for (i = 0; i < SPI_processed; i++)
	{
		HeapTuple	t = SPI_tuptable->vals[i];
		LcCatalogItem *c = &cfg->catalog[i];
		char	   *vi = spi_text(t, 3);
		char	   *en = spi_text(t, 4);

		c->catalog = spi_text(t, 1);
		c->code = spi_text(t, 2);
		c->label = cfg->english ? en : vi;
		c->code_fold = fold_copy(c->code);
		c->label_vi_fold = fold_copy(vi);
		c->label_en_fold = fold_copy(en);
	}
	return true;
}

static void
reset_cache_if_stale(void)
{
	uint64		gen = lc_config_generation();
	HASHCTL		ctl;

	if (config_hash && gen == config_hash_generation)
		return;
	if (config_context == NULL)
		config_context = AllocSetContextCreate(CacheMemoryContext, "lead_crm tenant config",
											   ALLOCSET_DEFAULT_SIZES);
	MemoryContextReset(config_context);
	memset(&ctl, 0, sizeof(ctl));
	ctl.keysize = sizeof(int32);
	ctl.entrysize = sizeof(LcTenantConfig);
	ctl.hcxt = config_context;
	config_hash = hash_create("lead_crm tenant config", 16, &ctl,
							  HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	config_hash_generation = gen;
}

/*
 * Creates the tenant from the template when it does not exist yet, so that a
 * session that sets lead_crm.tenant to a new id can start writing at once.
 */
void
lc_ensure_tenant(int32 tenant_id)
{
	reset_cache_if_stale();
	if (hash_search(config_hash, &tenant_id, HASH_FIND, NULL))
		return;					/* loaded, so it exists */
	lc_create_tenant(tenant_id, NULL, NULL, false);
}

/*
 * Configuration of an existing tenant. The result stays valid until the next
 * call: callers fetch it once per row.
 */
const LcTenantConfig *
lc_tenant_config(int32 tenant_id)
{
	LcTenantConfig *cfg;
	LcTenantConfig loaded;
	bool		found;

	reset_cache_if_stale();
	cfg = hash_search(config_hash, &tenant_id, HASH_FIND, NULL);
	if (cfg)
		return cfg;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	memset(&loaded, 0, sizeof(loaded));
	found = load_tenant(&loaded, tenant_id);
	SPI_finish();
	if (!found)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("tenant %d does not exist", tenant_id),
				 errhint("Create it with SELECT lead_crm.create_tenant(%d, 'name');", tenant_id)));
	cfg = hash_search(config_hash, &tenant_id, HASH_ENTER, NULL);
	*cfg = loaded;
	return cfg;
}

/* tenant_provision(): BEFORE INSERT row trigger creating a missing tenant */
PG_FUNCTION_INFO_V1(lc_tenant_provision);
Datum
lc_tenant_provision(PG_FUNCTION_ARGS)
{
	TriggerData *td = (TriggerData *) fcinfo->context;
	bool		isnull;
	Datum		tenant;

	if (!CALLED_AS_TRIGGER(fcinfo) || !TRIGGER_FIRED_BEFORE(td->tg_event) ||
		!TRIGGER_FIRED_FOR_ROW(td->tg_event))
		elog(ERROR, "tenant_provision() must be a BEFORE row trigger");
	tenant = heap_getattr(td->tg_trigtuple, SPI_fnumber(td->tg_relation->rd_att, "tenant_id"),
						  td->tg_relation->rd_att, &isnull);
	if (!isnull && DatumGetInt32(tenant) > 0 && !lc_restoring())
		lc_ensure_tenant(DatumGetInt32(tenant));
	return PointerGetDatum(td->tg_trigtuple);
}

/* label of a lead column in the tenant's language, or the column name */
const char *
lc_field_label(const LcTenantConfig *cfg, const char *field)
{
	int			i;

	for (i = 0; cfg && i < cfg->nfields; i++)
		if (strcmp(cfg->fields[i].field, field) == 0 && cfg->fields[i].label)
			return cfg->fields[i].label;
	return field;
}
