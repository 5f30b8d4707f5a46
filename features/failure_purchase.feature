@saas @newInstance @failure @exclusive
Feature: Scripted failures around a purchase's delivery
  What KooGallery does when newInstance cannot be delivered, scripted so a developer can step through
  it with `koomock verify --tags @failure --step`. A purchase or upgrade is retried every 10 minutes for
  3 hours of clock time; then KooGallery cancels the order and refunds the buyer. (spec saas-v2 §1)

  Scenario: The seller is down when an order is paid
    Each retry carries a new businessId; a seller that comes back during the window must create the
    instance once, keyed on orderId and orderLineId. After 3 hours the order is cancelled: a seller
    must not keep an instance for it.
    Given the seller is unreachable for newInstance
    When a buyer pays for a monthly order
    Then KooGallery is retrying the newInstance
    When the retry window of the newInstance passes
    Then KooGallery gave up the newInstance after retrying it for 3 hours
    And the order is failed
