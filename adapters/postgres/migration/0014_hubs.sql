-- The hubs domain: every record is kept whole in its stored format
-- (adapters/internal/hubsrec: JSON in a versioned envelope), keyed by kind
-- and id, with the columns reads select by. Listings are indexed for text
-- search (a tsvector with a GIN index) and by taxonomy term.
CREATE TABLE hubs_records (
	kind    text   NOT NULL,
	id      text   NOT NULL,
	hub     text   NOT NULL DEFAULT '',
	parent  text   NOT NULL DEFAULT '',
	on_at   bigint NOT NULL DEFAULT 0,
	version bigint NOT NULL CHECK (version >= 1),
	body    jsonb  NOT NULL,
	PRIMARY KEY (kind, id)
);
CREATE INDEX hubs_records_hub ON hubs_records (kind, hub, on_at);
CREATE INDEX hubs_records_on ON hubs_records (kind, on_at);
CREATE INDEX hubs_records_parent ON hubs_records (kind, parent, on_at);

CREATE TABLE hubs_listing_terms (
	term    text NOT NULL,
	listing text NOT NULL,
	PRIMARY KEY (term, listing)
);
CREATE INDEX hubs_listing_terms_listing ON hubs_listing_terms (listing);

CREATE TABLE hubs_listing_text (
	id  text     PRIMARY KEY,
	tsv tsvector NOT NULL
);
CREATE INDEX hubs_listing_text_tsv ON hubs_listing_text USING gin (tsv);

CREATE TABLE hubs_receipts (
	key    text        PRIMARY KEY,
	hash   text        NOT NULL,
	result text        NOT NULL,
	at     timestamptz NOT NULL
);
