-- Grants: the budget ledger holds each fund's budget for a year, so Apply
-- checks budget cuts and commitments against each other under the same
-- row lock; and a fund's claim on each idea it funds (unique per fund),
-- so the same idea is funded once however many approvals arrive at once.

ALTER TABLE grant_budgets ADD COLUMN budget text NOT NULL DEFAULT '0';

-- Budgets set before this migration live only in the funds' records.
INSERT INTO grant_budgets (fund, year, committed, paid, budget)
SELECT f.id, (b.value->>'Year')::integer, '0', '0', b.value->>'Amount'
FROM grant_funds f
CROSS JOIN LATERAL jsonb_array_elements(
	CASE WHEN jsonb_typeof(f.body::jsonb->'Budgets') = 'array' THEN f.body::jsonb->'Budgets' ELSE '[]'::jsonb END) AS b(value)
ON CONFLICT (fund, year) DO UPDATE SET budget = excluded.budget;

CREATE TABLE grant_ideas (
	fund        text NOT NULL,
	idea        text NOT NULL,
	application text NOT NULL,
	PRIMARY KEY (fund, idea)
);
CREATE INDEX grant_ideas_application ON grant_ideas (application);

-- Ideas already funded: the earliest application holding each keeps it.
INSERT INTO grant_ideas (fund, idea, application)
SELECT DISTINCT ON (fund, idea) fund, idea, id FROM grant_applications
WHERE idea <> '' AND status IN ('approved', 'awarded', 'paid', 'monitored', 'closed')
ORDER BY fund, idea, created_at, id
ON CONFLICT (fund, idea) DO NOTHING;
