-- Outcome framework schema (package outcomes). Times are INTEGER
-- microseconds since the Unix epoch, UTC. Frameworks, indicators and
-- stories are kept whole as JSON (body), with the columns lists filter and
-- sort on beside them. Measurement values are decimal TEXT, exactly as
-- given; every revision is a row, and latest = 1 marks the current one.

CREATE TABLE outcome_frameworks (
	id      TEXT PRIMARY KEY,
	version INTEGER NOT NULL,
	body    TEXT NOT NULL
) STRICT;

CREATE TABLE outcome_indicators (
	id        TEXT PRIMARY KEY,
	framework TEXT NOT NULL,
	version   INTEGER NOT NULL,
	body      TEXT NOT NULL
) STRICT;
CREATE INDEX outcome_indicators_framework ON outcome_indicators (framework, id);

CREATE TABLE outcome_measurements (
	indicator    TEXT NOT NULL,
	area         TEXT NOT NULL,
	period_start INTEGER NOT NULL,
	period_type  TEXT NOT NULL,
	revision     INTEGER NOT NULL,
	value        TEXT NOT NULL,
	count        TEXT,
	denominator  TEXT,
	lower        TEXT,
	upper        TEXT,
	ci_method    TEXT NOT NULL,
	source       TEXT NOT NULL,
	note         TEXT NOT NULL,
	recorded_at  INTEGER NOT NULL,
	recorded_by  TEXT NOT NULL,
	latest       INTEGER NOT NULL,
	PRIMARY KEY (indicator, area, period_start, period_type, revision)
) STRICT, WITHOUT ROWID;
-- Reads walk the primary key in series order; most keys have one revision.

CREATE TABLE outcome_stories (
	id        TEXT PRIMARY KEY,
	framework TEXT NOT NULL,
	indicator TEXT NOT NULL,
	status    TEXT NOT NULL,
	date      INTEGER NOT NULL,
	tags      TEXT NOT NULL, -- JSON array
	version   INTEGER NOT NULL,
	body      TEXT NOT NULL
) STRICT;
CREATE INDEX outcome_stories_framework ON outcome_stories (framework, date, id);

CREATE TABLE outcome_events (
	seq       INTEGER PRIMARY KEY AUTOINCREMENT,
	framework TEXT NOT NULL,
	at        INTEGER NOT NULL,
	actor     TEXT NOT NULL,
	action    TEXT NOT NULL,
	subject   TEXT NOT NULL,
	note      TEXT NOT NULL
) STRICT;
CREATE INDEX outcome_events_framework ON outcome_events (framework, seq);

CREATE TABLE outcome_receipts (
	key    TEXT PRIMARY KEY,
	hash   TEXT NOT NULL,
	result TEXT NOT NULL,
	at     INTEGER NOT NULL
) STRICT;
