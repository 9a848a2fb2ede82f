-- SAML providers may require the IdP to encrypt its assertions for the SP's
-- key (EncryptedAssertion) and refuse plain ones.
ALTER TABLE saml_providers
  ADD COLUMN require_encrypted_assertions boolean NOT NULL DEFAULT false;
