-- Social prescribing (package prescribing): a patient has at most one open
-- referral. The store writes a batch's closing referrals before its open
-- ones, so this index refuses exactly the batches that would leave a
-- patient with two open referrals (prescribing.ErrOpenReferral); of two
-- transactions racing to open one, the second waits for the first and
-- then fails.
--
-- A database written before this rule may already hold patients with two
-- open referrals; then the migration stops with a message naming them.
-- Close or decline all but one of each group with the release before
-- this migration (its Service), then upgrade again.
DO $$
DECLARE
	dupes text;
BEGIN
	SELECT string_agg(ids, '; ') INTO dupes FROM (
		SELECT string_agg(id, ', ' ORDER BY id) AS ids
		FROM rx_referrals WHERE open GROUP BY patient HAVING count(*) > 1
	) d;
	IF dupes IS NOT NULL THEN
		RAISE EXCEPTION 'patients with more than one open referral (close all but one of each group, then reopen): %', dupes;
	END IF;
END
$$;
CREATE UNIQUE INDEX rx_referrals_open_patient ON rx_referrals (patient) WHERE open;
