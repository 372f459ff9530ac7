package com.bacefook.store.gateway;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The Bacefook web UI as a test sees it: what a person does (sign up, write a post, open the cluster
 * view) and what they can read back, found by {@code data-testid}. Every wait is an explicit
 * condition with a deadline.
 */
final class BacefookPage {
  private static final Duration PATIENCE = Duration.ofSeconds(15);

  private final ChromeDriver driver;
  private final String base;

  BacefookPage(ChromeDriver driver, String base) {
    this.driver = driver;
    this.base = base;
  }

  static By testId(String id) {
    return By.cssSelector("[data-testid='" + id + "']");
  }

  WebElement find(String id) {
    return driver.findElement(testId(id));
  }

  WebElement visible(String id) {
    return new WebDriverWait(driver, PATIENCE)
        .until(ExpectedConditions.visibilityOfElementLocated(testId(id)));
  }

  /** Waits until {@code condition} returns neither null nor false; fails naming {@code what}. */
  <T> T waitFor(String what, Function<WebDriver, T> condition) {
    return new WebDriverWait(driver, PATIENCE).withMessage(what).until(condition);
  }

  /** Opens the app signed out, with nothing remembered from earlier tests. */
  void openSignedOut() {
    // Cleared from a page of the same origin that runs no app code, so nothing can write it back.
    driver.get(base + "favicon.svg");
    driver.executeScript("window.localStorage.clear()");
    driver.get(base);
    visible("auth-view");
    waitFor("the cluster pill to show a configuration",
        d -> find("cluster-pill-text").getText().startsWith("config #"));
  }

  /** Opens {@code #/<route>} by its address. */
  void open(String route) {
    driver.get(base + "#/" + route);
  }

  void signUp(String name, String userId) {
    visible("tab-signup").click();
    type(visible("signup-name"), name);
    type(find("signup-user-id"), userId);
    find("signup-submit").click();
  }

  /** Signs up and waits for the new user's own wall. */
  void signUpToWall(String name, String userId) {
    signUp(name, userId);
    waitForWallOf(userId);
  }

  String signUpError() {
    return visible("signup-error").getText();
  }

  void signIn(String userId) {
    visible("tab-signin").click();
    type(visible("signin-user-id"), userId);
    find("signin-submit").click();
    waitForWallOf(userId);
  }

  void signOut() {
    visible("signout").click();
    visible("auth-view");
  }

  void waitForWallOf(String userId) {
    waitFor("the wall of " + userId, d -> userId.equals(visible("wall-user-id").getText()));
  }

  /** Writes a post with the ID the UI suggests and waits until it is on the wall; returns its ID. */
  String writePost(String text) {
    WebElement postId = visible("post-id-input");
    waitFor("a suggested post ID", d -> !postId.getDomProperty("value").isEmpty());
    String id = postId.getDomProperty("value");
    type(find("post-content-input"), text);
    find("post-submit").click();
    waitFor("post " + id + " on the wall", d -> !posts(id).isEmpty());
    return id;
  }

  List<WebElement> posts(String postId) {
    return driver.findElements(
        By.cssSelector("[data-testid='post'][data-post-id='" + postId + "']"));
  }

  WebElement post(String postId) {
    return waitFor("post " + postId, d -> posts(postId).stream().findFirst().orElse(null));
  }

  void deletePost(String postId) {
    post(postId).findElement(testId("post-delete")).click();
    waitFor("post " + postId + " gone", d -> posts(postId).isEmpty());
  }

  /** Opens the people page and waits for the list to load. */
  void openPeople() {
    visible("nav-people").click();
    waitFor("the people list",
        d -> !d.findElements(testId("user-row")).isEmpty()
            || !d.findElements(testId("users-empty")).isEmpty());
  }

  List<WebElement> userRows(String userId) {
    return driver.findElements(
        By.cssSelector("[data-testid='user-row'][data-user-id='" + userId + "']"));
  }

  /** Opens the cluster view and waits for the bar to be drawn. */
  void openCluster() {
    visible("nav-cluster").click();
    waitFor("cluster segments", d -> !d.findElements(testId("cluster-segment")).isEmpty());
  }

  long shownConfigNumber() {
    return Long.parseLong(visible("config-num").getText().replace("#", ""));
  }

  List<WebElement> segments() {
    return driver.findElements(testId("cluster-segment"));
  }

  /** Clicks "Delete account" and waits for the confirmation dialog. */
  void askToDeleteAccount() {
    visible("delete-account").click();
    visible("confirm-dialog");
  }

  private static void type(WebElement input, String text) {
    input.clear();
    input.sendKeys(text);
  }
}
