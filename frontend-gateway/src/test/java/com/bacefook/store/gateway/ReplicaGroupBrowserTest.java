package com.bacefook.store.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.bacefook.store.replication.GroupMember;
import com.bacefook.store.testkit.MiniCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live cluster page in headless Chromium against a replica group of three members: the
 * leader's card lists every replica, which one leads, and each one's health and lag.
 */
class ReplicaGroupBrowserTest {
  @TempDir Path data;
  private UiCluster ui;

  @AfterEach
  void stop() {
    if (ui != null) {
      List<?> errors = ui.browser.consoleErrors();
      ui.close();
      assertThat(errors).isEmpty();
    }
  }

  /** Per replica row of the card of {@code server}: its address, role, health and lag. */
  @SuppressWarnings("unchecked")
  private List<Map<String, Object>> replicaRows(String server) {
    return (List<Map<String, Object>>)
        ui.browser
            .driver()
            .executeScript(
                "const card = [...document.querySelectorAll(\"[data-testid='dashboard-server']\")]"
                    + ".find(c => c.dataset.server === arguments[0]);"
                    + " if (!card || !card.querySelector(\"[data-testid='server-group']\")) return [];"
                    + " return [...card.querySelectorAll(\"[data-testid='replica-row']\")].map(r => ({"
                    + " address: r.querySelector(\"[data-testid='replica-address']\").textContent,"
                    + " role: r.dataset.role, healthy: r.dataset.healthy, lag: r.dataset.lag}));",
                server);
  }

  @Test
  void theLeadersCardListsEveryReplicaWithItsRoleHealthAndLag() {
    AtomicReference<List<String>> members = new AtomicReference<>();
    ui =
        UiCluster.startWith(
            MiniCluster.startDurable(data),
            cluster -> {
              members.set(cluster.startGroup("g1", 3, GroupMember.Options.DEFAULT));
              cluster.awaitGroupListed("g1", Duration.ofSeconds(30));
            });
    MiniCluster cluster = ui.cluster;
    ui.page.openSignedOut();
    ui.page.openCluster();
    for (int i = 0; i < 10; i++) {
      ui.store.put("user_" + i, "User " + i, "");
    }

    AtomicReference<String> leader = new AtomicReference<>();
    ui.page.waitFor(
        "the leader's card with three healthy replicas, none behind",
        d -> {
          leader.set(cluster.shardmasterClient().query().serverNames().get(0));
          List<Map<String, Object>> rows = replicaRows(leader.get());
          return rows.size() == 3
              && rows.stream().allMatch(r -> r.get("healthy").equals("true") && r.get("lag").equals("0"));
        });

    List<Map<String, Object>> rows = replicaRows(leader.get());
    assertThat(rows).extracting(r -> r.get("address")).containsExactlyElementsOf(members.get());
    assertThat(rows)
        .filteredOn(r -> r.get("role").equals("leader"))
        .extracting(r -> r.get("address"))
        .containsExactly(leader.get());
    assertThat(ui.page.find("server-group").getText()).contains("group g1");
  }
}
