package com.bacefook.store.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.bacefook.store.client.StoreClient;
import com.bacefook.store.sharding.KeyId;
import com.bacefook.store.sharding.ShardRange;
import com.bacefook.store.testkit.MiniCluster;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The web UI in a real headless Chromium against a real cluster of three storage servers. Each test
 * saves screenshots of the pages it visits under {@code target/screenshots/}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BrowserTest {
  private UiCluster ui;
  private MiniCluster cluster;
  private GatewayServer gateway;
  private StoreClient store;
  private ApiClient api;
  private BrowserSession browser;
  private BacefookPage page;

  @RegisterExtension
  final TestWatcher screenshotOnFailure =
      new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
          if (browser != null) {
            browser.screenshot("FAILED-" + context.getRequiredTestMethod().getName());
          }
        }
      };

  @BeforeAll
  void start() {
    ui = UiCluster.start();
    cluster = ui.cluster;
    gateway = ui.gateway;
    store = ui.store;
    api = new ApiClient(gateway.port());
    browser = ui.browser;
    page = ui.page;
  }

  @AfterAll
  void stop() {
    if (ui != null) {
      ui.close();
    }
  }

  @BeforeEach
  void signedOut() {
    browser.driver().manage().window().setSize(BrowserSession.DESKTOP);
    page.openSignedOut();
  }

  @AfterEach
  void noAlertOrScriptError() {
    assertThatThrownBy(() -> browser.driver().switchTo().alert())
        .isInstanceOf(NoAlertPresentException.class);
    assertThat(browser.consoleErrors()).isEmpty();
  }

  private ChromeDriver driver() {
    return browser.driver();
  }

  private String ownerOf(String key) {
    return cluster.shardmasterClient().query().ownerOf(KeyId.of(key)).orElseThrow();
  }

  private void addUser(String userId, String name) {
    assertThat(api.post("/addUser", ApiClient.json(Map.of("userId", userId, "userName", name)))
            .status())
        .isEqualTo(200);
  }

  private void addPost(String postId, String text, String userId) {
    assertThat(api.post(
                "/addPost",
                ApiClient.json(Map.of("postId", postId, "postContent", text, "userId", userId)))
            .status())
        .isEqualTo(200);
  }

  private boolean isGone(String key) {
    try {
      store.get(key);
      return false;
    } catch (StatusRuntimeException e) {
      return e.getStatus().getCode() == Status.Code.NOT_FOUND;
    }
  }

  @Test
  void signUpTwoUsersAndSeeThemListedWithTheirServers() {
    browser.screenshot("01-sign-in");

    page.signUpToWall("Alice Liddell", "user_21");
    assertThat(page.visible("wall-name").getText()).isEqualTo("Alice Liddell");
    assertThat(page.find("wall-shard").getText()).isEqualTo(ownerOf("user_21"));
    browser.screenshot("02-new-wall");
    page.signOut();

    page.signUp("Mallory", "user_1001");
    assertThat(page.signUpError()).contains("user_1001").contains("user_0");
    page.signUp("Mallory", "user_21");
    page.waitFor("the taken-ID message", d -> page.signUpError().contains("taken"));
    assertThat(page.signUpError()).contains("user_21");
    browser.screenshot("03-sign-up-refused");

    page.signUpToWall("Bob Builder", "user_621");
    page.openPeople();
    for (String[] user :
        new String[][] {{"user_21", "Alice Liddell"}, {"user_621", "Bob Builder"}}) {
      WebElement row = page.userRows(user[0]).get(0);
      assertThat(row.findElement(BacefookPage.testId("user-name")).getText()).isEqualTo(user[1]);
      assertThat(row.findElement(BacefookPage.testId("user-id")).getText()).isEqualTo(user[0]);
      assertThat(row.findElement(BacefookPage.testId("user-shard")).getText())
          .isEqualTo(ownerOf(user[0]));
    }
    browser.screenshot("04-people");
  }

  @Test
  void writeAPostSeeItsServerAndDeleteIt() {
    addUser("user_31", "Carol");
    page.signIn("user_31");
    assertThat(page.visible("posts-empty").getText()).contains("No posts yet");

    String postId = page.writePost("Hello from the browser!\nSecond line.");

    WebElement post = page.post(postId);
    assertThat(post.findElement(BacefookPage.testId("post-content")).getText())
        .isEqualTo("Hello from the browser!\nSecond line.");
    assertThat(post.findElement(BacefookPage.testId("post-shard")).getText())
        .isEqualTo(ownerOf(postId));
    assertThat(store.get(postId).value()).isEqualTo("Hello from the browser!\nSecond line.");
    page.writePost("Another one, so the wall has two.");
    browser.screenshot("05-wall-with-posts");

    page.deletePost(postId);

    assertThat(isGone(postId)).isTrue();
    assertThat(api.get("/allUserPosts?userId=user_31").json().findValuesAsText("postId"))
        .doesNotContain(postId)
        .hasSize(1);
    browser.screenshot("06-wall-after-delete");
  }

  @Test
  void textThatLooksLikeHtmlIsShownAsText() {
    String name = "<b>Eve</b>";
    String text = "<img src=x onerror=alert(1)> <script>alert(2)</script>";
    page.signUpToWall(name, "user_41");

    page.writePost(text);

    WebElement wall = page.visible("posts-list");
    assertThat(page.visible("wall-name").getText()).isEqualTo(name);
    assertThat(wall.findElement(BacefookPage.testId("post-content")).getText()).isEqualTo(text);
    assertThat(driver().findElements(By.cssSelector("main img, main script, main b"))).isEmpty();
    browser.screenshot("07-html-shown-as-text");
    page.openPeople();
    assertThat(page.userRows("user_41").get(0).findElement(BacefookPage.testId("user-name"))
            .getText())
        .isEqualTo(name);
  }

  @Test
  void clusterViewDrawsTheRangesAndFollowsAMove() {
    page.openCluster();
    long before = cluster.shardmasterClient().query().number();
    page.waitFor("configuration #" + before, d -> page.shownConfigNumber() == before);
    assertThat(page.segments()).hasSize(3);
    assertThat(driver().findElements(BacefookPage.testId("cluster-server"))).hasSize(3);
    browser.screenshot("08-cluster");
    String target = cluster.shardmasterClient().query().servers().get(0).server();

    cluster.shardmasterClient().move(target, new ShardRange(500, 599));

    page.waitFor("configuration #" + (before + 1), d -> page.shownConfigNumber() == before + 1);
    page.waitFor(
        "a segment [500, 599] of " + target,
        d ->
            page.segments().stream()
                .anyMatch(
                    s ->
                        target.equals(s.getDomAttribute("data-server"))
                            && "500".equals(s.getDomAttribute("data-lower"))
                            && "599".equals(s.getDomAttribute("data-upper"))));
    WebElement row =
        driver()
            .findElement(By.cssSelector("[data-testid='cluster-server'][data-server='" + target
                + "']"));
    assertThat(row.findElement(BacefookPage.testId("server-ranges")).getText()).contains("500–599");
    browser.screenshot("09-cluster-after-move");
  }

  @Test
  void deletingTheAccountErasesTheUserAndTheirPosts() {
    addUser("user_51", "Dan");
    addPost("post_51", "Dan's first", "user_51");
    addPost("post_951", "Dan's second", "user_51");
    page.signIn("user_51");
    page.post("post_951");

    page.askToDeleteAccount();
    assertThat(page.visible("confirm-text").getText()).contains("user_51");
    browser.screenshot("10-confirm-delete-account");
    page.find("confirm-cancel").click();
    page.waitFor("the dialog to close", d -> !page.find("confirm-dialog").isDisplayed());
    assertThat(isGone("user_51")).isFalse();

    page.askToDeleteAccount();
    page.find("confirm-ok").click();

    page.visible("auth-view");
    for (String key : List.of("user_51", "user_51_posts", "post_51", "post_951")) {
      assertThat(isGone(key)).as(key).isTrue();
    }
    page.openPeople();
    assertThat(page.userRows("user_51")).isEmpty();
    assertThat(api.get("/allUserPosts?userId=user_51").status()).isEqualTo(404);
    browser.screenshot("11-after-account-deleted");
  }

  @Test
  void signingInToAnUnknownIdSaysSo() {
    page.visible("signin-user-id").sendKeys("user_61");
    page.find("signin-submit").click();

    assertThat(page.visible("signin-error").getText()).contains("user_61");
  }

  @Test
  void smallScreensGetOneColumnWithoutSidewaysScrolling() {
    addUser("user_71", "Faythe");
    addPost("post_71", "Posted from a phone, with a rather long line that has to wrap nicely.",
        "user_71");
    driver().manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
    page.signIn("user_71");
    page.post("post_71");
    assertNoSidewaysScrolling();
    browser.screenshot("12-phone-wall");
    page.openCluster();
    assertNoSidewaysScrolling();
    browser.screenshot("13-phone-cluster");
  }

  private void assertNoSidewaysScrolling() {
    Object overflow =
        driver().executeScript(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth");
    assertThat(((Number) overflow).intValue()).isLessThanOrEqualTo(0);
  }
}
