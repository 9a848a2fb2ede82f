-- Organization policy settings and per-user lockout state.

ALTER TABLE organizations
  ADD COLUMN password_min_length        integer NOT NULL DEFAULT 12
    CHECK (password_min_length BETWEEN 8 AND 256),
  ADD COLUMN password_require_upper     boolean NOT NULL DEFAULT false,
  ADD COLUMN password_require_lower     boolean NOT NULL DEFAULT false,
  ADD COLUMN password_require_digit     boolean NOT NULL DEFAULT false,
  ADD COLUMN password_require_symbol    boolean NOT NULL DEFAULT false,
  ADD COLUMN password_history_size      integer NOT NULL DEFAULT 0
    CHECK (password_history_size BETWEEN 0 AND 24),
  ADD COLUMN password_max_age_days      integer NOT NULL DEFAULT 0
    CHECK (password_max_age_days BETWEEN 0 AND 3650),
  ADD COLUMN session_idle_timeout_seconds      bigint NOT NULL DEFAULT 0
    CHECK (session_idle_timeout_seconds >= 0),
  ADD COLUMN session_absolute_lifetime_seconds bigint NOT NULL DEFAULT 0
    CHECK (session_absolute_lifetime_seconds >= 0),
  ADD COLUMN session_max_concurrent            integer NOT NULL DEFAULT 0
    CHECK (session_max_concurrent >= 0),
  ADD COLUMN lockout_max_failed_attempts integer NOT NULL DEFAULT 10
    CHECK (lockout_max_failed_attempts >= 0),
  ADD COLUMN lockout_window_seconds      bigint NOT NULL DEFAULT 900
    CHECK (lockout_window_seconds > 0),
  ADD COLUMN lockout_seconds             bigint NOT NULL DEFAULT 900
    CHECK (lockout_seconds >= 0),
  ADD COLUMN trusted_ip_ranges         text[] NOT NULL DEFAULT '{}',
  ADD COLUMN terms_of_use_version      text NOT NULL DEFAULT '',
  ADD COLUMN self_registration_enabled boolean NOT NULL DEFAULT false,
  ADD COLUMN require_totp              boolean NOT NULL DEFAULT false,
  ADD COLUMN login_domains             text[] NOT NULL DEFAULT '{}';
CREATE INDEX organizations_login_domains_idx ON organizations USING gin (login_domains);

ALTER TABLE users
  ADD COLUMN failed_login_attempts  integer NOT NULL DEFAULT 0,
  ADD COLUMN first_failed_login_at  timestamptz,
  -- With locked: NULL means until an admin unlocks.
  ADD COLUMN locked_until           timestamptz;
