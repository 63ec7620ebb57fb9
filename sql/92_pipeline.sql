-- Pipeline views for BI tools (Metabase, Power BI, Superset, Excel): plain
-- columns of stable names and simple types (text, integer, bigint, numeric,
-- date, timestamptz, boolean), one row per group, scoped to current_tenant(),
-- labels in the tenant's language beside the codes. security_invoker: the
-- row-level security of the querying role applies (issue 10), not the owner's.
--
-- One definition of a lead's outcome serves every view (pipeline_leads):
--   lost   - its status is a lost state of the tenant's status workflow;
--   won    - otherwise, its status is a won state, or its lifecycle stage is a
--            won stage (Khách hàng, tái bán, trung thành): the distributor's
--            "khách chốt đơn" and Rodi's move to Customer are both a sale;
--   closed - otherwise, its status is closed (e.g. supplier);
--   open   - the rest.
-- A lead merged into another (merged_into set) is archived: no view counts it,
-- its survivor stands for both.
-- Every statement can run twice (upgrade scripts reuse these parts).

-- Which lifecycle stages form the funnel: side states such as "unknown" do not.
DO $$
BEGIN
	IF NOT EXISTS (SELECT FROM pg_catalog.pg_attribute
					WHERE attrelid = '@extschema@.workflow_state'::pg_catalog.regclass
					  AND attname = 'funnel' AND NOT attisdropped) THEN
		ALTER TABLE @extschema@.workflow_state ADD COLUMN funnel boolean NOT NULL DEFAULT true;
		-- side and dead-end states of the built-in workflows, in the template
		-- and in tenants that already have copies of them
		UPDATE @extschema@.workflow_state SET funnel = false
		 WHERE (workflow, code) IN (('lifecycle', 'unknown'), ('contact', 'unreachable'),
									('contact', 'lost'), ('distributor', 'keep_in_touch'),
									('distributor', 'supplier'), ('distributor', 'not_prospect'),
									('pipeline', 'lost'));
		-- check the workflows now: pending deferred events would forbid later
		-- ALTER TABLEs of workflow_state in this script (row-level security)
		SET CONSTRAINTS @extschema@.workflow_state_valid IMMEDIATE;
		SET CONSTRAINTS @extschema@.workflow_state_valid DEFERRED;
	END IF;
END;
$$;
COMMENT ON COLUMN @extschema@.workflow_state.funnel IS
'the state is a stage of lead_crm.funnel (stages in position order); side and dead-end states such as unknown or lost are not';

------------------------------------------------------------------------------
-- Every lead of the tenant with its state labels and outcome (drill-down)
------------------------------------------------------------------------------

CREATE OR REPLACE VIEW @extschema@.pipeline_leads WITH (security_invoker = true) AS
SELECT l.tenant_id,
	   l.id AS lead_id,
	   l.full_name,
	   l.kind,
	   l.lead_type,
	   l.source,
	   l.salesperson_id,
	   l.team_id,
	   l.status,
	   CASE WHEN t.language = 'en' THEN s.label_en ELSE s.label_vi END AS status_label,
	   l.lifecycle,
	   CASE WHEN t.language = 'en' THEN lc.label_en ELSE lc.label_vi END AS lifecycle_label,
	   CASE WHEN s.lost THEN 'lost'
			WHEN s.won OR lc.won THEN 'won'
			WHEN s.closed THEN 'closed'
			ELSE 'open' END AS outcome,
	   l.expected_revenue,
	   coalesce(l.probability, s.probability) AS probability,
	   pg_catalog.round(l.expected_revenue * coalesce(l.probability, s.probability, 0) / 100, 2)
		   AS weighted_revenue,
	   l.lost_reason,
	   l.created_at,
	   pg_catalog.timezone(t.time_zone, l.created_at)::date AS created_date,
	   pg_catalog.date_trunc('month', pg_catalog.timezone(t.time_zone, l.created_at))::date AS created_month
  FROM @extschema@.lead l
  JOIN @extschema@.tenant t ON t.tenant_id = l.tenant_id
  LEFT JOIN @extschema@.workflow_state s
	ON s.tenant_id = l.tenant_id AND s.workflow = t.status_workflow AND s.code = l.status
  LEFT JOIN @extschema@.workflow_state lc
	ON lc.tenant_id = l.tenant_id AND lc.workflow = t.lifecycle_workflow AND lc.code = l.lifecycle
 WHERE l.tenant_id = @extschema@.current_tenant() AND l.merged_into IS NULL;
COMMENT ON VIEW @extschema@.pipeline_leads IS
'each lead of the current tenant with status and lifecycle labels, outcome (open, won, lost, closed), probability used and weighted revenue, local creation date and month: the rows behind the pipeline views';

------------------------------------------------------------------------------
-- pipeline_summary: the kanban of the status workflow
------------------------------------------------------------------------------

-- Leads are summed per status first (one pass, no join per lead), then the
-- states of the workflow are listed, empty ones included.
CREATE OR REPLACE VIEW @extschema@.pipeline_summary WITH (security_invoker = true) AS
SELECT t.tenant_id,
	   s.workflow,
	   s.position,
	   s.code AS status,
	   CASE WHEN t.language = 'en' THEN s.label_en ELSE s.label_vi END AS status_label,
	   s.won AS is_won,
	   s.lost AS is_lost,
	   s.closed AS is_closed,
	   s.folded AS is_folded,
	   s.probability AS default_probability,
	   coalesce(a.leads, 0) AS leads,
	   coalesce(a.opportunities, 0) AS opportunities,
	   coalesce(a.expected_revenue, 0) AS expected_revenue,
	   pg_catalog.round(coalesce(a.weighted_own, 0)
						+ coalesce(a.revenue_default, 0) * coalesce(s.probability, 0) / 100, 2)
		   AS weighted_revenue,
	   t.currency
  FROM @extschema@.tenant t
  JOIN @extschema@.workflow_state s ON s.tenant_id = t.tenant_id AND s.workflow = t.status_workflow
  LEFT JOIN (SELECT l.status,
					pg_catalog.count(*) AS leads,
					pg_catalog.count(*) FILTER (WHERE l.lead_type = 'opportunity') AS opportunities,
					pg_catalog.sum(l.expected_revenue) AS expected_revenue,
					-- leads with their own probability, and the revenue weighted by the state's default
					pg_catalog.sum(l.expected_revenue * l.probability / 100) AS weighted_own,
					pg_catalog.sum(l.expected_revenue) FILTER (WHERE l.probability IS NULL) AS revenue_default
			   FROM @extschema@.lead l
			  WHERE l.tenant_id = @extschema@.current_tenant() AND l.merged_into IS NULL
			  GROUP BY l.status) a ON a.status = s.code
 WHERE t.tenant_id = @extschema@.current_tenant()
 ORDER BY s.position, s.code;
COMMENT ON VIEW @extschema@.pipeline_summary IS
'one row per status of the current tenant''s status workflow in kanban order: leads, opportunities, expected revenue, revenue weighted by probability (the lead''s, else the state''s default)';

------------------------------------------------------------------------------
-- funnel: the customer journey (lifecycle workflow)
------------------------------------------------------------------------------

-- A lead has reached a stage when it has been in that stage or a later one
-- at any time: its current stage and every stage in its lifecycle history
-- count, and a lead that skipped a stage (lead -> customer) has passed it.
-- So reached never grows down the funnel and conversion is at most 100%.
CREATE OR REPLACE VIEW @extschema@.funnel WITH (security_invoker = true) AS
WITH stages AS (
	SELECT t.tenant_id, s.workflow, s.code, s.position, s.won,
		   CASE WHEN t.language = 'en' THEN s.label_en ELSE s.label_vi END AS label,
		   pg_catalog.row_number() OVER (ORDER BY s.position, s.code)::integer AS stage_no
	  FROM @extschema@.tenant t
	  JOIN @extschema@.workflow_state s ON s.tenant_id = t.tenant_id AND s.workflow = t.lifecycle_workflow
	 WHERE t.tenant_id = @extschema@.current_tenant() AND s.funnel
), furthest_in_history AS (
	SELECT h.lead_id, pg_catalog.max(GREATEST(o.stage_no, n.stage_no)) AS stage_no
	  FROM @extschema@.lead_history h
	  LEFT JOIN stages o ON o.code = h.old_value
	  LEFT JOIN stages n ON n.code = h.new_value
	 WHERE h.tenant_id = @extschema@.current_tenant() AND h.field = 'lifecycle'
	 GROUP BY h.lead_id
), per_lead AS (
	-- furthest_stage is NULL for a lead never in the funnel (only in side states)
	SELECT cur.stage_no AS current_stage, GREATEST(cur.stage_no, fh.stage_no) AS furthest_stage
	  FROM @extschema@.lead l
	  LEFT JOIN stages cur ON cur.code = l.lifecycle
	  LEFT JOIN furthest_in_history fh ON fh.lead_id = l.id
	 WHERE l.tenant_id = @extschema@.current_tenant() AND l.merged_into IS NULL
), in_stage AS (
	SELECT p.current_stage AS stage_no, pg_catalog.count(*) AS leads FROM per_lead p GROUP BY 1
), furthest AS (
	SELECT p.furthest_stage AS stage_no, pg_catalog.count(*) AS leads FROM per_lead p GROUP BY 1
), counts AS (
	-- reached stage k = leads whose furthest stage is k or later
	SELECT st.stage_no, coalesce(i.leads, 0) AS in_stage,
		   pg_catalog.sum(coalesce(f.leads, 0)) OVER (ORDER BY st.stage_no DESC)::bigint AS reached
	  FROM stages st
	  LEFT JOIN in_stage i ON i.stage_no = st.stage_no
	  LEFT JOIN furthest f ON f.stage_no = st.stage_no
)
SELECT st.tenant_id,
	   st.workflow,
	   st.stage_no,
	   st.code AS stage,
	   st.label AS stage_label,
	   st.won AS is_won,
	   c.reached,
	   c.in_stage,
	   pg_catalog.lag(c.reached) OVER w - c.reached AS dropped,
	   pg_catalog.round(100.0 * c.reached / NULLIF(pg_catalog.lag(c.reached) OVER w, 0), 2) AS conversion_pct,
	   pg_catalog.round(100.0 * c.reached / NULLIF(pg_catalog.first_value(c.reached) OVER w, 0), 2) AS reached_pct
  FROM stages st
  JOIN counts c ON c.stage_no = st.stage_no
WINDOW w AS (ORDER BY st.stage_no)
 ORDER BY st.stage_no;
COMMENT ON VIEW @extschema@.funnel IS
'the customer journey of the current tenant (lifecycle workflow, stages with funnel = true): leads that reached each stage (were in it or beyond at any time, from lead_history), leads in it now, conversion from the previous stage and from the first';

------------------------------------------------------------------------------
-- source_effectiveness: the distributor's channel analysis
------------------------------------------------------------------------------

-- Per source as stored in lead.source (a catalogue code, or the text typed
-- where catalogues are not strict; NULL = not recorded). A conversion is a won
-- lead (see the top of this file); revenue is the expected revenue of leads.
CREATE OR REPLACE VIEW @extschema@.source_effectiveness WITH (security_invoker = true) AS
SELECT t.tenant_id,
	   a.source,
	   coalesce(CASE WHEN t.language = 'en' THEN c.label_en ELSE c.label_vi END, a.source,
				CASE WHEN t.language = 'en' THEN '(no source)' ELSE '(không rõ nguồn)' END) AS source_label,
	   c.category AS source_category,
	   a.leads, a.open, a.conversions, a.lost, a.opportunities,
	   pg_catalog.round(100.0 * a.conversions / a.leads, 2) AS conversion_pct,
	   a.expected_revenue, a.won_revenue, a.open_weighted_revenue,
	   t.currency
  FROM (SELECT p.source,
			   pg_catalog.count(*) AS leads,
			   pg_catalog.count(*) FILTER (WHERE p.outcome = 'open') AS open,
			   pg_catalog.count(*) FILTER (WHERE p.outcome = 'won') AS conversions,
			   pg_catalog.count(*) FILTER (WHERE p.outcome = 'lost') AS lost,
			   pg_catalog.count(*) FILTER (WHERE p.lead_type = 'opportunity') AS opportunities,
			   coalesce(pg_catalog.sum(p.expected_revenue), 0) AS expected_revenue,
			   coalesce(pg_catalog.sum(p.expected_revenue) FILTER (WHERE p.outcome = 'won'), 0) AS won_revenue,
			   pg_catalog.round(coalesce(pg_catalog.sum(p.weighted_revenue) FILTER (WHERE p.outcome = 'open'), 0), 2)
				   AS open_weighted_revenue
		  FROM @extschema@.pipeline_leads p
		 GROUP BY p.source) a
  JOIN @extschema@.tenant t ON t.tenant_id = @extschema@.current_tenant()
  LEFT JOIN @extschema@.catalog_item c
	ON c.tenant_id = t.tenant_id AND c.catalog = 'source' AND c.code = a.source
 ORDER BY a.leads DESC, a.source;
COMMENT ON VIEW @extschema@.source_effectiveness IS
'the current tenant''s leads per source (channel): leads, open, conversions (won), lost, opportunities, conversion rate, expected, won and open weighted revenue';

-- The same per month of creation (the cohort of leads created that month).
CREATE OR REPLACE VIEW @extschema@.source_effectiveness_monthly WITH (security_invoker = true) AS
SELECT t.tenant_id,
	   a.month,
	   a.source,
	   coalesce(CASE WHEN t.language = 'en' THEN c.label_en ELSE c.label_vi END, a.source,
				CASE WHEN t.language = 'en' THEN '(no source)' ELSE '(không rõ nguồn)' END) AS source_label,
	   c.category AS source_category,
	   a.leads, a.open, a.conversions, a.lost, a.opportunities,
	   pg_catalog.round(100.0 * a.conversions / a.leads, 2) AS conversion_pct,
	   a.expected_revenue, a.won_revenue, a.open_weighted_revenue,
	   t.currency
  FROM (SELECT p.created_month AS month, p.source,
			   pg_catalog.count(*) AS leads,
			   pg_catalog.count(*) FILTER (WHERE p.outcome = 'open') AS open,
			   pg_catalog.count(*) FILTER (WHERE p.outcome = 'won') AS conversions,
			   pg_catalog.count(*) FILTER (WHERE p.outcome = 'lost') AS lost,
			   pg_catalog.count(*) FILTER (WHERE p.lead_type = 'opportunity') AS opportunities,
			   coalesce(pg_catalog.sum(p.expected_revenue), 0) AS expected_revenue,
			   coalesce(pg_catalog.sum(p.expected_revenue) FILTER (WHERE p.outcome = 'won'), 0) AS won_revenue,
			   pg_catalog.round(coalesce(pg_catalog.sum(p.weighted_revenue) FILTER (WHERE p.outcome = 'open'), 0), 2)
				   AS open_weighted_revenue
		  FROM @extschema@.pipeline_leads p
		 GROUP BY p.created_month, p.source) a
  JOIN @extschema@.tenant t ON t.tenant_id = @extschema@.current_tenant()
  LEFT JOIN @extschema@.catalog_item c
	ON c.tenant_id = t.tenant_id AND c.catalog = 'source' AND c.code = a.source
 ORDER BY a.month, a.leads DESC, a.source;
COMMENT ON VIEW @extschema@.source_effectiveness_monthly IS
'source_effectiveness per month in which the leads were created (tenant time zone): a cohort per source and month';

------------------------------------------------------------------------------
-- salesperson_performance
------------------------------------------------------------------------------

-- Leads are those a salesperson holds now (lead.salesperson_id); activities
-- those assigned to them (activity.assignee_id). A last row (salesperson_id
-- NULL) holds the unassigned leads and activities.
CREATE OR REPLACE VIEW @extschema@.salesperson_performance WITH (security_invoker = true) AS
WITH leads AS (
	SELECT p.salesperson_id,
		   pg_catalog.count(*) AS leads,
		   pg_catalog.count(*) FILTER (WHERE p.outcome = 'open') AS open,
		   pg_catalog.count(*) FILTER (WHERE p.outcome = 'won') AS won,
		   pg_catalog.count(*) FILTER (WHERE p.outcome = 'lost') AS lost,
		   coalesce(pg_catalog.sum(p.expected_revenue) FILTER (WHERE p.outcome = 'won'), 0) AS won_revenue,
		   coalesce(pg_catalog.sum(p.expected_revenue) FILTER (WHERE p.outcome = 'open'), 0) AS open_revenue,
		   pg_catalog.round(coalesce(pg_catalog.sum(p.weighted_revenue) FILTER (WHERE p.outcome = 'open'), 0), 2) AS open_weighted_revenue
	  FROM @extschema@.pipeline_leads p
	 GROUP BY p.salesperson_id
), activities AS (
	SELECT a.assignee_id,
		   pg_catalog.count(*) FILTER (WHERE a.done_at IS NOT NULL) AS done,
		   pg_catalog.count(*) FILTER (WHERE a.done_at IS NULL) AS open,
		   pg_catalog.count(*) FILTER (WHERE a.done_at IS NULL
			   AND @extschema@.activity_state(a.due_at, a.all_day, NULL, t.time_zone, pg_catalog.now()) = 'overdue')
			   AS overdue
	  FROM @extschema@.activity a
	  JOIN @extschema@.tenant t ON t.tenant_id = a.tenant_id
	 WHERE a.tenant_id = @extschema@.current_tenant()
	 GROUP BY a.assignee_id
), people AS (
	SELECT s.id, s.full_name, s.team_id, tm.name AS team_name, s.active
	  FROM @extschema@.salesperson s
	  LEFT JOIN @extschema@.sales_team tm ON tm.tenant_id = s.tenant_id AND tm.id = s.team_id
	 WHERE s.tenant_id = @extschema@.current_tenant()
	UNION ALL
	SELECT NULL, CASE WHEN t.language = 'en' THEN '(unassigned)' ELSE '(chưa phân công)' END, NULL, NULL, NULL
	  FROM @extschema@.tenant t
	 WHERE t.tenant_id = @extschema@.current_tenant()
)
SELECT t.tenant_id,
	   pe.id AS salesperson_id,
	   pe.full_name AS salesperson_name,
	   pe.team_id,
	   pe.team_name,
	   pe.active,
	   coalesce(l.leads, 0) AS leads,
	   coalesce(l.open, 0) AS open,
	   coalesce(l.won, 0) AS won,
	   coalesce(l.lost, 0) AS lost,
	   pg_catalog.round(100.0 * l.won / NULLIF(l.won + l.lost, 0), 2) AS win_rate_pct,
	   coalesce(l.won_revenue, 0) AS won_revenue,
	   coalesce(l.open_revenue, 0) AS open_revenue,
	   pg_catalog.round(coalesce(l.open_weighted_revenue, 0), 2) AS open_weighted_revenue,
	   coalesce(a.done, 0) AS activities_done,
	   coalesce(a.open, 0) AS activities_open,
	   coalesce(a.overdue, 0) AS activities_overdue,
	   t.currency
  FROM people pe
  JOIN @extschema@.tenant t ON t.tenant_id = @extschema@.current_tenant()
  LEFT JOIN leads l ON l.salesperson_id IS NOT DISTINCT FROM pe.id
  LEFT JOIN activities a ON a.assignee_id IS NOT DISTINCT FROM pe.id
 ORDER BY pe.id IS NULL, pe.id;
COMMENT ON VIEW @extschema@.salesperson_performance IS
'per salesperson of the current tenant (and a row for unassigned work): leads held, open, won, lost, win rate, won and open revenue, activities done, open and overdue';

------------------------------------------------------------------------------
-- activity_agenda: Odoo's red / yellow / green
------------------------------------------------------------------------------

CREATE OR REPLACE VIEW @extschema@.activity_agenda WITH (security_invoker = true) AS
SELECT a.tenant_id,
	   a.id AS activity_id,
	   a.lead_id,
	   l.full_name AS lead_name,
	   l.phone AS lead_phone,
	   l.status AS lead_status,
	   a.type,
	   CASE WHEN t.language = 'en' THEN ty.label_en ELSE ty.label_vi END AS type_label,
	   a.summary,
	   a.due_at,
	   pg_catalog.timezone(t.time_zone, a.due_at)::date AS due_date,
	   CASE WHEN NOT a.all_day THEN pg_catalog.timezone(t.time_zone, a.due_at)::time END AS due_time,
	   a.all_day,
	   (pg_catalog.timezone(t.time_zone, a.due_at)::date
		- pg_catalog.timezone(t.time_zone, pg_catalog.now())::date) AS days_until_due,
	   a.assignee_id,
	   s.full_name AS assignee_name,
	   st.state,
	   CASE st.state
		   WHEN 'overdue' THEN CASE WHEN t.language = 'en' THEN 'Overdue' ELSE 'Quá hạn' END
		   WHEN 'today' THEN CASE WHEN t.language = 'en' THEN 'Today' ELSE 'Hôm nay' END
		   ELSE CASE WHEN t.language = 'en' THEN 'Planned' ELSE 'Sắp tới' END
	   END AS state_label,
	   @extschema@.activity_colour(st.state) AS colour
  FROM @extschema@.activity a
  JOIN @extschema@.tenant t ON t.tenant_id = a.tenant_id
  JOIN @extschema@.lead l ON l.tenant_id = a.tenant_id AND l.id = a.lead_id
  LEFT JOIN @extschema@.activity_type ty ON ty.tenant_id = a.tenant_id AND ty.code = a.type
  LEFT JOIN @extschema@.salesperson s ON s.tenant_id = a.tenant_id AND s.id = a.assignee_id
 CROSS JOIN LATERAL (SELECT @extschema@.activity_state(a.due_at, a.all_day, NULL, t.time_zone,
													   pg_catalog.now())) AS st (state)
 WHERE a.tenant_id = @extschema@.current_tenant() AND a.done_at IS NULL;
COMMENT ON VIEW @extschema@.activity_agenda IS
'open activities of the current tenant: state overdue, today or planned (activity_state) and Odoo''s colour red, yellow, green; due date and time, days until due, assignee, lead name and phone';

------------------------------------------------------------------------------
-- lost_reasons
------------------------------------------------------------------------------

-- Straight from lead, joined to the lost states only: an index scan of the
-- lost leads (lead_status_idx) instead of the outcome of every lead.
CREATE OR REPLACE VIEW @extschema@.lost_reasons WITH (security_invoker = true) AS
SELECT t.tenant_id,
	   a.lost_reason,
	   coalesce(CASE WHEN t.language = 'en' THEN c.label_en ELSE c.label_vi END, a.lost_reason,
				CASE WHEN t.language = 'en' THEN '(no reason given)' ELSE '(không ghi lý do)' END)
		   AS lost_reason_label,
	   c.code IS NOT NULL AS in_catalogue,
	   a.leads,
	   pg_catalog.round(100.0 * a.leads / pg_catalog.sum(a.leads) OVER (), 2) AS share_pct,
	   a.revenue_lost,
	   t.currency
  FROM (SELECT l.lost_reason, pg_catalog.count(*) AS leads,
			   coalesce(pg_catalog.sum(l.expected_revenue), 0) AS revenue_lost
		  FROM @extschema@.tenant x
		  JOIN @extschema@.workflow_state s
			ON s.tenant_id = x.tenant_id AND s.workflow = x.status_workflow AND s.lost
		  JOIN @extschema@.lead l ON l.tenant_id = x.tenant_id AND l.status = s.code
		 WHERE x.tenant_id = @extschema@.current_tenant() AND l.merged_into IS NULL
		 GROUP BY l.lost_reason) a
  JOIN @extschema@.tenant t ON t.tenant_id = @extschema@.current_tenant()
  LEFT JOIN @extschema@.catalog_item c
	ON c.tenant_id = t.tenant_id AND c.catalog = 'lost_reason' AND c.code = a.lost_reason
 ORDER BY a.leads DESC, a.lost_reason;
COMMENT ON VIEW @extschema@.lost_reasons IS
'the current tenant''s lost leads per lost reason (catalogue code, or the text given): leads, share of all lost leads, expected revenue lost';

------------------------------------------------------------------------------
-- stage_velocity: time in each state, from the history
------------------------------------------------------------------------------

-- Statistics of finished stays (the lead has left the state), in days: a
-- stay still running has no length yet. They come from the finished rows of
-- lead_state_durations only (its branch of running stays is not computed);
-- how many leads are in each state now is counted from the leads.
CREATE OR REPLACE VIEW @extschema@.stage_velocity WITH (security_invoker = true) AS
WITH finished AS (
	-- grouped on byte-wise keys: a collation-aware sort of millions of stays costs more than the rest
	SELECT d.field COLLATE "C" AS field, d.state COLLATE "C" AS state,
		   pg_catalog.count(*) AS stays,
		   pg_catalog.avg(d.days) AS avg_days,
		   pg_catalog.percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY d.days) AS pct,
		   pg_catalog.max(d.days) AS max_days
	  FROM (SELECT x.field, x.state, pg_catalog.date_part('epoch', x.duration) / 86400 AS days
			  FROM @extschema@.lead_state_durations x
			 WHERE NOT x.current) d
	 GROUP BY 1, 2
), now_in AS (
	SELECT f.field COLLATE "C" AS field, f.value COLLATE "C" AS state, pg_catalog.count(*) AS leads
	  FROM @extschema@.lead l
	 CROSS JOIN LATERAL (VALUES ('status'::text, l.status), ('lifecycle'::text, l.lifecycle)) AS f (field, value)
	 WHERE l.tenant_id = @extschema@.current_tenant() AND l.merged_into IS NULL
	 GROUP BY 1, 2
), per_state AS (
	SELECT coalesce(f.field, n.field) AS field, coalesce(f.state, n.state) AS state,
		   coalesce(f.stays, 0) AS finished_stays, f.avg_days, f.pct[1] AS median_days, f.pct[2] AS p90_days,
		   f.max_days, coalesce(n.leads, 0) AS current_leads
	  FROM finished f
	  FULL JOIN now_in n ON n.field = f.field AND n.state = f.state
)
SELECT t.tenant_id,
	   p.field::text AS field,
	   f.workflow,
	   s.position,
	   p.state::text AS state,
	   coalesce(CASE WHEN t.language = 'en' THEN s.label_en ELSE s.label_vi END, p.state) AS state_label,
	   p.finished_stays,
	   pg_catalog.round(p.avg_days::numeric, 2) AS avg_days,
	   pg_catalog.round(p.median_days::numeric, 2) AS median_days,
	   pg_catalog.round(p.p90_days::numeric, 2) AS p90_days,
	   pg_catalog.round(p.max_days::numeric, 2) AS max_days,
	   p.current_leads
  FROM per_state p
  JOIN @extschema@.tenant t ON t.tenant_id = @extschema@.current_tenant()
 CROSS JOIN LATERAL (SELECT CASE p.field WHEN 'status' THEN t.status_workflow
										 ELSE t.lifecycle_workflow END) AS f (workflow)
  LEFT JOIN @extschema@.workflow_state s
	ON s.tenant_id = t.tenant_id AND s.workflow = f.workflow AND s.code = p.state
 ORDER BY p.field DESC, s.position, p.state;
COMMENT ON VIEW @extschema@.stage_velocity IS
'time leads of the current tenant spend in each status and lifecycle state (finished stays of lead_state_durations): how many, average, median, 90th percentile and longest in days; leads in the state now';

-- The state rows of lead_history in the order lead_state_durations numbers
-- them (per lead and field, by time) with the values it reads: an index-only
-- scan replaces a sort of every state change of the tenant (stage_velocity,
-- funnel). Partial: other history rows (activities, field edits) do not pay.
CREATE INDEX IF NOT EXISTS lead_history_state_idx
	ON @extschema@.lead_history (tenant_id, lead_id, field, changed_at, id) INCLUDE (old_value, new_value)
	WHERE field IN ('status', 'lifecycle');
COMMENT ON INDEX @extschema@.lead_history_state_idx IS
'state changes of each lead in time order (lead_state_durations, stage_velocity, funnel)';
