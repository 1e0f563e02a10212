-- The giving domain (grants/giving): every record is kept whole in its
-- stored format (adapters/internal/givingrec: JSON in a versioned
-- envelope), keyed by kind and id, with the columns reads select by;
-- income to funds is an append-only ledger; receipts of idempotent writes.
CREATE TABLE giving_records (
	kind     TEXT    NOT NULL,
	id       TEXT    NOT NULL,
	campaign TEXT    NOT NULL DEFAULT '',
	donor    TEXT    NOT NULL DEFAULT '',
	version  INTEGER NOT NULL CHECK (version >= 1),
	body     TEXT    NOT NULL,
	PRIMARY KEY (kind, id)
) STRICT, WITHOUT ROWID;
CREATE INDEX giving_records_campaign ON giving_records (kind, campaign, id);
CREATE INDEX giving_records_donor ON giving_records (kind, donor, id);

CREATE TABLE giving_income (
	seq  INTEGER PRIMARY KEY,
	fund TEXT    NOT NULL,
	year INTEGER NOT NULL,
	body TEXT    NOT NULL
) STRICT;
CREATE INDEX giving_income_fund ON giving_income (fund, year, seq);

CREATE TABLE giving_receipts (
	key    TEXT    PRIMARY KEY,
	hash   TEXT    NOT NULL,
	result TEXT    NOT NULL,
	at     INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
