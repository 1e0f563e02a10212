-- Grants: a fund's income. Each line of income (money received, or a
-- reversal below zero) is kept once per reference of its fund, and the
-- ledger row of its fund and financial year carries the year's income,
-- so Apply checks commitments against the budget plus the income, and
-- reversals against the commitments, under the same row lock.
ALTER TABLE grants_budgets ADD COLUMN income text COLLATE "C" NOT NULL DEFAULT '0';

CREATE TABLE grants_income (
	id          text COLLATE "C" PRIMARY KEY,
	fund        text COLLATE "C" NOT NULL,
	ref         text COLLATE "C" NOT NULL,
	year        integer     NOT NULL,
	source      text COLLATE "C" NOT NULL,
	amount      text        NOT NULL,
	received    timestamptz NOT NULL,
	note        text COLLATE "C" NOT NULL DEFAULT '',
	recorded_at timestamptz NOT NULL,
	recorded_by text COLLATE "C" NOT NULL,
	UNIQUE (fund, ref)
);
CREATE INDEX grants_income_fund ON grants_income (fund, year, received, id);
