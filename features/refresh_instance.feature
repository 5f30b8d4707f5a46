@saas @refreshInstance @period @ondemand @package
Feature: Update an instance (refreshInstance)
  refreshInstance tells the seller an instance's new expiry: after a renewal (RENEWAL), a trial turned
  into a formal purchase (TRIAL_TO_FORMAL), a renewal refunded before its period began
  (UNSUBSCRIBE_RENEWAL_PERIOD) or a renewal to another product (RENEWAL_CHANGE). expireTime is UTC,
  documented as yyyyMMddHHmmss but shown with milliseconds in the example, so both 14 and 17 digits
  must be accepted; productId comes when the product changed. An instance the seller does not have
  is answered 000003. (spec saas-v2 §3.3)

  Scenario: A renewal moves the expiry
    Given the seller created an instance for a monthly order
    When the buyer renews the instance
    Then the seller accepts the callback
    And the answer follows every KooGallery rule
    And the callback was refreshInstance with scene "RENEWAL"
    And the callback carried the order

  Scenario Outline: expireTime in <digits> digits is accepted
    Given the seller created an instance for a monthly order
    When the buyer renews the instance with a <digits>-digit expireTime
    Then the seller accepts the callback
    And the answer follows every KooGallery rule

    Examples:
      | digits |
      | 14     |
      | 17     |

  Scenario: A renewal to another period type carries the new productId
    Given the seller created an instance for a monthly order
    When the buyer renews the instance with a new productId
    Then the seller accepts the callback
    And the answer follows every KooGallery rule

  @trial
  Scenario: A trial becomes a formal purchase
    Given the seller created an instance for a trial order
    When the buyer converts the trial to a formal purchase
    Then the seller accepts the callback
    And the answer follows every KooGallery rule
    And the callback was refreshInstance with scene "TRIAL_TO_FORMAL"

  Scenario: A renewal not yet begun is cancelled
    Given the seller created an instance for a monthly order
    And the buyer renewed the instance
    When the buyer cancels the renewal
    Then the seller accepts the callback
    And the answer follows every KooGallery rule
    And the callback was refreshInstance with scene "UNSUBSCRIBE_RENEWAL_PERIOD"

  @changeCheck @optional
  Scenario: A renewal to another product, after the change check
    Given the seller created an instance for a monthly order
    When the buyer renews the instance to another product
    Then the seller accepts the callback
    And the answer follows every KooGallery rule
    And the callback was refreshInstance with scene "RENEWAL_CHANGE"

  @probe
  Scenario: A renewal of an instance the seller never created is answered 000003
    When KooGallery sends refreshInstance about an instance the seller never created
    Then the seller answers that the instance does not exist
    And the answer follows every KooGallery rule

  @probe
  Scenario: A renewal with a tampered signature is refused
    Given the seller created an instance for a monthly order
    When KooGallery sends refreshInstance with a tampered signature
    Then the seller refuses it as a bad signature

  @probe
  Scenario: A renewal with a stale timestamp is refused
    Given the seller created an instance for a monthly order
    When KooGallery sends refreshInstance with a timestamp 10 minutes old
    Then the seller refuses it as a stale timestamp

  @probe
  Scenario Outline: A renewal without a mandatory field is refused
    Given the seller created an instance for a monthly order
    When KooGallery sends refreshInstance without the mandatory field "<field>"
    Then the seller refuses it as a missing field

    Examples:
      | field      |
      | scene      |
      | expireTime |
      | instanceId |
