-- Social prescribing (package prescribing). Each record is kept whole as
-- JSON in doc, with the columns the store filters, orders and checks on
-- beside it. Tables are prefixed rx_ so they never clash with another
-- domain's.

CREATE TABLE rx_practices (
	id      TEXT PRIMARY KEY,
	version INTEGER NOT NULL,
	area    TEXT NOT NULL,
	doc     TEXT NOT NULL
) STRICT;

CREATE TABLE rx_staff (
	id        TEXT PRIMARY KEY,
	version   INTEGER NOT NULL,
	role      TEXT NOT NULL,
	practices TEXT NOT NULL, -- ",p1,p2," for LIKE '%,p1,%'
	doc       TEXT NOT NULL
) STRICT;

CREATE TABLE rx_patients (
	id       TEXT PRIMARY KEY,
	version  INTEGER NOT NULL,
	practice TEXT NOT NULL,
	nhs      TEXT NOT NULL UNIQUE,
	doc      TEXT NOT NULL
) STRICT;
CREATE INDEX rx_patients_practice ON rx_patients (practice, id);

CREATE TABLE rx_score_sets (
	id       TEXT PRIMARY KEY,
	version  INTEGER NOT NULL,
	practice TEXT NOT NULL,
	doc      TEXT NOT NULL
) STRICT;

CREATE TABLE rx_stratifications (
	id       TEXT PRIMARY KEY,
	version  INTEGER NOT NULL,
	practice TEXT NOT NULL,
	doc      TEXT NOT NULL
) STRICT;
CREATE INDEX rx_stratifications_practice ON rx_stratifications (practice, id);

CREATE TABLE rx_meetings (
	id       TEXT PRIMARY KEY,
	version  INTEGER NOT NULL,
	practice TEXT NOT NULL,
	date     INTEGER NOT NULL,
	doc      TEXT NOT NULL
) STRICT;
CREATE INDEX rx_meetings_practice ON rx_meetings (practice, date, id);

CREATE TABLE rx_referrals (
	id          TEXT PRIMARY KEY,
	version     INTEGER NOT NULL,
	practice    TEXT NOT NULL,
	patient     TEXT NOT NULL,
	advisor     TEXT NOT NULL,
	state       TEXT NOT NULL,
	open        INTEGER NOT NULL,
	on_caseload INTEGER NOT NULL,
	created_at  INTEGER NOT NULL,
	doc         TEXT NOT NULL
) STRICT;
CREATE INDEX rx_referrals_practice ON rx_referrals (practice, id);
CREATE INDEX rx_referrals_patient ON rx_referrals (patient, id);
CREATE INDEX rx_referrals_caseload ON rx_referrals (advisor) WHERE on_caseload = 1;

CREATE TABLE rx_events (
	seq      INTEGER PRIMARY KEY AUTOINCREMENT,
	practice TEXT NOT NULL,
	at       INTEGER NOT NULL,
	actor    TEXT NOT NULL,
	action   TEXT NOT NULL,
	subject  TEXT NOT NULL,
	note     TEXT NOT NULL
) STRICT;
CREATE INDEX rx_events_practice ON rx_events (practice, seq);
CREATE INDEX rx_events_subject ON rx_events (subject, seq);

CREATE TABLE rx_receipts (
	key    TEXT PRIMARY KEY,
	hash   TEXT NOT NULL,
	result TEXT NOT NULL,
	at     INTEGER NOT NULL
) STRICT;
