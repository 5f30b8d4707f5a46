@login @cas
Feature: Logging in through the tenant's identity provider (CAS)
  The CAS alternative (aPaaS workbench): the seller's CAS login, opened with the tenant's ID
  (?tenant=TENANT_ID), sends the browser to {domainName}/api/v1/cas/login?service=... with the registered
  service; after the login the service gets an ST- ticket, which the seller validates once at
  {domainName}/api/v1/cas/p3/serviceValidate (or serviceValidate, validate) before the ticket expires.
  (spec license-login §3)

  Scenario: A user logs in through CAS
    Given a buyer bound the app to a new enterprise
    And the enterprise administrator authorised a user
    When the user logs in through the seller's CAS login
    Then the seller holds a session for the user
    And the seller validated the service ticket on the tenant's domain
