-- Per-organization LDAP provider settings. The bind password is stored
-- sealed (libsodium secretbox, IDENTITY_SECRET_KEY), never in clear.

CREATE TABLE ldap_providers (
  organization_id         uuid PRIMARY KEY REFERENCES organizations (id) ON DELETE CASCADE,
  urls                    text[] NOT NULL,
  start_tls               boolean NOT NULL DEFAULT false,
  ca_certificate_pem      text NOT NULL DEFAULT '',
  bind_dn                 text NOT NULL,
  bind_password_box       bytea NOT NULL,
  user_base_dn            text NOT NULL,
  user_filter             text NOT NULL,
  username_attribute      text NOT NULL,
  email_attribute         text NOT NULL DEFAULT '',
  display_name_attribute  text NOT NULL DEFAULT '',
  group_base_dn           text NOT NULL DEFAULT '',
  group_member_attribute  text NOT NULL DEFAULT '',
  -- Each element: group DN, primary role, add-on roles (comma-separated),
  -- joined by the unit separator.
  group_role_mappings     text[] NOT NULL DEFAULT '{}',
  default_role            text NOT NULL DEFAULT 'BASIC_USER',
  connect_timeout_ms      integer NOT NULL DEFAULT 3000,
  operation_timeout_ms    integer NOT NULL DEFAULT 5000,
  pool_size               integer NOT NULL DEFAULT 4,
  updated_at              timestamptz NOT NULL DEFAULT now(),
  version                 bigint NOT NULL DEFAULT 1
);
