-- Grants: funds, rounds, staff and applications are stored whole as JSON
-- (body) with the columns lists filter and sort on; the budget ledger
-- (grant_budgets, grant_commitments) is what Apply checks atomically.
-- Money is TEXT holding an exact decimal; times are INTEGER microseconds
-- since the Unix epoch, UTC.

CREATE TABLE grant_funds (
	id      TEXT PRIMARY KEY,
	version INTEGER NOT NULL,
	body    TEXT NOT NULL
) STRICT;

CREATE TABLE grant_rounds (
	id      TEXT PRIMARY KEY,
	fund    TEXT NOT NULL,
	year    INTEGER NOT NULL,
	opens   INTEGER NOT NULL,
	version INTEGER NOT NULL,
	body    TEXT NOT NULL
) STRICT;
CREATE INDEX grant_rounds_fund ON grant_rounds (fund, year, opens, id);
CREATE INDEX grant_rounds_opens ON grant_rounds (opens, id);

CREATE TABLE grant_staff (
	id      TEXT PRIMARY KEY,
	version INTEGER NOT NULL,
	body    TEXT NOT NULL
) STRICT;

CREATE TABLE grant_applications (
	id         TEXT PRIMARY KEY,
	fund       TEXT NOT NULL,
	round      TEXT NOT NULL,
	year       INTEGER NOT NULL,
	owner      TEXT NOT NULL,
	idea       TEXT NOT NULL,
	status     TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	version    INTEGER NOT NULL,
	body       TEXT NOT NULL
) STRICT;
CREATE INDEX grant_applications_order ON grant_applications (created_at, id);
CREATE INDEX grant_applications_fund ON grant_applications (fund, year, created_at, id);
CREATE INDEX grant_applications_idea ON grant_applications (fund, idea);
CREATE INDEX grant_applications_owner ON grant_applications (owner, created_at, id);

CREATE TABLE grant_budgets (
	fund      TEXT NOT NULL,
	year      INTEGER NOT NULL,
	committed TEXT NOT NULL,
	paid      TEXT NOT NULL,
	PRIMARY KEY (fund, year)
) STRICT;

CREATE TABLE grant_commitments (
	application TEXT PRIMARY KEY,
	fund        TEXT NOT NULL,
	year        INTEGER NOT NULL,
	amount      TEXT NOT NULL,
	paid        TEXT NOT NULL
) STRICT;

CREATE TABLE grant_receipts (
	key    TEXT PRIMARY KEY,
	hash   TEXT NOT NULL,
	result TEXT NOT NULL,
	at     INTEGER NOT NULL
) STRICT;

CREATE TABLE grant_events (
	seq     INTEGER PRIMARY KEY AUTOINCREMENT,
	fund    TEXT NOT NULL,
	at      INTEGER NOT NULL,
	actor   TEXT NOT NULL,
	action  TEXT NOT NULL,
	subject TEXT NOT NULL,
	from_status TEXT NOT NULL,
	to_status   TEXT NOT NULL,
	note    TEXT NOT NULL
) STRICT;
CREATE INDEX grant_events_subject ON grant_events (subject, seq);
CREATE INDEX grant_events_fund ON grant_events (fund, seq);
