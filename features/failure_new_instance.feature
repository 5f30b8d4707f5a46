@saas @newInstance @failure
Feature: Scripted failures around newInstance
  What KooGallery does when a callback goes wrong, scripted so a developer can step through it with
  `koomock verify --tags @failure --step` while watching the seller's logs and debugger. These
  scenarios run only when the tag filter names @failure. Each says what the seller should do.
  (spec saas-v2 §1, §2.2, §3.1)

  Scenario: Someone sends a callback with a bad signature
    A request whose signature does not verify was not sent by KooGallery, or was changed on the way.
    The seller must check the signature before anything else, answer 000001 and create nothing; a
    seller that skips the check lets anyone who knows its URL create instances.
    When KooGallery sends newInstance with a tampered signature
    Then the seller refuses it as a bad signature
    And the answer follows every KooGallery rule

  Scenario: Someone replays an old callback
    A correctly signed callback captured earlier and sent again is a replay. The seller must refuse a
    timestamp more than 60 s away from its clock with 000002, even though the signature verifies; it
    may also remember nonces it has seen and refuse them.
    When KooGallery sends newInstance with a timestamp 10 minutes old
    Then the seller refuses it as a stale timestamp
    And the answer follows every KooGallery rule

  Scenario: The seller is slower than KooGallery's 5 s
    KooGallery waits 5 s for an answer, then counts the call as failed and sends newInstance again
    later with a new businessId. To see it, hold the seller's newInstance handler in a debugger past
    5 s while stepping: the first check fails on answer.deadline. A seller whose creation takes long
    should answer 000004 at once and finish in the background, and must answer the resend with the
    instance it is creating, never a second one.
    When a buyer pays for a yearly order
    Then the seller answers within KooGallery's 5 s
    When KooGallery sends newInstance again for the order with a new businessId
    Then the seller answers within KooGallery's 5 s
    And the seller returned the same instance as the first time

  Scenario: KooGallery delivers the same order three times
    KooGallery resends newInstance whenever it did not get, or did not trust, an answer; each resend
    has a new businessId. The seller must key the order on orderId and orderLineId, never on
    businessId, and answer every resend with the instance it created the first time.
    Given a buyer paid for a monthly order
    When KooGallery sends newInstance again for the order with a new businessId
    And KooGallery sends newInstance again for the order with a new businessId
    Then the seller accepts the callback
    And the seller returned the same instance as the first time
    And the answer follows every KooGallery rule
