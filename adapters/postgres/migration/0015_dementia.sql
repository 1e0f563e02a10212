-- The dementia domain: every record is kept whole in its stored format
-- (adapters/internal/dementiarec: JSON in a versioned envelope), keyed by
-- kind and id, with the columns reads select by: parent (an action's
-- member, a review's year) and on_at (the date a list is ordered by).
CREATE TABLE dementia_records (
	kind    text   COLLATE "C" NOT NULL,
	id      text   COLLATE "C" NOT NULL,
	parent  text   COLLATE "C" NOT NULL DEFAULT '',
	on_at   bigint NOT NULL DEFAULT 0,
	version bigint NOT NULL CHECK (version >= 1),
	body    jsonb  NOT NULL,
	PRIMARY KEY (kind, id)
);
CREATE INDEX dementia_records_on ON dementia_records (kind, on_at);
CREATE INDEX dementia_records_parent ON dementia_records (kind, parent, on_at);

CREATE TABLE dementia_receipts (
	key    text        COLLATE "C" PRIMARY KEY,
	hash   text        NOT NULL,
	result text        NOT NULL,
	at     timestamptz NOT NULL
);
