@saas @refreshInstance @period @ondemand @package @failure @exclusive
Feature: Scripted failures around renewal
  What KooGallery does when a renewal's callback goes wrong, scripted so a developer can step through it
  with `koomock verify --tags @failure --step` while watching the seller's logs. KooGallery retries a
  failed renewal, expiry or release callback (an answer other than success, an HTTP status other than
  200, no answer within 5 s, an answer that is not JSON) every 10 minutes for 1 hour of clock time, then
  gives up; the seller re-triggers the message in the console once its service is fixed. These
  scenarios move koomock's clock and switch faults, so they run alone. (spec saas-v2 §1, §3.3)

  Scenario: The seller is down during a renewal
    The buyer paid, so the instance's expiry moved on KooGallery's side whatever the seller answers.
    While the seller is down, KooGallery keeps trying for an hour, then records the failed delivery
    under 生产接口消息. Once fixed, the seller re-triggers it and must apply it as if it came on time:
    the renewal is keyed on its orderId, so applying it late or twice changes nothing else.
    Given the seller created an instance for a monthly order
    And the seller is unreachable for refreshInstance
    When the buyer renews the instance
    Then KooGallery is retrying the refreshInstance
    When the retry window of the refreshInstance passes
    Then KooGallery gave up the refreshInstance after retrying it for 1 hour
    When the failed refreshInstance is re-triggered once the seller is reachable again
    Then the refreshInstance is delivered

  Scenario: A real renewal arrives with a bad signature
    A callback whose signature does not verify must be refused with 000001 even when it looks like a
    real renewal; KooGallery then retries it (correctly signed here) and the seller accepts that.
    Given the seller created an instance for a monthly order
    And KooGallery tampers with the signature of the next refreshInstance
    When the buyer renews the instance
    Then the seller refuses it as a bad signature
    And KooGallery is retrying the refreshInstance
    When 10 minutes pass
    Then the refreshInstance is delivered

  Scenario: A renewal delivered twice
    KooGallery may deliver the same callback twice (a lost answer, a retry racing a slow seller). The
    seller must answer the duplicate as it answered the first: success, with the renewal applied once.
    Given the seller created an instance for a monthly order
    And KooGallery delivers every refreshInstance twice
    When the buyer renews the instance
    Then the seller accepted the duplicate with the same answer
    And the refreshInstance is delivered
