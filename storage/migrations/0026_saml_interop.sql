-- SAML provider settings for the IdPs people run: RSA-SHA1 signatures only
-- where an older IdP (AD FS relying-party trusts) still sends them, and
-- attribute mapping by FriendlyName (urn:oid: names) when asked.
ALTER TABLE saml_providers
  ADD COLUMN allow_sha1_signatures boolean NOT NULL DEFAULT false,
  ADD COLUMN match_friendly_names boolean NOT NULL DEFAULT false;
