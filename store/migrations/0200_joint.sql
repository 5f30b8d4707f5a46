-- Joint operation (联营): tenants, the seller's app bound to each, departments and users, and what the
-- tenant identity provider issued (codes, tokens, tickets, login sessions), so that nothing a seller
-- was handed is lost across a restart.
CREATE TABLE tenants (
    tenant_id   TEXT PRIMARY KEY,
    tenant_code TEXT NOT NULL UNIQUE,
    created_ms  INTEGER NOT NULL,
    data        TEXT NOT NULL
);

CREATE TABLE tenant_apps (
    client_id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL,
    app_id    TEXT NOT NULL,
    data      TEXT NOT NULL
);
CREATE INDEX tenant_apps_tenant ON tenant_apps (tenant_id);

CREATE TABLE tenant_orgs (
    tenant_id TEXT NOT NULL,
    org_code  TEXT NOT NULL,
    data      TEXT NOT NULL,
    PRIMARY KEY (tenant_id, org_code)
);

CREATE TABLE tenant_users (
    tenant_id TEXT NOT NULL,
    user_name TEXT NOT NULL,
    data      TEXT NOT NULL,
    PRIMARY KEY (tenant_id, user_name)
);
CREATE INDEX tenant_users_name ON tenant_users (user_name);

CREATE TABLE idp_grants (
    token      TEXT PRIMARY KEY,
    kind       TEXT NOT NULL,
    tenant_id  TEXT NOT NULL,
    family     TEXT NOT NULL DEFAULT '',
    used       INTEGER NOT NULL DEFAULT 0,
    expires_ms INTEGER NOT NULL,
    data       TEXT NOT NULL
);
CREATE INDEX idp_grants_family ON idp_grants (family);
CREATE INDEX idp_grants_tenant ON idp_grants (tenant_id, kind);
