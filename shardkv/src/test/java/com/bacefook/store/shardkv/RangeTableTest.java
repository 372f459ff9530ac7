package com.bacefook.store.shardkv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.bacefook.store.sharding.Configuration;
import com.bacefook.store.sharding.IdSet;
import com.bacefook.store.sharding.ServerRanges;
import com.bacefook.store.sharding.ShardRange;
import com.bacefook.store.shardkv.RangeTable.Entry;
import com.bacefook.store.shardkv.RangeTable.Handoff;
import com.bacefook.store.shardkv.RangeTable.State;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RangeTableTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final IdSet LOW = ids(0, 500);
  private static final IdSet HIGH = ids(501, 1000);
  /** #1: a owns everything. */
  private static final Configuration C1 = config(1, "a", List.of(ShardRange.ALL));
  /** #2: b joins and gets [501,1000]. */
  private static final Configuration C2 =
      config(2, "a", List.of(new ShardRange(0, 500)), "b", List.of(new ShardRange(501, 1000)));

  @Test
  void aFirstConfigurationIsServedAtOnce() {
    RangeTable.Applied step = RangeTable.empty("a").configurationApplied(C1, true, 0);

    assertThat(step.table().served()).isEqualTo(ids(0, 1000));
    assertThat(step.sending()).isEmpty();
    assertThat(step.waiting()).isEmpty();
    assertThat(step.table().entry(7)).isEqualTo(Entry.SERVING);
  }

  @Test
  void configurationAppliedSendsWhatIsLostAndWaitsForWhatIsGained() {
    RangeTable.Applied a = at("a", C1).configurationApplied(C2, true, 0);
    RangeTable.Applied b = at("b", C1).configurationApplied(C2, true, 0);

    assertThat(a.table().served()).isEqualTo(LOW);
    assertThat(a.sending()).containsExactly(new Handoff(2, "b", HIGH));
    assertThat(a.table().entry(600)).isEqualTo(new Entry(State.SENDING, "b", 2));
    assertThat(b.table().served()).isEqualTo(IdSet.EMPTY);
    assertThat(b.waiting()).containsExactly(new Handoff(2, "a", HIGH));
    assertThat(b.table().entry(600)).isEqualTo(new Entry(State.WAITING, "a", 2));
    assertThat(b.table().entry(5).state()).isEqualTo(State.NOT_OWNED);
  }

  @Test
  void handoffInstalledServesTheRangeThatWaitedForIt() {
    RangeTable b = at("b", C1).configurationApplied(C2, true, 0).table();

    RangeTable after = b.handoffInstalled(2, "a", HIGH);

    assertThat(after.served()).isEqualTo(HIGH);
    assertThat(after.waiting()).isEmpty();
  }

  @Test
  void aHandoffFromAnotherSenderOrConfigurationChangesNothing() {
    RangeTable b = at("b", C1).configurationApplied(C2, true, 0).table();

    assertThat(b.handoffInstalled(2, "c", HIGH)).isEqualTo(b);
    assertThat(b.handoffInstalled(1, "a", HIGH)).isEqualTo(b);
    assertThat(b.handoffInstalled(2, "a", ids(501, 600)).waiting())
        .containsExactly(new Handoff(2, "a", ids(601, 1000)));
  }

  @Test
  void aHandoffForALaterConfigurationIsRememberedAndNotWaitedFor() {
    RangeTable early = at("b", C1).handoffInstalled(2, "a", HIGH);
    assertThat(early.served()).isEqualTo(IdSet.EMPTY);

    RangeTable.Applied step = early.configurationApplied(C2, true, 0);

    assertThat(step.waiting()).isEmpty();
    assertThat(step.table().served()).isEqualTo(HIGH);
    assertThat(step.table().early()).isEmpty();
  }

  @Test
  void handoffConfirmedEndsSendingForExactlyThatHandoff() {
    RangeTable a = at("a", C1).configurationApplied(C2, true, 0).table();

    assertThat(a.handoffConfirmed(2, "c", HIGH)).isEqualTo(a);
    assertThat(a.handoffConfirmed(1, "b", HIGH)).isEqualTo(a);
    RangeTable after = a.handoffConfirmed(2, "b", HIGH);
    assertThat(after.sending()).isEmpty();
    assertThat(after.entry(600)).isEqualTo(Entry.NOT_OWNED);
    assertThat(after.served()).isEqualTo(LOW);
  }

  @Test
  void aTimeoutServesAWaitThatMadeNoProgress() {
    long start = 1_000;
    RangeTable b = at("b", C1).configurationApplied(C2, true, start).table();

    RangeTable.TimedOut notYet = b.timeout(start + TIMEOUT.toNanos(), TIMEOUT);
    assertThat(notYet.expired()).isEmpty();
    assertThat(notYet.table()).isSameAs(b);

    RangeTable.TimedOut late = b.timeout(start + TIMEOUT.toNanos() + 1, TIMEOUT);
    assertThat(late.expired()).containsExactly(new Handoff(2, "a", HIGH));
    assertThat(late.table().served()).isEqualTo(HIGH);
  }

  @Test
  void overdueListsWhatATimeoutWouldGiveUpOnWithoutChangingAnything() {
    long start = 1_000;
    RangeTable b = at("b", C1).configurationApplied(C2, true, start).table();

    assertThat(b.overdue(start + TIMEOUT.toNanos(), TIMEOUT)).isEmpty();
    assertThat(b.overdue(start + TIMEOUT.toNanos() + 1, TIMEOUT))
        .containsExactly(new Handoff(2, "a", HIGH));
    assertThat(b.waiting()).containsExactly(new Handoff(2, "a", HIGH));
    RangeTable kept = b.progress(2, "a", start + TIMEOUT.toNanos() + 1);
    assertThat(kept.overdue(start + TIMEOUT.toNanos() + 1, TIMEOUT)).isEmpty();
  }

  @Test
  void progressPostponesTheTimeout() {
    long start = 1_000;
    RangeTable b = at("b", C1).configurationApplied(C2, true, start).table();
    RangeTable progressed = b.progress(2, "a", start + TIMEOUT.toNanos());

    assertThat(progressed.timeout(start + TIMEOUT.toNanos() + 1, TIMEOUT).expired()).isEmpty();
    assertThat(progressed.progress(2, "c", 0)).isSameAs(progressed);
  }

  @Test
  void aRangeLostToNobodyIsNoLongerOwnedAndNotSent() {
    Configuration nobody = config(2, "a", List.of(new ShardRange(0, 500)));

    RangeTable.Applied step = at("a", C1).configurationApplied(nobody, true, 0);

    assertThat(step.sending()).isEmpty();
    assertThat(step.table().entry(600)).isEqualTo(Entry.NOT_OWNED);
  }

  @Test
  void aRangeRegainedWhileStillSendingWaitsForItsCurrentOwner() {
    RangeTable a = at("a", C1).configurationApplied(C2, true, 0).table();
    Configuration c3 = config(3, "a", List.of(ShardRange.ALL), "b", List.of());

    RangeTable.Applied step = a.configurationApplied(c3, true, 0);

    assertThat(step.waiting()).containsExactly(new Handoff(3, "b", HIGH));
    // The handoff for #2 is no longer shown as sending, and confirming it changes nothing.
    assertThat(step.table().handoffConfirmed(2, "b", HIGH)).isEqualTo(step.table());
  }

  @Test
  void withoutSafeHandoffGainedRangesAreServedAtOnce() {
    RangeTable.Applied b = at("b", C1).configurationApplied(C2, false, 0);

    assertThat(b.waiting()).isEmpty();
    assertThat(b.table().served()).isEqualTo(HIGH);
  }

  @Test
  void refusesToApplyAConfigurationThatIsNotTheNext() {
    RangeTable a = at("a", C1);
    Configuration c3 = config(3, "a", List.of(ShardRange.ALL));

    assertThatThrownBy(() -> a.configurationApplied(c3, true, 0))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("cannot apply #3");
    assertThatThrownBy(() -> a.configurationApplied(C1, true, 0))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void refusesToApplyTheNextConfigurationWhileARangeWaits() {
    RangeTable b = at("b", C1).configurationApplied(C2, true, 0).table();
    Configuration c3 = config(3, "b", List.of(ShardRange.ALL));

    assertThatThrownBy(() -> b.configurationApplied(c3, true, 0))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("still waits for");
  }

  @Test
  void aRestoredTableIsTheOneThatWasSaved() {
    RangeTable a = at("a", C1).configurationApplied(C2, true, 0).table();
    RangeTable b = at("b", C1).handoffInstalled(3, "c", LOW).configurationApplied(C2, true, 0).table();

    assertThat(RangeTable.restored("a", C2, a.waiting(), a.sending(), a.early(), 0)).isEqualTo(a);
    assertThat(RangeTable.restored("b", C2, b.waiting(), b.sending(), b.early(), 0)).isEqualTo(b);
    assertThat(b.early()).isEqualTo(Map.of(3L, LOW));
  }

  @Test
  void listsRunsOfEqualStateInIdOrder() {
    RangeTable a = at("a", C1).configurationApplied(C2, true, 0).table();

    assertThat(a.ranges())
        .containsExactly(
            new RangeTable.RangeState(new ShardRange(0, 500), Entry.SERVING),
            new RangeTable.RangeState(new ShardRange(501, 1000), new Entry(State.SENDING, "b", 2)));
    assertThat(a.rangeCount(State.SERVING)).isEqualTo(1);
    assertThat(a.rangeCount(State.SENDING)).isEqualTo(1);
    assertThat(a.rangeCount(State.WAITING)).isZero();
  }

  @Test
  void theSameTransitionsGiveTheSameTable() {
    RangeTable once = replay();
    RangeTable again = replay();

    assertThat(once).isEqualTo(again).isNotSameAs(again);
    assertThat(once.served()).isEqualTo(ids(0, 1000));
    assertThat(once.early()).isEqualTo(Map.of());
  }

  private static RangeTable replay() {
    Configuration c3 = config(3, "b", List.of(ShardRange.ALL));
    RangeTable b = at("b", C1).configurationApplied(C2, true, 5).table();
    b = b.handoffInstalled(3, "a", LOW);
    b = b.handoffInstalled(2, "a", HIGH);
    return b.configurationApplied(c3, true, 9).table();
  }

  /** The table of {@code self} after applying {@code config} (#1) from scratch. */
  private static RangeTable at(String self, Configuration config) {
    return RangeTable.empty(self).configurationApplied(config, true, 0).table();
  }

  private static IdSet ids(int lower, int upper) {
    return IdSet.of(List.of(new ShardRange(lower, upper)));
  }

  @SuppressWarnings("unchecked")
  private static Configuration config(long number, Object... serverThenRanges) {
    List<ServerRanges> servers = new ArrayList<>();
    for (int i = 0; i < serverThenRanges.length; i += 2) {
      servers.add(
          new ServerRanges((String) serverThenRanges[i], (List<ShardRange>) serverThenRanges[i + 1]));
    }
    return new Configuration(number, servers);
  }
}
