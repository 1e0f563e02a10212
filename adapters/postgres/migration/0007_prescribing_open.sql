-- Social prescribing (package prescribing): a patient has at most one open
-- referral. The store writes a batch's closing referrals before its open
-- ones, so this index refuses exactly the batches that would leave a
-- patient with two open referrals (prescribing.ErrOpenReferral); of two
-- transactions racing to open one, the second waits for the first and
-- then fails.
CREATE UNIQUE INDEX rx_referrals_open_patient ON rx_referrals (patient) WHERE open;
