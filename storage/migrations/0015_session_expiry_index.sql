-- Every login ends the user's expired sessions. With (user_id, expires_at)
-- that is a range scan of the expired ones only, instead of a visit of every
-- session the user holds (a client that logs in often holds thousands).
-- Lookups by user_id alone are served by sessions_user_created_idx.
CREATE INDEX sessions_user_expiry_idx ON sessions (user_id, expires_at);
DROP INDEX sessions_user_idx;
