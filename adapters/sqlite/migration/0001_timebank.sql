-- Time bank schema (package timebank). Times are INTEGER microseconds since
-- the Unix epoch, UTC; a NULL time is a nil *time.Time. Amounts are INTEGER
-- minutes. Tables are STRICT except transfers and postings, which Apply
-- writes thousands of rows at a time with typed parameters: the per-row
-- type check cost a tenth of BenchmarkTransfer.

CREATE TABLE banks (
	id           TEXT PRIMARY KEY,
	name         TEXT NOT NULL,
	parent       TEXT NOT NULL,
	organisation TEXT NOT NULL,
	rounding     INTEGER NOT NULL,
	min_balance  INTEGER NOT NULL,
	max_balance  INTEGER,
	confirmation TEXT NOT NULL,
	created_at   INTEGER NOT NULL,
	created_by   TEXT NOT NULL,
	updated_at   INTEGER NOT NULL,
	updated_by   TEXT NOT NULL,
	version      INTEGER NOT NULL
) STRICT;
CREATE INDEX banks_parent ON banks (parent, id);

CREATE TABLE members (
	id          TEXT PRIMARY KEY,
	bank        TEXT NOT NULL,
	kind        TEXT NOT NULL,
	role        TEXT NOT NULL,
	status      TEXT NOT NULL,
	trusted     INTEGER NOT NULL,
	name        TEXT NOT NULL,
	email       TEXT NOT NULL,
	phone       TEXT NOT NULL,
	min_balance INTEGER,
	max_balance INTEGER,
	joined_at   INTEGER NOT NULL,
	left_at     INTEGER,
	erased_at   INTEGER,
	created_by  TEXT NOT NULL,
	updated_at  INTEGER NOT NULL,
	updated_by  TEXT NOT NULL,
	version     INTEGER NOT NULL
) STRICT;
CREATE INDEX members_bank ON members (bank, id);

-- ak is the account's internal key, used by postings; id is the domain id.
-- balance and last_at are maintained by Apply from postings; last_at is
-- NULL until the first posting.
CREATE TABLE accounts (
	ak      INTEGER PRIMARY KEY,
	id      TEXT NOT NULL UNIQUE,
	bank    TEXT NOT NULL,
	kind    TEXT NOT NULL,
	balance INTEGER NOT NULL DEFAULT 0,
	last_at INTEGER
) STRICT;
CREATE INDEX accounts_bank ON accounts (bank, id);

-- tk is the transfer's internal key: transfers are numbered in the order
-- they were applied. accounts lists the keys (accounts.ak) of its
-- postings' accounts as a JSON array, in the order the postings were
-- given; the amounts are in postings. size is the sum of the positive
-- postings, kept for Tally.
CREATE TABLE transfers (
	tk       INTEGER PRIMARY KEY,
	id       TEXT NOT NULL UNIQUE,
	bank     TEXT NOT NULL,
	kind     TEXT NOT NULL,
	at       INTEGER NOT NULL,
	actor    TEXT NOT NULL,
	exchange TEXT NOT NULL,
	reverses TEXT NOT NULL,
	memo     TEXT NOT NULL,
	size     INTEGER NOT NULL,
	accounts TEXT NOT NULL
);
CREATE INDEX transfers_tally ON transfers (kind, at) WHERE kind IN ('issue', 'donation', 'grant');

-- One row per posting, clustered by (account, at, seq): an account's
-- statement is one contiguous range, and its balance at any time is the
-- balance_after of the first row found descending from (account, at): one
-- b-tree descent whatever the length of the history. seq is the tk of the
-- posting's transfer: transfers are numbered in the order they were
-- applied, which orders postings with equal times, and a transfer posts
-- to an account at most once, so the key is unique.
CREATE TABLE postings (
	account       INTEGER NOT NULL,
	at            INTEGER NOT NULL,
	seq           INTEGER NOT NULL,
	amount        INTEGER NOT NULL,
	balance_after INTEGER NOT NULL,
	PRIMARY KEY (account, at, seq)
) WITHOUT ROWID;

-- A nil Stamp is a NULL *_at; its *_by is then ''.
CREATE TABLE exchanges (
	id          TEXT PRIMARY KEY,
	bank        TEXT NOT NULL,
	giver       TEXT NOT NULL,
	receiver    TEXT NOT NULL,
	minutes     INTEGER NOT NULL,
	date        INTEGER NOT NULL,
	category    TEXT NOT NULL,
	description TEXT NOT NULL,
	listing     TEXT NOT NULL,
	status      TEXT NOT NULL,
	giver_by    TEXT NOT NULL,
	giver_at    INTEGER,
	receiver_by TEXT NOT NULL,
	receiver_at INTEGER,
	approved_by TEXT NOT NULL,
	approved_at INTEGER,
	transfer    TEXT NOT NULL,
	reversal    TEXT NOT NULL,
	reason      TEXT NOT NULL,
	created_at  INTEGER NOT NULL,
	created_by  TEXT NOT NULL,
	updated_at  INTEGER NOT NULL,
	updated_by  TEXT NOT NULL,
	version     INTEGER NOT NULL
) STRICT;
CREATE INDEX exchanges_bank_date ON exchanges (bank, date, id);
CREATE INDEX exchanges_date ON exchanges (date, id);
CREATE INDEX exchanges_giver ON exchanges (giver);
CREATE INDEX exchanges_receiver ON exchanges (receiver);

CREATE TABLE listings (
	id          TEXT PRIMARY KEY,
	bank        TEXT NOT NULL,
	member      TEXT NOT NULL,
	kind        TEXT NOT NULL,
	category    TEXT NOT NULL,
	title       TEXT NOT NULL,
	description TEXT NOT NULL,
	open        INTEGER NOT NULL,
	created_at  INTEGER NOT NULL,
	updated_at  INTEGER NOT NULL,
	updated_by  TEXT NOT NULL,
	version     INTEGER NOT NULL
) STRICT;
CREATE INDEX listings_bank ON listings (bank, id);
CREATE INDEX listings_member ON listings (member, id);

CREATE TABLE events (
	seq     INTEGER PRIMARY KEY,
	bank    TEXT NOT NULL,
	at      INTEGER NOT NULL,
	actor   TEXT NOT NULL,
	action  TEXT NOT NULL,
	subject TEXT NOT NULL,
	note    TEXT NOT NULL
) STRICT;
CREATE INDEX events_bank ON events (bank, seq);
CREATE INDEX events_subject ON events (subject, seq);

CREATE TABLE receipts (
	key    TEXT PRIMARY KEY,
	hash   TEXT NOT NULL,
	result TEXT NOT NULL,
	at     INTEGER NOT NULL
) STRICT;
