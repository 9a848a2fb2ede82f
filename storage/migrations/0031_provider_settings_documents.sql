-- Identity provider settings as a type and a versioned document: one row per
-- organization and provider type, whose document only the provider reads
-- (providers/<type>/). A new provider type needs no table of its own.
-- `unique_key` is a value the provider chooses that no two organizations may
-- share for that type (SAML: the SP entity ID).

CREATE TABLE identity_provider_settings (
  organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  type            text NOT NULL CHECK (type ~ '^[a-z][a-z0-9_]{0,31}$'),
  schema_version  integer NOT NULL CHECK (schema_version > 0),
  document        jsonb NOT NULL CHECK (jsonb_typeof(document) = 'object'),
  unique_key      text,
  version         bigint NOT NULL DEFAULT 1,
  updated_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (organization_id, type),
  UNIQUE (type, unique_key)
);

-- Every provider's settings may be cached per replica (every LDAP login
-- reads them): a change announces 'p:<organization id>', which drops the
-- settings and nothing else. Migration 0016 announced the whole
-- organization, dropping its cached credentials with them; a SAML metadata
-- refresh writes here every time it runs.
CREATE FUNCTION identity_provider_settings_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM identity_announce('p:' || OLD.organization_id);
  ELSE
    PERFORM identity_announce('p:' || NEW.organization_id);
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER identity_provider_settings_changed
  AFTER INSERT OR UPDATE OR DELETE ON identity_provider_settings
  FOR EACH ROW EXECUTE FUNCTION identity_provider_settings_changed();

-- The documents' shapes are the providers' settings messages at schema
-- version 1 (providers/ldap/ldap_settings.proto,
-- providers/saml/saml_settings.proto) in protobuf's JSON form: sealed
-- secrets as base64, times as RFC 3339 text, absent when unset.
CREATE FUNCTION pg_temp.role_mappings(mappings text[]) RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$
  SELECT coalesce(jsonb_agg(jsonb_build_object(
           'group', split_part(m, E'\x1f', 1),
           'primary_role', split_part(m, E'\x1f', 2),
           'add_on_roles', to_jsonb(string_to_array(split_part(m, E'\x1f', 3), ',')))
           ORDER BY n), '[]'::jsonb)
  FROM unnest(mappings) WITH ORDINALITY AS t(m, n)
$$;

CREATE FUNCTION pg_temp.rfc3339(t timestamptz) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
$$;

CREATE FUNCTION pg_temp.base64(b bytea) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT translate(encode(b, 'base64'), E'\n', '')
$$;

INSERT INTO identity_provider_settings (organization_id, type, schema_version,
    document, unique_key, version, updated_at)
SELECT organization_id, 'ldap', 1, jsonb_build_object(
    'urls', to_jsonb(urls),
    'start_tls', start_tls,
    'ca_certificate_pem', ca_certificate_pem,
    'bind_dn', bind_dn,
    'bind_password_box', pg_temp.base64(bind_password_box),
    'user_base_dn', user_base_dn,
    'user_filter', user_filter,
    'username_attribute', username_attribute,
    'email_attribute', email_attribute,
    'display_name_attribute', display_name_attribute,
    'group_base_dn', group_base_dn,
    'group_member_attribute', group_member_attribute,
    'id_attribute', id_attribute,
    'group_role_mappings', pg_temp.role_mappings(group_role_mappings),
    'default_role', default_role,
    'connect_timeout_ms', connect_timeout_ms,
    'operation_timeout_ms', operation_timeout_ms,
    'pool_size', pool_size),
  NULL, version, updated_at
FROM ldap_providers;

INSERT INTO identity_provider_settings (organization_id, type, schema_version,
    document, unique_key, version, updated_at)
SELECT organization_id, 'saml', 1, jsonb_strip_nulls(jsonb_build_object(
    'idp_metadata_xml', idp_metadata_xml,
    'idp_entity_id', idp_entity_id,
    'sp_entity_id', sp_entity_id,
    'acs_url', acs_url,
    'sp_private_key_box', pg_temp.base64(sp_private_key_box),
    'sp_certificate_pem', sp_certificate_pem,
    'sp_next_certificate_pem', sp_next_certificate_pem,
    'name_id_format', name_id_format,
    'username_attribute', username_attribute,
    'email_attribute', email_attribute,
    'display_name_attribute', display_name_attribute,
    'groups_attribute', groups_attribute,
    'group_role_mappings', pg_temp.role_mappings(group_role_mappings),
    'default_role', default_role,
    'allow_idp_initiated', allow_idp_initiated,
    'clock_skew_seconds', clock_skew_seconds,
    'allow_sha1_signatures', allow_sha1_signatures,
    'match_friendly_names', match_friendly_names,
    'force_authn', force_authn,
    'authn_context_class_ref', authn_context_class_ref,
    'require_encrypted_assertions', require_encrypted_assertions,
    'idp_metadata_url', idp_metadata_url,
    'idp_metadata_ca_pem', idp_metadata_ca_pem,
    'idp_metadata_signing_certificate_pem', idp_metadata_signing_certificate_pem,
    'idp_metadata_fetched_at', pg_temp.rfc3339(idp_metadata_fetched_at),
    'idp_metadata_failed_at', pg_temp.rfc3339(idp_metadata_failed_at),
    'idp_metadata_failure', idp_metadata_failure)),
  sp_entity_id, version, updated_at
FROM saml_providers;

-- ldap_providers and saml_providers stay, no longer read by this version:
-- during a rolling update, replicas of the previous version run beside this
-- one and keep serving LDAP and SAML logins from them. They take no more
-- writes, which the copy above would never see: configuring a provider
-- through a replica of the previous version fails (and its metadata
-- refreshes with it) instead of being lost when the rollout ends. A later
-- migration drops them once no replica of the previous version can run.
-- Deleting stays allowed: an organization's deletion cascades to them.
CREATE FUNCTION identity_provider_tables_moved() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'identity provider settings moved to '
    'identity_provider_settings (migration 0031): configure the provider '
    'through a replica of the new version'
    USING ERRCODE = 'object_not_in_prerequisite_state';
END
$$;
CREATE TRIGGER ldap_providers_moved BEFORE INSERT OR UPDATE ON ldap_providers
  FOR EACH ROW EXECUTE FUNCTION identity_provider_tables_moved();
CREATE TRIGGER saml_providers_moved BEFORE INSERT OR UPDATE ON saml_providers
  FOR EACH ROW EXECUTE FUNCTION identity_provider_tables_moved();
DROP FUNCTION pg_temp.role_mappings(text[]);
DROP FUNCTION pg_temp.rfc3339(timestamptz);
DROP FUNCTION pg_temp.base64(bytea);
