-- The hubs domain: every record is kept whole in its stored format
-- (adapters/internal/hubsrec: JSON in a versioned envelope), keyed by kind
-- and id, with the columns reads select by. Listings are indexed for text
-- search (FTS5, keyed by the record's rowid) and by taxonomy term.
CREATE TABLE hubs_records (
	kind    TEXT    NOT NULL,
	id      TEXT    NOT NULL,
	hub     TEXT    NOT NULL DEFAULT '',
	parent  TEXT    NOT NULL DEFAULT '',
	on_at   INTEGER NOT NULL DEFAULT 0,
	version INTEGER NOT NULL CHECK (version >= 1),
	body    TEXT    NOT NULL,
	UNIQUE (kind, id)
) STRICT;
CREATE INDEX hubs_records_hub ON hubs_records (kind, hub, on_at);
CREATE INDEX hubs_records_on ON hubs_records (kind, on_at);
CREATE INDEX hubs_records_parent ON hubs_records (kind, parent, on_at);

CREATE TABLE hubs_listing_terms (
	term    TEXT NOT NULL,
	listing TEXT NOT NULL,
	PRIMARY KEY (term, listing)
) STRICT, WITHOUT ROWID;
CREATE INDEX hubs_listing_terms_listing ON hubs_listing_terms (listing);

CREATE VIRTUAL TABLE hubs_listing_text USING fts5(words, tokenize = 'unicode61 remove_diacritics 0');

CREATE TABLE hubs_receipts (
	key    TEXT    PRIMARY KEY,
	hash   TEXT    NOT NULL,
	result TEXT    NOT NULL,
	at     INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
