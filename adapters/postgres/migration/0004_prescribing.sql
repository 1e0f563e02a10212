-- Social prescribing (package prescribing). Each record is kept whole as
-- jsonb in doc, with the columns the store filters, orders and checks on
-- beside it. Tables are prefixed rx_ so they never clash with another
-- domain's.

CREATE TABLE rx_practices (
	id      text PRIMARY KEY,
	version bigint NOT NULL,
	area    text NOT NULL,
	doc     jsonb NOT NULL
);

CREATE TABLE rx_staff (
	id        text PRIMARY KEY,
	version   bigint NOT NULL,
	role      text NOT NULL,
	practices text[] NOT NULL,
	doc       jsonb NOT NULL
);

CREATE TABLE rx_patients (
	id       text PRIMARY KEY,
	version  bigint NOT NULL,
	practice text NOT NULL,
	nhs      text NOT NULL UNIQUE,
	doc      jsonb NOT NULL
);
CREATE INDEX rx_patients_practice ON rx_patients (practice, id);

CREATE TABLE rx_score_sets (
	id       text PRIMARY KEY,
	version  bigint NOT NULL,
	practice text NOT NULL,
	doc      jsonb NOT NULL
);

CREATE TABLE rx_stratifications (
	id       text PRIMARY KEY,
	version  bigint NOT NULL,
	practice text NOT NULL,
	doc      jsonb NOT NULL
);
CREATE INDEX rx_stratifications_practice ON rx_stratifications (practice, id);

CREATE TABLE rx_meetings (
	id       text PRIMARY KEY,
	version  bigint NOT NULL,
	practice text NOT NULL,
	date     timestamptz NOT NULL,
	doc      jsonb NOT NULL
);
CREATE INDEX rx_meetings_practice ON rx_meetings (practice, date, id);

CREATE TABLE rx_referrals (
	id          text PRIMARY KEY,
	version     bigint NOT NULL,
	practice    text NOT NULL,
	patient     text NOT NULL,
	advisor     text NOT NULL,
	state       text NOT NULL,
	open        boolean NOT NULL,
	on_caseload boolean NOT NULL,
	created_at  timestamptz NOT NULL,
	doc         jsonb NOT NULL
);
CREATE INDEX rx_referrals_practice ON rx_referrals (practice, id);
CREATE INDEX rx_referrals_patient ON rx_referrals (patient, id);
CREATE INDEX rx_referrals_caseload ON rx_referrals (advisor) WHERE on_caseload;

CREATE TABLE rx_events (
	seq      bigserial PRIMARY KEY,
	practice text NOT NULL,
	at       timestamptz NOT NULL,
	actor    text NOT NULL,
	action   text NOT NULL,
	subject  text NOT NULL,
	note     text NOT NULL
);
CREATE INDEX rx_events_practice ON rx_events (practice, seq);
CREATE INDEX rx_events_subject ON rx_events (subject, seq);

CREATE TABLE rx_receipts (
	key    text PRIMARY KEY,
	hash   text NOT NULL,
	result text NOT NULL,
	at     timestamptz NOT NULL
);
