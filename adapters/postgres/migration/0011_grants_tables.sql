-- Grants: the tables take the one naming scheme of both backends,
-- grants_<table>, and so do their indexes and the events' sequence. The
-- bodies of funds, rounds, staff and applications are now written as the
-- record types of adapters/internal/grantsrec (format 1, "v": 1), whose
-- keys are those of the bodies written before (format 0), so no body needs
-- rewriting.
ALTER TABLE grant_funds RENAME TO grants_funds;
ALTER TABLE grant_rounds RENAME TO grants_rounds;
ALTER TABLE grant_staff RENAME TO grants_staff;
ALTER TABLE grant_applications RENAME TO grants_applications;
ALTER TABLE grant_budgets RENAME TO grants_budgets;
ALTER TABLE grant_commitments RENAME TO grants_commitments;
ALTER TABLE grant_ideas RENAME TO grants_ideas;
ALTER TABLE grant_receipts RENAME TO grants_receipts;
ALTER TABLE grant_events RENAME TO grants_events;

ALTER INDEX grant_funds_pkey RENAME TO grants_funds_pkey;
ALTER INDEX grant_rounds_pkey RENAME TO grants_rounds_pkey;
ALTER INDEX grant_staff_pkey RENAME TO grants_staff_pkey;
ALTER INDEX grant_applications_pkey RENAME TO grants_applications_pkey;
ALTER INDEX grant_budgets_pkey RENAME TO grants_budgets_pkey;
ALTER INDEX grant_commitments_pkey RENAME TO grants_commitments_pkey;
ALTER INDEX grant_ideas_pkey RENAME TO grants_ideas_pkey;
ALTER INDEX grant_receipts_pkey RENAME TO grants_receipts_pkey;
ALTER INDEX grant_events_pkey RENAME TO grants_events_pkey;
ALTER INDEX grant_rounds_fund RENAME TO grants_rounds_fund;
ALTER INDEX grant_rounds_opens RENAME TO grants_rounds_opens;
ALTER INDEX grant_applications_order RENAME TO grants_applications_order;
ALTER INDEX grant_applications_fund RENAME TO grants_applications_fund;
ALTER INDEX grant_applications_idea RENAME TO grants_applications_idea;
ALTER INDEX grant_applications_owner RENAME TO grants_applications_owner;
ALTER INDEX grant_ideas_application RENAME TO grants_ideas_application;
ALTER INDEX grant_events_subject RENAME TO grants_events_subject;
ALTER INDEX grant_events_fund RENAME TO grants_events_fund;
ALTER SEQUENCE grant_events_seq_seq RENAME TO grants_events_seq_seq;
