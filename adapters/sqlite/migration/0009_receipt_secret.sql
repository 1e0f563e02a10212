-- Idempotency receipts now hold keyed hashes (HMAC-SHA256 with a secret
-- kept in receipt_secret) of the caller and key, and of the request: no
-- personal data. Receipts written before this migration held the caller's
-- key in clear and an unsalted hash of the request, so they are removed; a
-- retry of a request sent before the upgrade is taken as a new request.
CREATE TABLE receipt_secret (
	id     INTEGER PRIMARY KEY CHECK (id = 1),
	secret BLOB NOT NULL CHECK (length(secret) >= 16)
) STRICT;

DELETE FROM receipts;
DELETE FROM grant_receipts;
DELETE FROM outcome_receipts;
DELETE FROM rx_receipts;
