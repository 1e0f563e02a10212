-- Time bank: the key that keeps one email per network is folded in Go
-- (lower case over all of Unicode, as the Service compares addresses) and
-- stored in email_key, not computed by SQL's lower(), which folds only
-- ASCII: "Élodie@example.org" and "élodie@example.org" were two keys, so
-- racing joins could give two members one address. Rows whose email holds
-- no letter outside ASCII get their key here; the store folds the others
-- in Go when it opens the database (Open).
ALTER TABLE timebank_members ADD COLUMN email_key text COLLATE "C" NOT NULL DEFAULT '';
UPDATE timebank_members SET email_key = lower(trim(email)) WHERE email <> '';
DROP INDEX timebank_members_email;
CREATE UNIQUE INDEX timebank_members_email ON timebank_members (network, email_key) WHERE email_key <> '';
