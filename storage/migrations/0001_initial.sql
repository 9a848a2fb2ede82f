-- Organizations, users, sessions and the audit log.

CREATE TABLE organizations (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  version     bigint NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX organizations_name_key ON organizations (lower(name));
CREATE INDEX organizations_keyset_idx ON organizations (lower(name), id);

CREATE TABLE users (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id  uuid NOT NULL REFERENCES organizations (id) ON DELETE RESTRICT,
  username         text NOT NULL CHECK (length(username) BETWEEN 1 AND 254),
  email            text NOT NULL DEFAULT '',
  display_name     text NOT NULL DEFAULT '',
  image_url        text NOT NULL DEFAULT '',
  time_zone        text NOT NULL DEFAULT '',
  origin           text NOT NULL CHECK (origin IN ('INTERNAL', 'LDAP', 'SAML')),
  -- Exactly one primary role per user: a NOT NULL column, not a join row.
  primary_role     text NOT NULL CHECK (length(primary_role) > 0),
  enabled          boolean NOT NULL DEFAULT true,
  locked           boolean NOT NULL DEFAULT false,
  password_hash    text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  version          bigint NOT NULL DEFAULT 1,
  -- Only internal users have a password here.
  CONSTRAINT users_password_only_internal
    CHECK (origin = 'INTERNAL' OR password_hash IS NULL)
);
CREATE UNIQUE INDEX users_username_key ON users (lower(username));
CREATE INDEX users_org_keyset_idx ON users (organization_id, lower(username), id);
-- Finds the enabled internal global admins quickly (last-admin rule).
CREATE INDEX users_global_admin_idx ON users (id)
  WHERE primary_role = 'GLOBAL_ADMIN' AND origin = 'INTERNAL' AND enabled;

CREATE TABLE sessions (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id       uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  token_digest  bytea NOT NULL UNIQUE CHECK (length(token_digest) = 32),
  created_at    timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz NOT NULL
);
CREATE INDEX sessions_user_idx ON sessions (user_id);
CREATE INDEX sessions_expiry_idx ON sessions (expires_at);

CREATE TABLE audit_events (
  id               bigserial PRIMARY KEY,
  occurred_at      timestamptz NOT NULL DEFAULT now(),
  actor_id         uuid,
  actor_username   text NOT NULL DEFAULT '',
  action           text NOT NULL,
  target_type      text NOT NULL DEFAULT '',
  target_id        text NOT NULL DEFAULT '',
  organization_id  uuid,
  peer             text NOT NULL DEFAULT '',
  details          jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_events_org_time_idx ON audit_events (organization_id, occurred_at);
CREATE INDEX audit_events_target_idx ON audit_events (target_id);
