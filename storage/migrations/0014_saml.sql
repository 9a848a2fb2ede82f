-- SAML 2.0 single sign-on: per-organization service-provider settings, the
-- AuthnRequests waiting for an answer, the assertions already used, and the
-- IdP's stable subject identifier (NameID) of SAML users.

CREATE TABLE saml_providers (
  organization_id        uuid PRIMARY KEY REFERENCES organizations (id) ON DELETE CASCADE,
  idp_metadata_xml       text NOT NULL,
  idp_entity_id          text NOT NULL,
  sp_entity_id           text NOT NULL,
  acs_url                text NOT NULL,
  sp_private_key_box     bytea NOT NULL,  -- sealed with IDENTITY_SECRET_KEY
  sp_certificate_pem     text NOT NULL,
  sp_next_certificate_pem text NOT NULL DEFAULT '',
  name_id_format         text NOT NULL,
  username_attribute     text NOT NULL DEFAULT '',
  email_attribute        text NOT NULL DEFAULT '',
  display_name_attribute text NOT NULL DEFAULT '',
  groups_attribute       text NOT NULL DEFAULT '',
  group_role_mappings    text[] NOT NULL DEFAULT '{}',
  default_role           text NOT NULL DEFAULT 'BASIC_USER',
  allow_idp_initiated    boolean NOT NULL DEFAULT false,
  clock_skew_seconds     integer NOT NULL DEFAULT 60,
  version                bigint NOT NULL DEFAULT 1,
  updated_at             timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX saml_providers_sp_entity_key ON saml_providers (sp_entity_id);

CREATE TABLE saml_requests (
  id                  text PRIMARY KEY,           -- the AuthnRequest ID
  organization_id     uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  relay_state_digest  bytea NOT NULL UNIQUE,
  return_url          text NOT NULL DEFAULT '',
  expires_at          timestamptz NOT NULL,
  used_at             timestamptz
);
CREATE INDEX saml_requests_expiry_idx ON saml_requests (expires_at);

CREATE TABLE saml_assertions (
  organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  id              text NOT NULL,
  expires_at      timestamptz NOT NULL,
  PRIMARY KEY (organization_id, id)
);
CREATE INDEX saml_assertions_expiry_idx ON saml_assertions (expires_at);

ALTER TABLE users ADD COLUMN external_id text;
CREATE UNIQUE INDEX users_external_id_key ON users (organization_id, origin, external_id)
  WHERE external_id IS NOT NULL;
