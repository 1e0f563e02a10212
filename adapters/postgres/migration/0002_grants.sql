-- Grants: funds, rounds, staff and applications are stored whole as JSON
-- text (body) with the columns lists filter and sort on; the budget
-- ledger (grant_budgets, grant_commitments) is what Apply checks, under
-- row locks, in the same transaction as the records. Money is text
-- holding an exact decimal.

CREATE TABLE grant_funds (
	id      text PRIMARY KEY,
	version bigint NOT NULL,
	body    text NOT NULL
);

CREATE TABLE grant_rounds (
	id      text PRIMARY KEY,
	fund    text NOT NULL,
	year    integer NOT NULL,
	opens   timestamptz NOT NULL,
	version bigint NOT NULL,
	body    text NOT NULL
);
CREATE INDEX grant_rounds_fund ON grant_rounds (fund, year, opens, id);
CREATE INDEX grant_rounds_opens ON grant_rounds (opens, id);

CREATE TABLE grant_staff (
	id      text PRIMARY KEY,
	version bigint NOT NULL,
	body    text NOT NULL
);

CREATE TABLE grant_applications (
	id         text PRIMARY KEY,
	fund       text NOT NULL,
	round      text NOT NULL,
	year       integer NOT NULL,
	owner      text NOT NULL,
	idea       text NOT NULL,
	status     text NOT NULL,
	created_at timestamptz NOT NULL,
	version    bigint NOT NULL,
	body       text NOT NULL
);
CREATE INDEX grant_applications_order ON grant_applications (created_at, id);
CREATE INDEX grant_applications_fund ON grant_applications (fund, year, created_at, id);
CREATE INDEX grant_applications_idea ON grant_applications (fund, idea);
CREATE INDEX grant_applications_owner ON grant_applications (owner, created_at, id);

CREATE TABLE grant_budgets (
	fund      text NOT NULL,
	year      integer NOT NULL,
	committed text NOT NULL,
	paid      text NOT NULL,
	PRIMARY KEY (fund, year)
);

CREATE TABLE grant_commitments (
	application text PRIMARY KEY,
	fund        text NOT NULL,
	year        integer NOT NULL,
	amount      text NOT NULL,
	paid        text NOT NULL
);

CREATE TABLE grant_receipts (
	key    text PRIMARY KEY,
	hash   text NOT NULL,
	result text NOT NULL,
	at     timestamptz NOT NULL
);

CREATE TABLE grant_events (
	seq         bigserial PRIMARY KEY,
	fund        text NOT NULL,
	at          timestamptz NOT NULL,
	actor       text NOT NULL,
	action      text NOT NULL,
	subject     text NOT NULL,
	from_status text NOT NULL,
	to_status   text NOT NULL,
	note        text NOT NULL
);
CREATE INDEX grant_events_subject ON grant_events (subject, seq);
CREATE INDEX grant_events_fund ON grant_events (fund, seq);
