@kit
Feature: Joint-operation kit syncs
  A joint-operation (联营) product also implements five kit interfaces under its production base URL
  (/produceAPI/v2/tenantSync, applicationSync, authSync, singleOrgSync, allOrgSync). KooGallery signs
  them with the key bound to the kit interfaces, in the headers x-sign, x-timestamp and x-nonce, and
  sends the app's clientSecret encrypted with the seller's public key (RSA-OAEP). The seller verifies
  every sync, decrypts the secret, keeps tenants, users and departments idempotently, and answers
  000000. KooGallery does not retry a failed kit sync. (spec saas-v2 §1, §2.3, §5)

  @tenantSync @applicationSync @allOrgSync
  Scenario: Binding the app to an enterprise syncs the tenant, the app and its departments
    When a buyer binds the app to a new enterprise
    Then the seller accepts every kit sync

  @authSync
  Scenario: Authorised users are synced at most 500 per call
    Given a buyer bound the app to a new enterprise
    When the enterprise administrator authorises 501 users
    Then the seller accepts every kit sync
    And 2 authSync calls were sent

  @authSync
  Scenario: A user is modified, deauthorised and deleted
    Given a buyer bound the app to a new enterprise
    And the enterprise administrator authorised a user
    When the administrator modifies the user
    And the administrator deauthorises the user
    And the administrator deletes the user
    Then the seller accepts every kit sync

  @singleOrgSync
  Scenario: A department is added, renamed and deleted
    Given a buyer bound the app to a new enterprise
    When the administrator adds a department
    And the administrator renames a department
    And the administrator deletes a department
    Then the seller accepts every kit sync

  @tenantSync @applicationSync
  Scenario: The enterprise is renamed, the client secret rotated and everything sent again
    Given a buyer bound the app to a new enterprise
    When the enterprise is renamed
    And the app's client secret is rotated
    And KooGallery sends the tenant's state again
    Then the seller accepts every kit sync

  @tenantSync @probe
  Scenario: A kit sync with a tampered x-sign is refused
    Given a buyer bound the app to a new enterprise
    When KooGallery sends tenantSync with a tampered x-sign
    Then the seller refuses it as a bad signature
    And the answer follows every KooGallery rule

  @allOrgSync @probe
  Scenario: A kit sync without x-sign is refused
    Given a buyer bound the app to a new enterprise
    When KooGallery sends allOrgSync without x-sign
    Then the seller refuses it as a bad signature

  @tenantSync @probe
  Scenario: A kit sync with a stale x-timestamp is refused
    Given a buyer bound the app to a new enterprise
    When KooGallery sends tenantSync with an x-timestamp 10 minutes old
    Then the seller refuses it as a stale timestamp

  @tenantSync @probe
  Scenario: A kit sync without a mandatory field is refused
    Given a buyer bound the app to a new enterprise
    When KooGallery sends the kit sync tenantSync without the mandatory field "tenantId"
    Then the seller refuses it as a missing field
