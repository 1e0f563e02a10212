-- Time bank: banks, members, accounts, the double-entry ledger, exchanges,
-- listings, the audit trail and idempotency receipts. Tables are prefixed
-- with the domain so later domains can add their own without clashes.

CREATE TABLE timebank_banks (
	id           text PRIMARY KEY,
	name         text NOT NULL,
	parent       text NOT NULL DEFAULT '',
	organisation text NOT NULL DEFAULT '',
	rounding     bigint NOT NULL,
	min_balance  bigint NOT NULL,
	max_balance  bigint,
	confirmation text NOT NULL,
	created_at   timestamptz NOT NULL,
	created_by   text NOT NULL,
	updated_at   timestamptz NOT NULL,
	updated_by   text NOT NULL,
	version      bigint NOT NULL
);
CREATE INDEX timebank_banks_parent ON timebank_banks (parent, id);

CREATE TABLE timebank_members (
	id          text PRIMARY KEY,
	bank        text NOT NULL,
	kind        text NOT NULL,
	role        text NOT NULL,
	status      text NOT NULL,
	trusted     boolean NOT NULL,
	name        text NOT NULL,
	email       text NOT NULL,
	phone       text NOT NULL,
	min_balance bigint,
	max_balance bigint,
	joined_at   timestamptz NOT NULL,
	left_at     timestamptz,
	erased_at   timestamptz,
	created_by  text NOT NULL,
	updated_at  timestamptz NOT NULL,
	updated_by  text NOT NULL,
	version     bigint NOT NULL
);
CREATE INDEX timebank_members_bank ON timebank_members (bank, id);

-- balance, last_at and postings (how many, so the seq of the latest) are
-- maintained by Apply, under the row's lock, as it posts.
CREATE TABLE timebank_accounts (
	id       text PRIMARY KEY,
	bank     text NOT NULL,
	kind     text NOT NULL,
	balance  bigint NOT NULL DEFAULT 0,
	last_at  timestamptz,
	postings bigint NOT NULL DEFAULT 0
);
CREATE INDEX timebank_accounts_bank ON timebank_accounts (bank, id);

-- A transfer keeps its postings, in order, in accounts and amounts; size is
-- the sum of its positive amounts.
CREATE TABLE timebank_transfers (
	id       text PRIMARY KEY,
	bank     text NOT NULL,
	kind     text NOT NULL,
	at       timestamptz NOT NULL,
	actor    text NOT NULL,
	exchange text NOT NULL,
	reverses text NOT NULL,
	memo     text NOT NULL,
	accounts text[] NOT NULL,
	amounts  bigint[] NOT NULL,
	size     bigint NOT NULL
);
CREATE INDEX timebank_transfers_bank_at ON timebank_transfers (bank, at);

-- The ledger, one row per posting: seq numbers an account's postings in
-- the order they were applied and, as At never goes back for an account,
-- the key (account, at, seq) makes BalanceAt and a statement page one
-- descent of the primary key. Accounts are checked to exist, under lock,
-- by Apply.
CREATE TABLE timebank_postings (
	account       text NOT NULL,
	at            timestamptz NOT NULL,
	seq           bigint NOT NULL,
	transfer      text NOT NULL,
	amount        bigint NOT NULL,
	balance_after bigint NOT NULL,
	PRIMARY KEY (account, at, seq) INCLUDE (balance_after)
);

CREATE TABLE timebank_exchanges (
	id                   text PRIMARY KEY,
	bank                 text NOT NULL,
	giver                text NOT NULL,
	receiver             text NOT NULL,
	minutes              bigint NOT NULL,
	date                 timestamptz NOT NULL,
	category             text NOT NULL,
	description          text NOT NULL,
	listing              text NOT NULL,
	status               text NOT NULL,
	giver_confirmed_by   text,
	giver_confirmed_at   timestamptz,
	receiver_confirmed_by text,
	receiver_confirmed_at timestamptz,
	approved_by          text,
	approved_at          timestamptz,
	transfer             text NOT NULL,
	reversal             text NOT NULL,
	reason               text NOT NULL,
	created_at           timestamptz NOT NULL,
	created_by           text NOT NULL,
	updated_at           timestamptz NOT NULL,
	updated_by           text NOT NULL,
	version              bigint NOT NULL
);
CREATE INDEX timebank_exchanges_bank_date ON timebank_exchanges (bank, date, id);
CREATE INDEX timebank_exchanges_giver ON timebank_exchanges (giver, date, id);
CREATE INDEX timebank_exchanges_receiver ON timebank_exchanges (receiver, date, id);

CREATE TABLE timebank_listings (
	id          text PRIMARY KEY,
	bank        text NOT NULL,
	member      text NOT NULL,
	kind        text NOT NULL,
	category    text NOT NULL,
	title       text NOT NULL,
	description text NOT NULL,
	open        boolean NOT NULL,
	created_at  timestamptz NOT NULL,
	updated_at  timestamptz NOT NULL,
	updated_by  text NOT NULL,
	version     bigint NOT NULL
);
CREATE INDEX timebank_listings_bank ON timebank_listings (bank, id);

CREATE TABLE timebank_events (
	seq     bigserial PRIMARY KEY,
	bank    text NOT NULL,
	at      timestamptz NOT NULL,
	actor   text NOT NULL,
	action  text NOT NULL,
	subject text NOT NULL,
	note    text NOT NULL
);
CREATE INDEX timebank_events_bank ON timebank_events (bank, seq);
CREATE INDEX timebank_events_subject ON timebank_events (subject, seq);

CREATE TABLE timebank_receipts (
	key    text PRIMARY KEY,
	hash   text NOT NULL,
	result text NOT NULL,
	at     timestamptz NOT NULL
);
