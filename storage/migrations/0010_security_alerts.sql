-- A user preference: mail me about security events on my account.
ALTER TABLE users ADD COLUMN security_alerts boolean NOT NULL DEFAULT false;
