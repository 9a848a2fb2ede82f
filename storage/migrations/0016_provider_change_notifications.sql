-- An organization's LDAP provider settings are cached per replica next to
-- its credentials (every LDAP login reads them): a change to them announces
-- itself as a change to the organization, like the rest of migration 0013.

CREATE FUNCTION identity_provider_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM identity_announce('o:' || OLD.organization_id);
  ELSE
    PERFORM identity_announce('o:' || NEW.organization_id);
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER ldap_providers_changed
  AFTER INSERT OR UPDATE OR DELETE ON ldap_providers
  FOR EACH ROW EXECUTE FUNCTION identity_provider_changed();
