-- Custom roles of an organization (named sets of permissions) and groups
-- that carry roles for their members.

CREATE TABLE roles (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id  uuid NOT NULL REFERENCES organizations (id) ON DELETE RESTRICT,
  name             text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  description      text NOT NULL DEFAULT '',
  permissions      text[] NOT NULL DEFAULT '{}',
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  version          bigint NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX roles_org_name_key ON roles (organization_id, name);

CREATE TABLE groups (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id  uuid NOT NULL REFERENCES organizations (id) ON DELETE RESTRICT,
  name             text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  description      text NOT NULL DEFAULT '',
  roles            text[] NOT NULL DEFAULT '{}',
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  version          bigint NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX groups_org_name_key ON groups (organization_id, lower(name));

CREATE TABLE group_members (
  group_id  uuid NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
  user_id   uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  added_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (group_id, user_id)
);
CREATE INDEX group_members_user_idx ON group_members (user_id);

-- Roles a user holds through its groups.
CREATE FUNCTION identity_group_roles(uid uuid) RETURNS text[]
LANGUAGE sql STABLE AS $$
  SELECT coalesce(array_agg(DISTINCT r ORDER BY r), '{}')
  FROM group_members m JOIN groups g ON g.id = m.group_id,
       unnest(g.roles) AS r
  WHERE m.user_id = uid
$$;

-- Permissions a user holds through custom roles of its organization, whether
-- primary, add-on or from a group.
CREATE FUNCTION identity_custom_permissions(uid uuid) RETURNS text[]
LANGUAGE sql STABLE AS $$
  SELECT coalesce(array_agg(DISTINCT p ORDER BY p), '{}')
  FROM users u
  JOIN roles cr ON cr.organization_id = u.organization_id
  CROSS JOIN unnest(cr.permissions) AS p
  WHERE u.id = uid AND (
    cr.name = u.primary_role
    OR cr.name IN (SELECT role FROM user_roles WHERE user_id = uid)
    OR cr.name = ANY (identity_group_roles(uid)))
$$;
