-- Social prescribing (package prescribing), issue 9 and 10:
--
-- * Tables take the one naming scheme of every domain, prescribing_<table>
--   (they were rx_<table>); their indexes are renamed with them.
-- * An NHS number is unique within a practice, no longer across all
--   practices: each practice keeps its own record of a patient, so that
--   registering a patient never tells a practice whether another practice
--   knows them. An erased patient keeps no NHS number (nhs is NULL).
--   SQLite cannot drop a column's UNIQUE constraint, so the patients table
--   is rebuilt.
-- * Stored documents are the store's own record types (package
--   adapters/internal/prescribingrec), with a format version "v". Documents
--   written before have no "v" and the same field names; they are read as
--   they are, so no document is rewritten here.

ALTER TABLE rx_practices RENAME TO prescribing_practices;
ALTER TABLE rx_staff RENAME TO prescribing_staff;
ALTER TABLE rx_score_sets RENAME TO prescribing_score_sets;
ALTER TABLE rx_stratifications RENAME TO prescribing_stratifications;
ALTER TABLE rx_meetings RENAME TO prescribing_meetings;
ALTER TABLE rx_referrals RENAME TO prescribing_referrals;
ALTER TABLE rx_events RENAME TO prescribing_events;
ALTER TABLE rx_receipts RENAME TO prescribing_receipts;

CREATE TABLE prescribing_patients (
	id       TEXT PRIMARY KEY,
	version  INTEGER NOT NULL,
	practice TEXT NOT NULL,
	nhs      TEXT, -- NULL once the patient is erased
	doc      TEXT NOT NULL,
	UNIQUE (practice, nhs)
) STRICT;
INSERT INTO prescribing_patients (id, version, practice, nhs, doc)
	SELECT id, version, practice, nhs, doc FROM rx_patients;
DROP TABLE rx_patients;
CREATE INDEX prescribing_patients_practice ON prescribing_patients (practice, id);

DROP INDEX rx_stratifications_practice;
CREATE INDEX prescribing_stratifications_practice ON prescribing_stratifications (practice, id);
DROP INDEX rx_meetings_practice;
CREATE INDEX prescribing_meetings_practice ON prescribing_meetings (practice, date, id);
DROP INDEX rx_referrals_practice;
CREATE INDEX prescribing_referrals_practice ON prescribing_referrals (practice, id);
DROP INDEX rx_referrals_patient;
CREATE INDEX prescribing_referrals_patient ON prescribing_referrals (patient, id);
DROP INDEX rx_referrals_caseload;
CREATE INDEX prescribing_referrals_caseload ON prescribing_referrals (advisor) WHERE on_caseload = 1;
DROP INDEX rx_referrals_open_patient;
CREATE UNIQUE INDEX prescribing_referrals_open_patient ON prescribing_referrals (patient) WHERE open = 1;
DROP INDEX rx_events_practice;
CREATE INDEX prescribing_events_practice ON prescribing_events (practice, seq);
DROP INDEX rx_events_subject;
CREATE INDEX prescribing_events_subject ON prescribing_events (subject, seq);
