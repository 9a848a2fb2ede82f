-- Previous password hashes (for the history rule) and password age.

CREATE TABLE password_history (
  user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  hash        text NOT NULL,
  replaced_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX password_history_user_idx ON password_history (user_id, replaced_at DESC);

ALTER TABLE users ADD COLUMN password_changed_at timestamptz NOT NULL DEFAULT now();
