-- The giving domain (grants/giving): every record is kept whole in its
-- stored format (adapters/internal/givingrec: JSON in a versioned
-- envelope), keyed by kind and id, with the columns reads select by;
-- income to funds is an append-only ledger; receipts of idempotent writes.
CREATE TABLE giving_records (
	kind     text    NOT NULL,
	id       text    NOT NULL,
	campaign text    NOT NULL DEFAULT '',
	donor    text    NOT NULL DEFAULT '',
	version  bigint  NOT NULL CHECK (version >= 1),
	body     jsonb   NOT NULL,
	PRIMARY KEY (kind, id)
);
CREATE INDEX giving_records_campaign ON giving_records (kind, campaign, id);
CREATE INDEX giving_records_donor ON giving_records (kind, donor, id);

CREATE TABLE giving_income (
	seq  bigserial PRIMARY KEY,
	fund text    NOT NULL,
	year bigint  NOT NULL,
	body jsonb   NOT NULL
);
CREATE INDEX giving_income_fund ON giving_income (fund, year, seq);

CREATE TABLE giving_receipts (
	key    text    PRIMARY KEY,
	hash   text    NOT NULL,
	result text    NOT NULL,
	at     timestamptz NOT NULL
);
