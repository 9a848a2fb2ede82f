-- Invited and self-registered users: pending until they accept or verify,
-- single-use tokens for both, and Terms of Use acceptance.

ALTER TABLE users
  ADD COLUMN pending                boolean NOT NULL DEFAULT false,
  ADD COLUMN must_accept_terms      boolean NOT NULL DEFAULT false,
  ADD COLUMN terms_accepted_version text NOT NULL DEFAULT '';

CREATE TABLE user_tokens (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id       uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  purpose       text NOT NULL CHECK (purpose IN ('INVITATION', 'EMAIL_VERIFICATION')),
  token_digest  bytea NOT NULL UNIQUE CHECK (length(token_digest) = 32),
  expires_at    timestamptz NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  used_at       timestamptz,
  voided        boolean NOT NULL DEFAULT false
);
CREATE INDEX user_tokens_user_idx ON user_tokens (user_id, purpose);
