-- Social prescribing (package prescribing): a patient has at most one open
-- referral. The store writes a batch's closing referrals before its open
-- ones, so this index refuses exactly the batches that would leave a
-- patient with two open referrals (prescribing.ErrOpenReferral).
CREATE UNIQUE INDEX rx_referrals_open_patient ON rx_referrals (patient) WHERE open = 1;
