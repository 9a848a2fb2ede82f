-- A self-registration holds its address only until its verification link
-- expires: until then it is replaced by an invitation, a directory or SAML
-- user, or a new registration of the same address; after it, it is purged.
-- NULL for every other user (and once the address is verified).

ALTER TABLE users ADD COLUMN registration_expires_at timestamptz;
CREATE INDEX users_registration_expiry_idx ON users (registration_expires_at)
  WHERE registration_expires_at IS NOT NULL;
