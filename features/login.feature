@login @oauth
Feature: Logging in through the tenant's identity provider (OAuth 2.0)
  A joint-operation product logs its users in through KooGallery: the seller's login sends the browser
  to KooGallery's unified login page; after the login it comes back to the registered callback with
  code and tenant. The seller looks up that tenant's domainName (tenantSync) and client (applicationSync,
  clientSecret decrypted), redeems the code once at {domainName}/api/v1/oauth2/token, reads
  {domainName}/api/v1/oauth2/userinfo and keeps a session of its own, refreshing the access token
  (2 hours) while the user keeps using the app. Logging out ends the seller's session and the identity
  provider's ({domainName}/api/v1/logout in the browser). The seller's page after the login shows the
  user's account name and a logout link. (spec license-login §2)

  Background:
    Given a buyer bound the app to a new enterprise
    And the enterprise administrator authorised a user

  Scenario: A user logs in through the seller's web app
    When the user logs in through the seller's web app
    Then the seller holds a session for the user
    And the seller redeemed the code and read userinfo with the tenant's client credentials

  Scenario: The seller refreshes the access token to keep the session
    Given the user logged in through the seller's web app
    When 7190 seconds of clock time pass for the enterprise
    And the user opens the seller's web app
    And 20 seconds of clock time pass for the enterprise
    Then the seller holds a session for the user
    And the seller refreshed the access token with the tenant's client credentials

  Scenario: Logging out ends both sessions
    Given the user logged in through the seller's web app
    When the user logs out of the seller's web app
    Then the seller no longer holds a session for the user
    And the identity provider asks the user to log in again
