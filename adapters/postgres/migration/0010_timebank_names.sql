-- Time bank: administrators, and one email per network. (The tables were
-- named timebank_<table> from the start here; SQLite's 0010 renames its
-- own to match.)

-- Officers who may open borough banks and appoint other administrators.
CREATE TABLE timebank_admins (
	id         text COLLATE "C" PRIMARY KEY,
	granted_at timestamptz NOT NULL,
	granted_by text COLLATE "C" NOT NULL
);

-- network is the borough bank a member's bank belongs to (the bank itself
-- for a borough bank), kept by a trigger: an email names at most one
-- member of a network, in any case. Before this migration the rule was
-- checked outside the write's transaction, so racing writers could give
-- two members one email: the member who joined first keeps it, the others'
-- emails are cleared, and the audit trail says so.
ALTER TABLE timebank_members ADD COLUMN network text COLLATE "C" NOT NULL DEFAULT '';

CREATE FUNCTION timebank_member_network() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	NEW.network := coalesce(
		(SELECT CASE WHEN b.parent = '' THEN b.id ELSE b.parent END FROM timebank_banks b WHERE b.id = NEW.bank),
		NEW.bank);
	RETURN NEW;
END
$$;
CREATE TRIGGER timebank_member_network BEFORE INSERT OR UPDATE OF bank ON timebank_members
	FOR EACH ROW EXECUTE FUNCTION timebank_member_network();

UPDATE timebank_members SET bank = bank;

INSERT INTO timebank_events (bank, at, actor, action, subject, note)
	SELECT m.bank, now(), 'migration 0010', 'member.update', m.id,
		'email cleared: another member of the network gave the same email first'
	FROM timebank_members m
	WHERE m.email <> '' AND EXISTS (
		SELECT 1 FROM timebank_members o
		WHERE o.network = m.network AND lower(o.email) = lower(m.email)
			AND (o.joined_at < m.joined_at OR (o.joined_at = m.joined_at AND o.id < m.id)));
UPDATE timebank_members m SET email = ''
	WHERE m.email <> '' AND EXISTS (
		SELECT 1 FROM timebank_members o
		WHERE o.network = m.network AND lower(o.email) = lower(m.email)
			AND (o.joined_at < m.joined_at OR (o.joined_at = m.joined_at AND o.id < m.id)));

CREATE UNIQUE INDEX timebank_members_email ON timebank_members (network, lower(email)) WHERE email <> '';
