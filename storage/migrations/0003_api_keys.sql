-- API keys: shown once, stored as SHA-256 digests, listed by a public prefix.

CREATE TABLE api_keys (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id       uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  prefix        text NOT NULL UNIQUE,
  key_digest    bytea NOT NULL UNIQUE CHECK (length(key_digest) = 32),
  -- Empty: the owner's permissions at the time of each call.
  permissions   text[] NOT NULL DEFAULT '{}',
  expires_at    timestamptz,
  revoked       boolean NOT NULL DEFAULT false,
  created_at    timestamptz NOT NULL DEFAULT now(),
  last_used_at  timestamptz
);
CREATE INDEX api_keys_user_idx ON api_keys (user_id, prefix);
