-- Grants: the tables take the one naming scheme of both backends,
-- grants_<table>, and so do their indexes. The bodies of funds, rounds,
-- staff and applications are now written as the record types of
-- adapters/internal/grantsrec (format 1, "v": 1), whose keys are those of
-- the bodies written before (format 0), so no body needs rewriting.
ALTER TABLE grant_funds RENAME TO grants_funds;
ALTER TABLE grant_rounds RENAME TO grants_rounds;
ALTER TABLE grant_staff RENAME TO grants_staff;
ALTER TABLE grant_applications RENAME TO grants_applications;
ALTER TABLE grant_budgets RENAME TO grants_budgets;
ALTER TABLE grant_commitments RENAME TO grants_commitments;
ALTER TABLE grant_ideas RENAME TO grants_ideas;
ALTER TABLE grant_receipts RENAME TO grants_receipts;
ALTER TABLE grant_events RENAME TO grants_events;

DROP INDEX grant_rounds_fund;
DROP INDEX grant_rounds_opens;
DROP INDEX grant_applications_order;
DROP INDEX grant_applications_fund;
DROP INDEX grant_applications_idea;
DROP INDEX grant_applications_owner;
DROP INDEX grant_ideas_application;
DROP INDEX grant_events_subject;
DROP INDEX grant_events_fund;
CREATE INDEX grants_rounds_fund ON grants_rounds (fund, year, opens, id);
CREATE INDEX grants_rounds_opens ON grants_rounds (opens, id);
CREATE INDEX grants_applications_order ON grants_applications (created_at, id);
CREATE INDEX grants_applications_fund ON grants_applications (fund, year, created_at, id);
CREATE INDEX grants_applications_idea ON grants_applications (fund, idea);
CREATE INDEX grants_applications_owner ON grants_applications (owner, created_at, id);
CREATE INDEX grants_ideas_application ON grants_ideas (application);
CREATE INDEX grants_events_subject ON grants_events (subject, seq);
CREATE INDEX grants_events_fund ON grants_events (fund, seq);
