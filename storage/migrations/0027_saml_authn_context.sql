-- SAML providers may ask the IdP to authenticate the user again (ForceAuthn)
-- and for an authentication strength (AuthnContextClassRef, e.g. MFA),
-- which the answer must then carry.
ALTER TABLE saml_providers
  ADD COLUMN force_authn boolean NOT NULL DEFAULT false,
  ADD COLUMN authn_context_class_ref text NOT NULL DEFAULT '';
