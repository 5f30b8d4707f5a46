@license @licenseActivate @failure
Feature: Scripted failures of the gateway in front of the license APIs
  What the seller's software must do when API Gateway cannot give it an answer, scripted so a developer
  can step through it with `koomock verify --tags @failure --step` while watching the software. The
  faults are aimed at the scenario's own code, so these scenarios run beside the others. The software
  cannot confirm its license, so it must not run unlicensed: it blocks the user (exits non-zero or
  prints KOOMOCK-LICENSE-BLOCKED) and tells them KooGallery could not be reached. (spec license-login
  §1.1, §1.2)

  Scenario: The software blocks when the gateway fails
    API Gateway answers 502 (APIG.0202, backend unavailable) to every call about the code. A software
    that treats any answer but a confirmed ALIVE as "not licensed" blocks; one that runs on regardless
    lets anyone use it while KooGallery is down, or blocked.
    Given a buyer bought a license code
    And the gateway fails with HTTP 502
    When the software starts with the code
    Then the software blocks the user

  @slow
  Scenario: The software gives up on a gateway slower than its timeout
    API Gateway holds every answer about the code until the software hangs up. A license check needs a
    timeout of its own: without one the software hangs at start-up forever. Once it gives up, it cannot
    confirm the license and blocks. This scenario waits for the software's own timeout in real time.
    Given a buyer bought a license code
    And the gateway answers slower than the software's timeout
    When the software starts with the code
    Then the software gives up waiting
    And the software blocks the user
