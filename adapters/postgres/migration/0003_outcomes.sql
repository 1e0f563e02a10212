-- Outcome framework schema (package outcomes). Frameworks, indicators and
-- stories are kept whole as JSON (body) beside the columns lists filter
-- and sort on. Measurement values are decimal text, exactly as given;
-- every revision is a row, and latest marks the current one.

CREATE TABLE outcome_frameworks (
	id      text PRIMARY KEY,
	version bigint NOT NULL,
	body    text NOT NULL
);

CREATE TABLE outcome_indicators (
	id        text PRIMARY KEY,
	framework text NOT NULL,
	version   bigint NOT NULL,
	body      text NOT NULL
);
CREATE INDEX outcome_indicators_framework ON outcome_indicators (framework, id);

CREATE TABLE outcome_measurements (
	indicator    text NOT NULL,
	area         text NOT NULL,
	period_start timestamptz NOT NULL,
	period_type  text NOT NULL,
	revision     bigint NOT NULL,
	value        text NOT NULL,
	count        text,
	denominator  text,
	lower        text,
	upper        text,
	ci_method    text NOT NULL,
	source       text NOT NULL,
	note         text NOT NULL,
	recorded_at  timestamptz NOT NULL,
	recorded_by  text NOT NULL,
	latest       boolean NOT NULL,
	PRIMARY KEY (indicator, area, period_start, period_type, revision)
);
CREATE INDEX outcome_measurements_latest ON outcome_measurements
	(indicator COLLATE "C", area COLLATE "C", period_start, period_type) WHERE latest;

CREATE TABLE outcome_stories (
	id        text PRIMARY KEY,
	framework text NOT NULL,
	indicator text NOT NULL,
	status    text NOT NULL,
	date      timestamptz NOT NULL,
	tags      text[] NOT NULL,
	version   bigint NOT NULL,
	body      text NOT NULL
);
CREATE INDEX outcome_stories_framework ON outcome_stories (framework, date, id);

CREATE TABLE outcome_events (
	seq       bigserial PRIMARY KEY,
	framework text NOT NULL,
	at        timestamptz NOT NULL,
	actor     text NOT NULL,
	action    text NOT NULL,
	subject   text NOT NULL,
	note      text NOT NULL
);
CREATE INDEX outcome_events_framework ON outcome_events (framework, seq);

CREATE TABLE outcome_receipts (
	key    text PRIMARY KEY,
	hash   text NOT NULL,
	result text NOT NULL,
	at     timestamptz NOT NULL
);
