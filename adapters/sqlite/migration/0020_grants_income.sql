-- Grants: a fund's income. Each line of income (money received, or a
-- reversal below zero) is kept once per reference of its fund, and the
-- ledger row of its fund and financial year carries the year's income,
-- so Apply checks commitments against the budget plus the income, and
-- reversals against the commitments, in the one write transaction.
ALTER TABLE grants_budgets ADD COLUMN income TEXT NOT NULL DEFAULT '0';

CREATE TABLE grants_income (
	id          TEXT    PRIMARY KEY,
	fund        TEXT    NOT NULL,
	ref         TEXT    NOT NULL,
	year        INTEGER NOT NULL,
	source      TEXT    NOT NULL,
	amount      TEXT    NOT NULL,
	received    INTEGER NOT NULL,
	note        TEXT    NOT NULL DEFAULT '',
	recorded_at INTEGER NOT NULL,
	recorded_by TEXT    NOT NULL,
	UNIQUE (fund, ref)
) STRICT;
CREATE INDEX grants_income_fund ON grants_income (fund, year, received, id);
