-- The locality domain (hubs/locality): every record is kept whole in its
-- stored format (adapters/internal/localityrec: JSON in a versioned
-- envelope), keyed by kind and id, with the columns reads select by: the
-- area, the person it names (for erasure) and its date.
CREATE TABLE locality_records (
	kind    text   NOT NULL,
	id      text   NOT NULL,
	area    text   NOT NULL DEFAULT '',
	person  text   NOT NULL DEFAULT '',
	on_at   bigint NOT NULL DEFAULT 0,
	version bigint NOT NULL CHECK (version >= 1),
	body    jsonb  NOT NULL,
	PRIMARY KEY (kind, id)
);
CREATE INDEX locality_records_on ON locality_records (kind, on_at);
CREATE INDEX locality_records_area ON locality_records (kind, area, on_at);
CREATE INDEX locality_records_person ON locality_records (person, kind) WHERE person <> '';

CREATE TABLE locality_receipts (
	key    text        PRIMARY KEY,
	hash   text        NOT NULL,
	result text        NOT NULL,
	at     timestamptz NOT NULL
);
