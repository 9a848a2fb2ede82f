-- SAML providers may take their IdP metadata from an HTTPS URL, fetched at
-- configure time and refreshed on a schedule: the URL, the CA bundle that
-- verifies it (empty: the system store), the certificate that must have
-- signed the document (empty: none required), and how the last refreshes
-- went (the last good document stays in idp_metadata_xml).
ALTER TABLE saml_providers
  ADD COLUMN idp_metadata_url text NOT NULL DEFAULT '',
  ADD COLUMN idp_metadata_ca_pem text NOT NULL DEFAULT '',
  ADD COLUMN idp_metadata_signing_certificate_pem text NOT NULL DEFAULT '',
  ADD COLUMN idp_metadata_fetched_at timestamptz,
  ADD COLUMN idp_metadata_failed_at timestamptz,
  ADD COLUMN idp_metadata_failure text NOT NULL DEFAULT '';
