@license
Feature: KooGallery tells the seller about its license codes (License 2.0 callbacks)
  KooGallery calls the seller's license production URL, signed like the basic interfaces, as codes are
  renewed (refreshLicenseCode), frozen at expiry and unfrozen on renewal (updateLicenseCodeStatus), and
  released at the end of the 15-day freeze window or on unsubscription (releaseLicenseCode). The seller
  answers 000000 (or one of 000001-000005); KooGallery retries a failure every 2 minutes, 60 times.
  Repeats must succeed. (spec license-login §1.7)

  @refreshLicenseCode @period
  Scenario: A renewal refreshes the code
    Given a buyer bought a license code
    When the buyer renews the license for a year
    Then the seller accepts every callback
    And every answer follows every KooGallery rule

  @refreshLicenseCode @period
  Scenario: Unsubscribing the renewal period takes the expiry back
    Given a buyer bought a license code
    And the buyer renewed the license for a year
    When the buyer unsubscribes the renewal period
    Then the seller accepts every callback
    And every answer follows every KooGallery rule

  @updateLicenseCodeStatus
  Scenario: An expired code is frozen
    Given a buyer bought a license code
    When the license code expires
    Then the seller accepts every callback
    And every answer follows every KooGallery rule

  @updateLicenseCodeStatus @refreshLicenseCode @period
  Scenario: Renewing a frozen code unfreezes it
    Given a buyer bought a license code
    And the license code expired
    When the buyer renews the license for a year
    Then the seller accepts every callback
    And every answer follows every KooGallery rule

  @releaseLicenseCode
  Scenario: A frozen code is released when the freeze window ends
    Given a buyer bought a license code
    And the license code expired
    When the freeze window ends
    Then the seller accepts every callback
    And every answer follows every KooGallery rule

  @releaseLicenseCode
  Scenario: Unsubscribing releases the code
    Given a buyer bought a license code
    When the buyer unsubscribes the license
    Then the seller accepts every callback
    And every answer follows every KooGallery rule

  @releaseLicenseCode
  Scenario: A second release still succeeds
    Given a buyer bought a license code
    And the buyer unsubscribed the license
    When KooGallery sends releaseLicenseCode again
    Then the seller accepts every callback
    And every answer follows every KooGallery rule

  @updateLicenseCodeStatus @probe
  Scenario: A license callback with a tampered signature is refused
    When KooGallery sends the license callback updateLicenseCodeStatus with a tampered signature
    Then the seller refuses it as a bad signature
    And the answer follows every KooGallery rule

  @releaseLicenseCode @probe
  Scenario: A license callback without the code is refused
    When KooGallery sends the license callback releaseLicenseCode without the mandatory field "license"
    Then the seller refuses it as a missing field
    And the answer follows every KooGallery rule
