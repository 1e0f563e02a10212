-- Time bank: a member may name the electoral ward they live or work in,
-- for the partnership's ward matrix (timebank.Service.WardCounts). Members
-- written before this step name none.
ALTER TABLE timebank_members ADD COLUMN ward TEXT NOT NULL DEFAULT '';
