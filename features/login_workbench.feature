@login @workbench
Feature: Opening the app from the 开天 aPaaS enterprise workbench
  The enterprise user signs in at the workbench (开天aPaaS企业工作台) and clicks the app. The workbench
  opens the web app inside an iframe and starts the authorization itself: the iframe goes through the
  tenant's {domainName}/api/v1/oauth2/authorize and lands on the app's registered callback with code and
  tenant, and no state of the app's own. The app then redeems the code and reads userinfo as after the
  unified login. Its pages must allow framing by the workbench (no X-Frame-Options DENY or SAMEORIGIN,
  a frame-ancestors that admits it), its session cookie must survive a third-party iframe (SameSite=None;
  Secure: advisory, since koomock on one machine cannot see a browser drop it), and signing out of the
  workbench ends the identity provider's session. In the mobile workbench (H5) the app should fit 375 px
  without scrolling sideways (advisory; measured in headless Chromium, skipped without one).
  (spec license-login §2.8)

  Background:
    Given a buyer bound the app to a new enterprise
    And the enterprise administrator authorised a user

  Scenario: An enterprise user opens the app from the workbench
    When the user signs in at the workbench and opens the app
    Then the seller accepted the login the workbench started
    And the seller redeemed the code and read userinfo with the tenant's client credentials
    And the seller's pages can be framed by the workbench
    And the seller's session cookie works inside the workbench's iframe

  Scenario: The app opened from the workbench keeps its session by refreshing the token
    Given the user signed in at the workbench and opened the app
    And the seller accepted the login the workbench started
    When 7190 seconds of clock time pass for the enterprise
    And the user opens the seller's web app
    And 20 seconds of clock time pass for the enterprise
    Then the seller holds a session for the user
    And the seller refreshed the access token with the tenant's client credentials

  Scenario: The app fits the mobile workbench
    Given the user signed in at the workbench and opened the app
    And the seller accepted the login the workbench started
    Then the app renders at 375 px without horizontal scrolling

  Scenario: Signing out of the workbench ends the identity provider's session
    Given the user signed in at the workbench and opened the app
    And the seller accepted the login the workbench started
    When the user signs out of the workbench
    Then the identity provider asks the user to log in again
