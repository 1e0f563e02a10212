-- Time bank: one naming scheme in both backends (timebank_<table>, as
-- PostgreSQL has always had), administrators, and one email per network.
-- Indexes follow their tables.
ALTER TABLE banks RENAME TO timebank_banks;
ALTER TABLE members RENAME TO timebank_members;
ALTER TABLE accounts RENAME TO timebank_accounts;
ALTER TABLE transfers RENAME TO timebank_transfers;
ALTER TABLE postings RENAME TO timebank_postings;
ALTER TABLE exchanges RENAME TO timebank_exchanges;
ALTER TABLE listings RENAME TO timebank_listings;
ALTER TABLE events RENAME TO timebank_events;
ALTER TABLE receipts RENAME TO timebank_receipts;

-- Officers who may open borough banks and appoint other administrators.
CREATE TABLE timebank_admins (
	id         TEXT PRIMARY KEY,
	granted_at INTEGER NOT NULL,
	granted_by TEXT NOT NULL
) STRICT;

-- network is the borough bank a member's bank belongs to (the bank itself
-- for a borough bank): an email names at most one member of a network, in
-- any case. Before this migration the rule was checked outside the write's
-- transaction, so racing writers could give two members one email: the
-- member who joined first keeps it, the others' emails are cleared, and
-- the audit trail says so.
ALTER TABLE timebank_members ADD COLUMN network TEXT NOT NULL DEFAULT '';
UPDATE timebank_members SET network = coalesce(
	(SELECT CASE WHEN b.parent = '' THEN b.id ELSE b.parent END FROM timebank_banks b WHERE b.id = timebank_members.bank),
	bank);
INSERT INTO timebank_events (bank, at, actor, action, subject, note)
	SELECT m.bank, CAST(unixepoch('subsec') * 1000000 AS INTEGER), 'migration 0010', 'member.update', m.id,
		'email cleared: another member of the network gave the same email first'
	FROM timebank_members m
	WHERE m.email <> '' AND EXISTS (
		SELECT 1 FROM timebank_members o
		WHERE o.network = m.network AND lower(o.email) = lower(m.email)
			AND (o.joined_at < m.joined_at OR (o.joined_at = m.joined_at AND o.id < m.id)));
UPDATE timebank_members SET email = ''
	WHERE email <> '' AND EXISTS (
		SELECT 1 FROM timebank_members o
		WHERE o.network = timebank_members.network AND lower(o.email) = lower(timebank_members.email)
			AND (o.joined_at < timebank_members.joined_at OR (o.joined_at = timebank_members.joined_at AND o.id < timebank_members.id)));
CREATE UNIQUE INDEX timebank_members_email ON timebank_members (network, lower(email)) WHERE email <> '';
