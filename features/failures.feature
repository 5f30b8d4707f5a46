@saas @lifecycle @failure @exclusive
Feature: When delivery goes wrong
  KooGallery retries a callback that failed (an answer other than success, an HTTP status other than
  200, no answer within 5 s, an answer that is not JSON): a purchase or upgrade for 3 hours, a
  renewal, expiry or release for 1 hour; then it gives up, and the seller re-triggers the message in
  the console once its service is fixed. It may deliver a callback twice, or a renewal before an
  asynchronous creation finished; a seller must cope with both. (spec saas-v2 §1)

  Scenario: The seller is down during a renewal
    Given the seller created an instance for a monthly order
    And the seller is unreachable for refreshInstance
    When the buyer renews the instance
    Then KooGallery is retrying the refreshInstance
    When the retry window of the refreshInstance passes
    Then KooGallery gave up the refreshInstance after retrying it for 1 hour
    When the failed refreshInstance is re-triggered once the seller is reachable again
    Then the refreshInstance is delivered

  Scenario: The seller is down when an order is paid
    Given the seller is unreachable for newInstance
    When a buyer pays for a monthly order
    Then KooGallery is retrying the newInstance
    When the retry window of the newInstance passes
    Then KooGallery gave up the newInstance after retrying it for 3 hours
    And the order is failed

  Scenario: A real callback with a tampered signature is refused, then retried
    Given the seller created an instance for a monthly order
    And KooGallery tampers with the signature of the next refreshInstance
    When the buyer renews the instance
    Then the seller refuses it as a bad signature
    And KooGallery is retrying the refreshInstance
    When 10 minutes pass
    Then the refreshInstance is delivered

  Scenario: A renewal delivered twice
    Given the seller created an instance for a monthly order
    And KooGallery delivers every refreshInstance twice
    When the buyer renews the instance
    Then the seller accepted the duplicate with the same answer
    And the refreshInstance is delivered

  @async
  Scenario: An instance created asynchronously
    When a buyer pays for a yearly order the seller creates asynchronously
    Then the instance is creating
    When KooGallery polls until the instance is delivered
    Then the polls followed every KooGallery rule

  @async
  Scenario: A renewal before the creation finished
    When a buyer pays for a yearly order the seller creates asynchronously
    And the buyer renews the instance
    Then the refreshInstance is delivered
    When KooGallery polls until the instance is delivered
    Then the polls followed every KooGallery rule

  Scenario: A dial test failing on five days freezes the product
    Given the seller's answer to a debug newInstance is saved as a debug case
    And the seller is unreachable for dialTest
    When 5 days pass
    Then the product is frozen
