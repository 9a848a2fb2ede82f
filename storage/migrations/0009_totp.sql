-- TOTP second factor: the encrypted seed, the last time step used (no
-- replays), and single-use recovery codes stored as digests.

CREATE TABLE user_totp (
  user_id     uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  secret_box  bytea NOT NULL,
  confirmed   boolean NOT NULL DEFAULT false,
  last_step   bigint NOT NULL DEFAULT 0,
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE user_recovery_codes (
  user_id      uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  code_digest  bytea NOT NULL,
  used_at      timestamptz,
  PRIMARY KEY (user_id, code_digest)
);
