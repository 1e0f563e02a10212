-- Outcomes (issue 9): tables are named outcomes_<table>, as in every
-- domain and both backends; indexes follow their tables. Administrators
-- (outcomes.Service.Bootstrap and GrantAdmin) get a table of their own.
-- Framework, indicator and story bodies are now written as explicit
-- records with a format version "v" (adapters/internal/outcomesrec);
-- bodies written before have the same names and no "v", and are read as
-- version 1.
ALTER TABLE outcome_frameworks RENAME TO outcomes_frameworks;
ALTER TABLE outcome_indicators RENAME TO outcomes_indicators;
ALTER TABLE outcome_measurements RENAME TO outcomes_measurements;
ALTER TABLE outcome_stories RENAME TO outcomes_stories;
ALTER TABLE outcome_events RENAME TO outcomes_events;
ALTER TABLE outcome_receipts RENAME TO outcomes_receipts;

CREATE TABLE outcomes_admins (
	actor      text PRIMARY KEY,
	granted_at timestamptz NOT NULL,
	granted_by text NOT NULL
);
