-- Session activity for idle timeouts, and where a session was opened from.

ALTER TABLE sessions
  ADD COLUMN last_seen_at timestamptz NOT NULL DEFAULT now(),
  ADD COLUMN peer         text NOT NULL DEFAULT '';
CREATE INDEX sessions_user_created_idx ON sessions (user_id, created_at);
