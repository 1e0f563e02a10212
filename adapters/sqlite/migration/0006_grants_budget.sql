-- Grants: the budget ledger holds each fund's budget for a year, so Apply
-- checks budget cuts and commitments against each other in one write
-- transaction; and a fund's claim on each idea it funds, so the same idea
-- is funded once however many approvals arrive at once.

ALTER TABLE grant_budgets ADD COLUMN budget TEXT NOT NULL DEFAULT '0';

-- Budgets set before this migration live only in the funds' records.
INSERT INTO grant_budgets (fund, year, committed, paid, budget)
SELECT f.id, CAST(json_extract(b.value, '$.Year') AS INTEGER), '0', '0', CAST(json_extract(b.value, '$.Amount') AS TEXT)
FROM grant_funds f, json_each(f.body, '$.Budgets') b
WHERE json_type(f.body, '$.Budgets') = 'array'
ON CONFLICT (fund, year) DO UPDATE SET budget = excluded.budget;

CREATE TABLE grant_ideas (
	fund        TEXT NOT NULL,
	idea        TEXT NOT NULL,
	application TEXT NOT NULL,
	PRIMARY KEY (fund, idea)
) STRICT;
CREATE INDEX grant_ideas_application ON grant_ideas (application);

-- Ideas already funded: the earliest application holding each keeps it.
INSERT INTO grant_ideas (fund, idea, application)
SELECT fund, idea, id FROM grant_applications
WHERE idea <> '' AND status IN ('approved', 'awarded', 'paid', 'monitored', 'closed')
ORDER BY created_at, id
ON CONFLICT (fund, idea) DO NOTHING;
