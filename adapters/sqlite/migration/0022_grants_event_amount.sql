-- Grants: an event keeps the money it moved (grants.Event.Amount: an
-- award's grant, a payment), which its note said in words alone before
-- and which erasing the application's notes took with them. The amounts
-- of earlier award and payment events are read back from their notes
-- ("awarded £1,234.50", "paid £300.00") where the notes are still there
-- (the prefix's length in the database's own characters, whatever its
-- encoding).
ALTER TABLE grants_events ADD COLUMN amount TEXT NOT NULL DEFAULT '';
UPDATE grants_events SET amount = replace(substr(note, length('awarded £') + 1), ',', '')
	WHERE action = 'application.award' AND note LIKE 'awarded £%';
UPDATE grants_events SET amount = replace(substr(note, length('paid £') + 1), ',', '')
	WHERE action = 'application.pay' AND note LIKE 'paid £%';
