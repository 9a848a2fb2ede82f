-- The link between a local user and its directory entry, and who disabled
-- a user.
--
-- A directory user is found again by the entry's stable identifier
-- (users.external_id: entryUUID, objectGUID, ...) and its DN, never by the
-- name a caller typed. disabled_by keeps an administrator's decision apart
-- from a provider's: a user its provider disabled is enabled again by the
-- next successful directory login or sync, one an administrator disabled
-- stays disabled whatever the provider says.

ALTER TABLE users ADD COLUMN directory_dn text;
ALTER TABLE users ADD COLUMN disabled_by text
  CHECK (disabled_by IN ('admin', 'provider'));

-- Before this, only the LDAP provider could disable an LDAP user (the API
-- refused administrators), and only administrators anyone else.
UPDATE users SET disabled_by = CASE WHEN origin = 'LDAP' THEN 'provider'
                                    ELSE 'admin' END
  WHERE NOT enabled;

-- The attribute that holds an entry's stable identifier; empty: detected
-- from the server's root DSE (objectGUID for Active Directory, else
-- entryUUID).
ALTER TABLE ldap_providers ADD COLUMN id_attribute text NOT NULL DEFAULT '';
