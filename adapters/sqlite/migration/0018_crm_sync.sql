-- The CRM sync state (adapters/crm), per source (a plugin, by the name the
-- host gives it): the cursor after the last batch stored, the link of each
-- CRM record stored (the domain id and the CRM version stored), and named
-- marks, such as a push feed's high-water mark.
CREATE TABLE crm_cursors (
	source TEXT NOT NULL PRIMARY KEY,
	cursor TEXT NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE crm_links (
	source      TEXT    NOT NULL,
	kind        TEXT    NOT NULL,
	external_id TEXT    NOT NULL,
	id          TEXT    NOT NULL,
	version     INTEGER NOT NULL CHECK (version >= 1),
	PRIMARY KEY (source, kind, external_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE crm_marks (
	source TEXT NOT NULL,
	name   TEXT NOT NULL,
	value  TEXT NOT NULL,
	PRIMARY KEY (source, name)
) STRICT, WITHOUT ROWID;
