-- Order text the way Go does: byte by byte. The stores promise lists
-- "ordered by id", and the memory store compares strings in Go; a database
-- created with a linguistic collation (en_GB, ICU) would sort "Zed" after
-- "alpha" and ignore punctuation. Every text column of the schema so far
-- takes the "C" collation; tables added later declare it on their ids.
DO $$
DECLARE
	r record;
BEGIN
	FOR r IN
		SELECT c.table_name, c.column_name
		FROM information_schema.columns c
		JOIN information_schema.tables t
			ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
		WHERE c.table_schema = current_schema()
			AND c.data_type = 'text'
			AND c.collation_name IS DISTINCT FROM 'C'
			AND c.is_generated = 'NEVER'
	LOOP
		EXECUTE format('ALTER TABLE %I ALTER COLUMN %I TYPE text COLLATE "C"', r.table_name, r.column_name);
	END LOOP;
END
$$;
