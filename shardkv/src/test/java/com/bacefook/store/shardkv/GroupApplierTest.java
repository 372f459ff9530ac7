package com.bacefook.store.shardkv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.bacefook.store.sharding.Configuration;
import com.bacefook.store.sharding.IdSet;
import com.bacefook.store.sharding.KeyId;
import com.bacefook.store.sharding.ServerRanges;
import com.bacefook.store.sharding.ShardRange;
import com.google.common.base.Ticker;
import com.google.protobuf.ByteString;
import com.bacefook.store.rpc.Refusals;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GroupApplierTest {
  private final KeyValueStore store = new KeyValueStore();
  private final Ownership ownership = ownership();
  private final GroupApplier applier = new GroupApplier(store, ownership);

  private static Ownership ownership() {
    return new Ownership("g", true, Persistence.NONE, null, Ticker.systemTicker());
  }

  /** Applies request {@code seq} of a client with one request in flight at a time. */
  private GroupReply apply(GroupCommand command, String client, long seq) {
    return apply(command, client, seq, seq);
  }

  private GroupReply apply(GroupCommand command, String client, long seq, long acked) {
    return GroupReply.decode(applier.apply(command.encode(client, seq, acked)));
  }

  /** Applies configuration #1, where the group owns every ID. */
  private void owningEverything() {
    Configuration all = new Configuration(1, List.of(new ServerRanges("g", List.of(ShardRange.ALL))));
    assertThat(apply(new GroupCommand.ConfigApplied(all, 0), "", 0)).isEqualTo(GroupReply.OK);
  }

  @Test
  void refusesKeysTheGroupDoesNotServeWithTheRefusalsTrailers() {
    Configuration other =
        new Configuration(1, List.of(new ServerRanges("other:1", List.of(ShardRange.ALL))));
    apply(new GroupCommand.ConfigApplied(other, 0), "", 0);

    GroupReply reply = apply(new GroupCommand.Put("user_1", new StoredValue("a", null)), "c1", 1);

    assertThat(reply.code()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(store.get("user_1")).isEmpty();
    assertThatThrownBy(reply::check)
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(Refusals.isRefusal(e)).isTrue();
              assertThat(Refusals.ownerHint(e)).contains("other:1");
              assertThat(Refusals.configNumber(e)).isEqualTo(1);
            });
    assertThat(GroupReply.decode(reply.encode())).isEqualTo(reply);
  }

  @Test
  void appliesWritesToTheStore() {
    owningEverything();
    assertThat(apply(new GroupCommand.Put("post_1", new StoredValue("a", "user_1")), "", 0))
        .isEqualTo(GroupReply.OK);
    apply(new GroupCommand.Append("post_1", ByteString.copyFromUtf8("b")), "", 0);
    apply(new GroupCommand.UpdateList("user_1", "user_1_posts", "post_1", false), "", 0);

    assertThat(store.get("post_1")).contains(new StoredValue("ab", "user_1"));
    assertThat(store.get("user_1_posts")).contains(new StoredValue("post_1,", null));
    assertThat(apply(new GroupCommand.Delete("post_1"), "", 0)).isEqualTo(GroupReply.OK);
    assertThat(apply(new GroupCommand.Delete("post_1"), "", 0).code())
        .isEqualTo(Status.Code.NOT_FOUND);
  }

  @Test
  void aRetriedRequestIsAppliedOnceAndAnsweredAsTheFirstTime() {
    owningEverything();
    GroupCommand append = new GroupCommand.Append("user_1", ByteString.copyFromUtf8("x"));

    apply(append, "c1", 1);
    apply(append, "c1", 1);
    apply(append, "c2", 1);
    apply(new GroupCommand.Delete("user_9"), "c1", 2);

    assertThat(store.get("user_1")).contains(new StoredValue("xx", null));
    assertThat(apply(new GroupCommand.Delete("user_1"), "c1", 2).code())
        .as("the first answer to request 2, not a delete of user_1")
        .isEqualTo(Status.Code.NOT_FOUND);
    assertThat(store.get("user_1")).isPresent();
    assertThat(apply(append, "c1", 1).code()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(store.get("user_1")).contains(new StoredValue("xx", null));
    assertThat(applier.clientsKept()).isEqualTo(2);
  }

  @Test
  void concurrentRequestsOfOneClientAreEachAppliedOnceInWhateverOrderTheyArrive() {
    owningEverything();

    for (long seq : new long[] {3, 1, 2}) {
      assertThat(apply(new GroupCommand.Append("user_1", ByteString.copyFromUtf8("" + seq)), "c1", seq, 1))
          .isEqualTo(GroupReply.OK);
    }
    apply(new GroupCommand.Append("user_1", ByteString.copyFromUtf8("2")), "c1", 2, 1);

    assertThat(store.get("user_1")).contains(new StoredValue("312", null));
    assertThat(apply(new GroupCommand.Append("user_1", ByteString.copyFromUtf8("4")), "c1", 4, 3))
        .isEqualTo(GroupReply.OK);
    assertThat(apply(new GroupCommand.Append("user_1", ByteString.copyFromUtf8("2")), "c1", 2, 1).code())
        .as("request 2 is below the mark the client acknowledged (3): a stray copy")
        .isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(store.get("user_1")).contains(new StoredValue("3124", null));
  }

  @Test
  void aValueTooLongIsRefusedTheSameWayOnEveryMember() {
    owningEverything();
    String big = "x".repeat(KeyValueStore.MAX_VALUE_CHARS);
    apply(new GroupCommand.Put("user_1", new StoredValue(big, null)), "", 0);

    GroupReply reply = apply(new GroupCommand.Append("user_1", ByteString.copyFromUtf8("y")), "", 0);

    assertThat(reply.code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThatThrownBy(reply::check).hasMessageContaining("the limit is");
  }

  @Test
  void configurationsStepTheRangeTableOneNumberAtATime() throws IOException {
    Configuration first = new Configuration(1, List.of(new ServerRanges("g", List.of(ShardRange.ALL))));
    Configuration third = new Configuration(3, List.of(new ServerRanges("g", List.of(ShardRange.ALL))));

    assertThat(apply(new GroupCommand.ConfigApplied(first, 0), "", 0)).isEqualTo(GroupReply.OK);
    assertThat(apply(new GroupCommand.ConfigApplied(first, 0), "", 0).code())
        .isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(apply(new GroupCommand.ConfigApplied(third, 0), "", 0).description())
        .isEqualTo("the group acts on configuration #1, and cannot apply #3");
    assertThat(ownership.applied()).isEqualTo(first);
    assertThat(ownership.served().contains(KeyId.of("user_1"))).isTrue();

    ByteArrayOutputStream snapshot = new ByteArrayOutputStream();
    applier.writeSnapshot(snapshot);
    Ownership restored = ownership();
    new GroupApplier(new KeyValueStore(), restored)
        .readSnapshot(new ByteArrayInputStream(snapshot.toByteArray()));

    assertThat(restored.table()).isEqualTo(ownership.table());
  }

  @Test
  void timeoutsAndConfirmedHandoffsUseTheLeadersTimeOnEveryMember() {
    Configuration before =
        new Configuration(1, List.of(new ServerRanges("other:1", List.of(ShardRange.ALL))));
    Configuration after = new Configuration(2, List.of(new ServerRanges("g", List.of(ShardRange.ALL))));
    apply(new GroupCommand.ConfigApplied(before, 0), "", 0);
    apply(new GroupCommand.ConfigApplied(after, 1_000), "", 0);
    assertThat(ownership.waiting()).hasSize(1);

    apply(new GroupCommand.Expire(1_000 + Duration.ofSeconds(5).toNanos(), 10_000), "", 0);
    assertThat(ownership.waiting()).as("5 s after, a 10 s timeout has not passed").hasSize(1);
    apply(new GroupCommand.Expire(1_000 + Duration.ofSeconds(11).toNanos(), 10_000), "", 0);
    assertThat(ownership.waiting()).isEmpty();
    assertThat(ownership.served().contains(KeyId.of("user_1"))).isTrue();

    Configuration moved =
        new Configuration(3, List.of(new ServerRanges("other:1", List.of(ShardRange.ALL))));
    apply(new GroupCommand.Put("user_1", new StoredValue("a", null)), "", 0);
    apply(new GroupCommand.ConfigApplied(moved, 2_000), "", 0);
    assertThat(ownership.table().sending()).hasSize(1);
    IdSet all = IdSet.of(List.of(ShardRange.ALL));
    apply(new GroupCommand.HandoffConfirmed(3, "other:1", all), "", 0);

    assertThat(ownership.table().sending()).isEmpty();
    assertThat(store.size()).isZero();
  }

  @Test
  void keepsTheAnswersOfTheClientsHeardFromMostRecently() {
    owningEverything();
    GroupCommand put = new GroupCommand.Put("user_1", new StoredValue("a", null));
    apply(put, "first", 1);
    for (int i = 0; i < ClientSessions.MAX_CLIENTS; i++) {
      apply(put, "c" + i, 1);
    }
    apply(put, "c0", 2);

    assertThat(applier.clientsKept()).isEqualTo(ClientSessions.MAX_CLIENTS);
    assertThat(GroupReply.decode(applier.apply(new GroupCommand.Delete("user_1").encode("first", 1, 1))))
        .as("forgotten: applied again")
        .isEqualTo(GroupReply.OK);
  }

  @Test
  void aSnapshotRestoresKeysUsersOrderAnswersAndMembers() throws IOException {
    owningEverything();
    apply(new GroupCommand.Put("user_2", new StoredValue("Bo", null)), "", 0);
    apply(new GroupCommand.Put("user_1", new StoredValue("Al", null)), "", 0);
    apply(new GroupCommand.Put("post_3", new StoredValue("hi", "user_2")), "c1", 7);
    apply(new GroupCommand.Announce("a", "127.0.0.1:7001"), "", 0);
    ByteArrayOutputStream snapshot = new ByteArrayOutputStream();
    applier.writeSnapshot(snapshot);

    KeyValueStore otherStore = new KeyValueStore();
    otherStore.put("user_9", new StoredValue("gone", null));
    Ownership otherOwnership = ownership();
    GroupApplier other = new GroupApplier(otherStore, otherOwnership);
    other.readSnapshot(new ByteArrayInputStream(snapshot.toByteArray()));

    assertThat(otherStore.allUsers()).isEqualTo("user_2,user_1,");
    assertThat(otherStore.get("post_3")).contains(new StoredValue("hi", "user_2"));
    assertThat(otherStore.get("user_9")).isEmpty();
    assertThat(otherStore.size()).isEqualTo(3);
    assertThat(other.addressOf("a")).contains("127.0.0.1:7001");
    byte[] retried =
        new GroupCommand.Put("post_3", new StoredValue("changed", null)).encode("c1", 7, 7);
    assertThat(GroupReply.decode(other.apply(retried))).isEqualTo(GroupReply.OK);
    assertThat(otherStore.get("post_3")).contains(new StoredValue("hi", "user_2"));
  }

  /** Applies configuration #1, owned by other:1, then #2, where the group gains every ID at 1,000. */
  private void gainingEverythingFromOther() {
    apply(
        new GroupCommand.ConfigApplied(
            new Configuration(1, List.of(new ServerRanges("other:1", List.of(ShardRange.ALL)))), 0),
        "",
        0);
    apply(
        new GroupCommand.ConfigApplied(
            new Configuration(2, List.of(new ServerRanges("g", List.of(ShardRange.ALL)))), 1_000),
        "",
        0);
    assertThat(ownership.waiting()).hasSize(1);
  }

  /** 40 keys of about 1 KB each: several 8 KiB log entries. */
  private static Map<String, StoredValue> handedOver() {
    Map<String, StoredValue> keys = new HashMap<>();
    for (int i = 1; i <= 40; i++) {
      keys.put("user_" + i, new StoredValue("v".repeat(1_000) + i, null));
    }
    return keys;
  }

  private static final IdSet ALL = IdSet.of(List.of(ShardRange.ALL));

  private GroupReply applyTo(GroupApplier to, GroupCommand command) {
    return GroupReply.decode(to.apply(command.encode("", 0, 0)));
  }

  @Test
  void aHandoffInChunksIsServedOnlyOnceEveryKeyIsStagedEvenAcrossASnapshot() throws IOException {
    gainingEverythingFromOther();
    Map<String, StoredValue> keys = handedOver();
    ChunkedInstall install = ChunkedInstall.of(2, "other:1", ALL, keys, 8 * 1024);
    int chunks = install.chunks().size();
    assertThat(chunks).isGreaterThan(2);
    for (int i = 0; i < chunks - 1; i++) {
      assertThat(applyTo(applier, install.chunk(i, 2_000))).isEqualTo(GroupReply.OK);
    }
    assertThat(ownership.waiting()).as("staged, not installed").hasSize(1);
    assertThat(store.size()).isZero();

    ByteArrayOutputStream snapshot = new ByteArrayOutputStream();
    applier.writeSnapshot(snapshot);
    KeyValueStore restartedStore = new KeyValueStore();
    Ownership restartedOwnership = ownership();
    GroupApplier restarted = new GroupApplier(restartedStore, restartedOwnership);
    restarted.readSnapshot(new ByteArrayInputStream(snapshot.toByteArray()));

    assertThat(applyTo(restarted, install.chunk(0, 3_000))).as("a resent chunk").isEqualTo(GroupReply.OK);
    assertThat(applyTo(restarted, install.chunk(chunks - 1, 3_000))).isEqualTo(GroupReply.OK);
    assertThat(restartedOwnership.waiting()).as("every key staged, none installed").hasSize(1);
    assertThat(restartedStore.size()).isZero();
    assertThat(applyTo(restarted, install.install())).isEqualTo(GroupReply.OK);

    assertThat(restartedOwnership.waiting()).isEmpty();
    assertThat(restartedOwnership.served().contains(KeyId.of("user_7"))).isTrue();
    assertThat(restartedStore.size()).isEqualTo(40);
    keys.forEach((key, value) -> assertThat(restartedStore.get(key)).as(key).contains(value));
  }

  @Test
  void anInstallMissingAChunkInstallsNothingAndTheHandoffStartsOver() {
    gainingEverythingFromOther();
    ChunkedInstall install = ChunkedInstall.of(2, "other:1", ALL, handedOver(), 8 * 1024);
    int chunks = install.chunks().size();
    for (int i = 1; i < chunks; i++) {
      applyTo(applier, install.chunk(i, 2_000));
    }

    GroupReply refused = applyTo(applier, install.install());

    assertThat(refused.code()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(refused.description()).contains("staged " + (40 - install.chunks().get(0).size()));
    assertThat(ownership.waiting()).as("still waiting").hasSize(1);
    assertThat(store.size()).isZero();
    applyTo(applier, install.chunk(0, 3_000));
    assertThat(applyTo(applier, install.install()).code())
        .as("the chunks staged before the refusal were dropped")
        .isEqualTo(Status.Code.FAILED_PRECONDITION);
    for (int i = 0; i < chunks; i++) {
      applyTo(applier, install.chunk(i, 4_000));
    }
    assertThat(applyTo(applier, install.install())).isEqualTo(GroupReply.OK);
    assertThat(store.size()).isEqualTo(40);
    assertThat(ownership.waiting()).isEmpty();
  }

  @Test
  void readsASnapshotWrittenBeforeChunks() throws IOException {
    owningEverything();
    apply(new GroupCommand.Put("user_1", new StoredValue("Al", null)), "", 0);
    ByteArrayOutputStream snapshot = new ByteArrayOutputStream();
    applier.writeSnapshot(snapshot);
    // Version 2 was the same but for the version and, at the end, the count of staged handoffs (0).
    byte[] before = Arrays.copyOf(snapshot.toByteArray(), snapshot.size() - Integer.BYTES);
    before[3] = 2;

    KeyValueStore otherStore = new KeyValueStore();
    new GroupApplier(otherStore, ownership()).readSnapshot(new ByteArrayInputStream(before));

    assertThat(otherStore.get("user_1")).contains(new StoredValue("Al", null));
  }

  @Test
  void aChunkRestartsTheHandoffsWaitOnEveryMember() {
    gainingEverythingFromOther();
    ChunkedInstall install = ChunkedInstall.of(2, "other:1", ALL, handedOver(), 8 * 1024);

    applyTo(applier, install.chunk(0, 1_000 + Duration.ofSeconds(9).toNanos()));
    applyTo(applier, new GroupCommand.Expire(1_000 + Duration.ofSeconds(15).toNanos(), 10_000));

    assertThat(ownership.waiting()).as("6 s after the chunk, a 10 s timeout has not passed").hasSize(1);
  }

  @Test
  void chunksStagedForAHandoffGivenUpOnAreDropped() {
    gainingEverythingFromOther();
    ChunkedInstall install = ChunkedInstall.of(2, "other:1", ALL, handedOver(), 8 * 1024);
    applyTo(applier, install.chunk(0, 2_000));
    applyTo(applier, install.chunk(1, 2_000));
    int staged = applier.stagedKeys();
    assertThat(staged).isPositive();

    applyTo(applier, new GroupCommand.Expire(2_000 + Duration.ofSeconds(5).toNanos(), 10_000));
    assertThat(applier.stagedKeys()).as("still waited for").isEqualTo(staged);
    applyTo(applier, new GroupCommand.Expire(2_000 + Duration.ofSeconds(11).toNanos(), 10_000));

    assertThat(ownership.waiting()).as("given up on").isEmpty();
    assertThat(applier.stagedKeys()).isZero();
  }

  @Test
  void chunksStagedForAConfigurationNotAppliedYetStay() {
    gainingEverythingFromOther();
    ChunkedInstall early = ChunkedInstall.of(3, "other:1", ALL, handedOver(), 8 * 1024);
    applyTo(applier, early.chunk(0, 2_000));
    int staged = applier.stagedKeys();
    assertThat(staged).isPositive();

    applyTo(applier, new GroupCommand.Expire(2_000 + Duration.ofSeconds(11).toNanos(), 10_000));

    assertThat(ownership.waiting()).as("configuration #2's handoff given up on").isEmpty();
    assertThat(applier.stagedKeys()).as("configuration #3's chunk, early").isEqualTo(staged);
  }
}
