-- Every change that can make a cached session or API key validation stale
-- announces itself, whichever code path or operator made it:
--   * on channel identity_changes (LISTEN), delivered at commit to every
--     replica;
--   * in the transaction-local setting identity.changes, which the writing
--     replica reads just before its commit to forget its own cache entries
--     at once (read-your-writes without waiting for the notification).
-- Payloads: s:<session id>, u:<user id>, o:<organization id>, k:<api key id>.

CREATE FUNCTION identity_announce(payload text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('identity_changes', payload);
  PERFORM set_config('identity.changes',
                     coalesce(current_setting('identity.changes', true), '') ||
                     payload || ',', true);
END
$$;

CREATE FUNCTION identity_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  r record;
BEGIN
  IF TG_OP = 'DELETE' THEN r := OLD; ELSE r := NEW; END IF;
  CASE TG_TABLE_NAME
    WHEN 'sessions' THEN PERFORM identity_announce('s:' || r.id);
    WHEN 'users' THEN PERFORM identity_announce('u:' || r.id);
    WHEN 'user_roles', 'group_members', 'user_totp' THEN
      PERFORM identity_announce('u:' || r.user_id);
    WHEN 'organizations' THEN PERFORM identity_announce('o:' || r.id);
    WHEN 'roles', 'groups' THEN
      PERFORM identity_announce('o:' || r.organization_id);
    WHEN 'api_keys' THEN PERFORM identity_announce('k:' || r.id);
  END CASE;
  RETURN NULL;
END
$$;

-- Activity stamps (sessions.last_seen_at, api_keys.last_used_at) are left
-- out: they change on reads and invalidate nothing.
CREATE TRIGGER sessions_changed AFTER DELETE OR UPDATE OF expires_at ON sessions
  FOR EACH ROW EXECUTE FUNCTION identity_changed();
CREATE TRIGGER users_changed AFTER UPDATE OR DELETE ON users
  FOR EACH ROW EXECUTE FUNCTION identity_changed();
CREATE TRIGGER user_roles_changed AFTER INSERT OR UPDATE OR DELETE ON user_roles
  FOR EACH ROW EXECUTE FUNCTION identity_changed();
CREATE TRIGGER group_members_changed AFTER INSERT OR UPDATE OR DELETE ON group_members
  FOR EACH ROW EXECUTE FUNCTION identity_changed();
CREATE TRIGGER user_totp_changed AFTER INSERT OR UPDATE OR DELETE ON user_totp
  FOR EACH ROW EXECUTE FUNCTION identity_changed();
CREATE TRIGGER organizations_changed AFTER UPDATE OR DELETE ON organizations
  FOR EACH ROW EXECUTE FUNCTION identity_changed();
CREATE TRIGGER roles_changed AFTER UPDATE OR DELETE ON roles
  FOR EACH ROW EXECUTE FUNCTION identity_changed();
CREATE TRIGGER groups_changed AFTER UPDATE OR DELETE ON groups
  FOR EACH ROW EXECUTE FUNCTION identity_changed();
CREATE TRIGGER api_keys_changed
  AFTER DELETE OR UPDATE OF revoked, expires_at, permissions ON api_keys
  FOR EACH ROW EXECUTE FUNCTION identity_changed();
