package com.bacefook.store.shardkv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.bacefook.store.sharding.Configuration;
import com.bacefook.store.sharding.IdSet;
import com.bacefook.store.sharding.ServerRanges;
import com.bacefook.store.sharding.ShardRange;
import com.google.protobuf.ByteString;
import io.grpc.Status;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GroupCommandTest {
  @Test
  void everyCommandSurvivesEncoding() {
    List<GroupCommand> commands =
        List.of(
            new GroupCommand.Put("post_1", new StoredValue("héllo", "user_2")),
            new GroupCommand.Put("user_3", new StoredValue("", null)),
            new GroupCommand.Append("post_4", ByteString.copyFromUtf8("more")),
            new GroupCommand.Delete("user_5"),
            new GroupCommand.UpdateList("user_6", "user_6_posts", "post_7", true),
            new GroupCommand.Announce("b", "127.0.0.1:7001"),
            new GroupCommand.ConfigApplied(
                new Configuration(4, List.of(new ServerRanges("g1", List.of(new ShardRange(0, 9))))),
                123),
            new GroupCommand.Expire(456, 10_000),
            new GroupCommand.HandoffConfirmed(
                5, "127.0.0.1:7002", IdSet.of(List.of(new ShardRange(3, 7)))),
            new GroupCommand.HandoffChunk(
                6,
                "127.0.0.1:7003",
                789,
                Map.of("user_1", new StoredValue("a", null), "post_2", new StoredValue("b", "user_1"))),
            new GroupCommand.HandoffInstalled(
                6,
                "127.0.0.1:7003",
                IdSet.of(List.of(new ShardRange(0, 9))),
                Map.of("user_3", new StoredValue("c", null)),
                3,
                -5),
            new GroupCommand.Progress(6, "127.0.0.1:7003", 789));
    for (GroupCommand command : commands) {
      GroupCommand.Request decoded = GroupCommand.decode(command.encode("client-1", 42, 40));

      assertThat(decoded).isEqualTo(new GroupCommand.Request("client-1", 42, 40, command));
    }
  }

  @Test
  void readsTheFirstEncodingWhichHadNoAcknowledgedMark() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      byte[] client = "client-1".getBytes(StandardCharsets.UTF_8);
      out.writeInt(client.length);
      out.write(client);
      out.writeLong(42);
    }
    byte[] current = new GroupCommand.Delete("user_1").encode("", 0, 0);
    // The command itself (tag and fields) follows the header in both encodings.
    bytes.write(current, 24, current.length - 24);

    assertThat(GroupCommand.decode(bytes.toByteArray()))
        .isEqualTo(new GroupCommand.Request("client-1", 42, 0, new GroupCommand.Delete("user_1")));
  }

  @Test
  void readsAnInstallWrittenBeforeChunksAsTheWholeHandoff() {
    Map<String, StoredValue> keys =
        Map.of("user_1", new StoredValue("a", null), "post_2", new StoredValue("b", "user_1"));
    IdSet ids = IdSet.of(List.of(new ShardRange(0, 9)));
    byte[] current = new GroupCommand.HandoffInstalled(6, "g", ids, keys, 9, 9).encode("", 0, 0);
    // Tag 9 had the same fields but the key count and digest (an int and a long) at the end.
    byte[] before = Arrays.copyOf(current, current.length - Integer.BYTES - Long.BYTES);
    before[24] = 9;

    assertThat(GroupCommand.decode(before).command())
        .isEqualTo(
            new GroupCommand.HandoffInstalled(6, "g", ids, keys, 2, HandoffDigest.of(keys.entrySet())));
  }

  @Test
  void refusesWhatIsNotACommand() {
    byte[] put = new GroupCommand.Delete("user_1").encode("", 0, 0);

    assertThatThrownBy(() -> GroupCommand.decode(Arrays.copyOf(put, put.length - 2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("truncated group command");
    assertThatThrownBy(() -> GroupCommand.decode(Arrays.copyOf(put, put.length + 1)))
        .hasMessage("1 bytes after a group command");
    byte[] unknown = put.clone();
    unknown[24] = 99;
    assertThatThrownBy(() -> GroupCommand.decode(unknown)).hasMessage("unknown group command tag 99");
  }

  @Test
  void repliesSurviveEncoding() {
    GroupReply reply = new GroupReply(Status.Code.NOT_FOUND, "no value for key 'user_1'");

    assertThat(GroupReply.decode(reply.encode())).isEqualTo(reply);
    assertThat(GroupReply.decode(GroupReply.OK.encode())).isEqualTo(GroupReply.OK);
  }
}
