@login @oauth @failure @exclusive
Feature: Scripted failures of the login through the tenant's identity provider
  What the seller's web app must do when the tenant's identity provider refuses it a token, scripted so
  a developer can step through it with `koomock verify --tags @failure --step` while watching the web
  app. The token endpoint answers an OAuth error (fault oauth-token-error) instead of redeeming a code
  or a refresh token that is still valid. The refusal is the identity provider's, not the user's: the
  seller holds no session it could not get a token for, and answers the browser with a page of its own
  saying the login failed (any status but 500, which says the seller's own service broke), never a
  crash, a stack trace or a dropped connection. The fault is koomock-wide, so these scenarios run
  alone. (spec license-login §2.4, §2.5, §2.8)

  Background:
    Given a buyer bound the app to a new enterprise
    And the enterprise administrator authorised a user

  Scenario Outline: The identity provider refuses the authorization code with <error>
    The user logs in on KooGallery's page, comes back to the seller's callback with a code and the
    tenant, and the token endpoint refuses the code with <error>. Without an access token the seller
    cannot know who the user is: it must not log them in, and must tell them the login failed (a link
    to try again helps), whatever error the identity provider answered, a known one or not.
    Given the identity provider refuses every authorization code with <error>
    When the user tries to log in through the seller's web app
    Then the identity provider refused the seller's authorization code
    And the seller shows the user a page, not an error of its own
    And the seller holds no session for the user

    Examples:
      | error                   |
      | server_error            |
      | invalid_grant           |
      | temporarily_unavailable |

  Scenario: The identity provider refuses the refresh token
    The user logged in, and keeps using the web app past the access token's 2 hours; the seller asks
    for a new access token with its refresh token and the token endpoint refuses it with invalid_grant
    (the user was deauthorised, the refresh token revoked). The seller must end its session: it no
    longer has a valid access token, so it must not keep serving the user from what it remembers. The
    user logs in again.
    Given the user logged in through the seller's web app
    And the identity provider refuses every refresh token with invalid_grant
    When 2 hours of clock time pass for the enterprise
    And the user opens the seller's web app
    Then the identity provider refused the seller's refresh token
    And the seller shows the user a page, not an error of its own
    And the seller holds no session for the user
