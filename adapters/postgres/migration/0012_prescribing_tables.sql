-- Social prescribing (package prescribing), issue 9 and 10:
--
-- * Tables take the one naming scheme of every domain, prescribing_<table>
--   (they were rx_<table>); their indexes are renamed with them.
-- * An NHS number is unique within a practice, no longer across all
--   practices: each practice keeps its own record of a patient, so that
--   registering a patient never tells a practice whether another practice
--   knows them. An erased patient keeps no NHS number (nhs is NULL).
-- * Stored documents are the store's own record types (package
--   adapters/internal/prescribingrec), with a format version "v". Documents
--   written before have no "v" and the same field names; they are read as
--   they are, so no document is rewritten here.

ALTER TABLE rx_practices RENAME TO prescribing_practices;
ALTER TABLE rx_staff RENAME TO prescribing_staff;
ALTER TABLE rx_patients RENAME TO prescribing_patients;
ALTER TABLE rx_score_sets RENAME TO prescribing_score_sets;
ALTER TABLE rx_stratifications RENAME TO prescribing_stratifications;
ALTER TABLE rx_meetings RENAME TO prescribing_meetings;
ALTER TABLE rx_referrals RENAME TO prescribing_referrals;
ALTER TABLE rx_events RENAME TO prescribing_events;
ALTER TABLE rx_receipts RENAME TO prescribing_receipts;

ALTER TABLE prescribing_patients DROP CONSTRAINT rx_patients_nhs_key;
ALTER TABLE prescribing_patients ALTER COLUMN nhs DROP NOT NULL; -- NULL once the patient is erased
ALTER TABLE prescribing_patients ADD CONSTRAINT prescribing_patients_practice_nhs_key UNIQUE (practice, nhs);

ALTER INDEX rx_patients_practice RENAME TO prescribing_patients_practice;
ALTER INDEX rx_stratifications_practice RENAME TO prescribing_stratifications_practice;
ALTER INDEX rx_meetings_practice RENAME TO prescribing_meetings_practice;
ALTER INDEX rx_referrals_practice RENAME TO prescribing_referrals_practice;
ALTER INDEX rx_referrals_patient RENAME TO prescribing_referrals_patient;
ALTER INDEX rx_referrals_caseload RENAME TO prescribing_referrals_caseload;
ALTER INDEX rx_referrals_open_patient RENAME TO prescribing_referrals_open_patient;
ALTER INDEX rx_events_practice RENAME TO prescribing_events_practice;
ALTER INDEX rx_events_subject RENAME TO prescribing_events_subject;

ALTER TABLE prescribing_practices RENAME CONSTRAINT rx_practices_pkey TO prescribing_practices_pkey;
ALTER TABLE prescribing_staff RENAME CONSTRAINT rx_staff_pkey TO prescribing_staff_pkey;
ALTER TABLE prescribing_patients RENAME CONSTRAINT rx_patients_pkey TO prescribing_patients_pkey;
ALTER TABLE prescribing_score_sets RENAME CONSTRAINT rx_score_sets_pkey TO prescribing_score_sets_pkey;
ALTER TABLE prescribing_stratifications RENAME CONSTRAINT rx_stratifications_pkey TO prescribing_stratifications_pkey;
ALTER TABLE prescribing_meetings RENAME CONSTRAINT rx_meetings_pkey TO prescribing_meetings_pkey;
ALTER TABLE prescribing_referrals RENAME CONSTRAINT rx_referrals_pkey TO prescribing_referrals_pkey;
ALTER TABLE prescribing_events RENAME CONSTRAINT rx_events_pkey TO prescribing_events_pkey;
ALTER TABLE prescribing_receipts RENAME CONSTRAINT rx_receipts_pkey TO prescribing_receipts_pkey;
ALTER SEQUENCE rx_events_seq_seq RENAME TO prescribing_events_seq_seq;
